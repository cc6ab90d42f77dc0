package org.mbrl4j.agents;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.mbrl4j.data.ReplayBuffer;
import org.mbrl4j.event.Event;
import org.mbrl4j.event.EventBus;
import org.mbrl4j.model.Ensemble;
import org.mbrl4j.model.GaussianMlp;
import org.junit.jupiter.api.Test;

/**
 * Retraining on a growing buffer: the data each update builds (and closes when it ends) is not needed afterwards,
 * also by an objective fitted on it first (PG's conditional U), and the model keeps learning across updates.
 */
class ModelUpdaterTest {
    @Test
    void retrainsOnAGrowingBufferWithAnObjectiveFittedOnItsData() {
        Ensemble model = Ensemble.builder().setObsDim(2).setActDim(1).optSize(2).optHidden(16, 16)
                .optActivation(GaussianMlp.Activation.SILU).optDeltaTargets(true).optNormalizeInputs(true)
                .setRandom(new SplittableRandom(1)).build();
        ReplayBuffer buffer = new ReplayBuffer(10_000, 2, 1);
        SplittableRandom rng = new SplittableRandom(2);
        EventBus bus = EventBus.synchronous();
        List<Event.ModelTrained> trained = new ArrayList<>();
        bus.subscribe(Event.ModelTrained.class, trained::add);
        ModelUpdater updater = ModelUpdater.builder().setModel(model)
                .setObjective("pg", Map.of("reward", "conditional", "lambda", 1.0)).optEpochs(5).build();
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < 200; i++) {
                double[] o = {rng.nextGaussian(), rng.nextGaussian()};
                double a = rng.nextDouble() * 2 - 1;
                buffer.add(o, new double[] {a}, new double[] {o[0] + 0.1 * a, 0.9 * o[1]}, -1, false, i == 199, round);
            }
            updater.train(buffer, round, bus);
        }
        assertThat(trained).hasSize(3);
        for (Event.ModelTrained t : trained) {
            assertThat(t.val().get("nll")).as("validation NLL of every update").isFinite();
        }
        assertThat(trained.get(2).val().get("nll")).as("the third update fits better than the first")
                .isLessThan(trained.get(0).val().get("nll"));
        // the members still predict after the updates' data was freed
        assertThat(model.member(0).forward(model.member(0).inputs(new double[] {0.1, 0.2, 0.3}, 1)).mean()[0])
                .isFinite();
    }
}
