package org.mbrl4j.agents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.mbrl4j.planning.SequenceObjective;
import org.mbrl4j.planning.TrajectoryOptimizer;

/** Model-predictive control: executes its plan, replans every N steps from the plan shifted by the executed steps. */
class MpcAgentTest {
    /** A planner that records its warm starts and returns 10·call + 1, 10·call + 2, … . */
    private static final class Recording implements TrajectoryOptimizer {
        final List<double[]> warmStarts = new ArrayList<>();

        @Override
        public double[] optimize(SequenceObjective objective, double[] initial, RandomGenerator rng) {
            warmStarts.add(initial.clone());
            double[] p = new double[sequenceLength()];
            for (int i = 0; i < p.length; i++) {
                p[i] = 10 * warmStarts.size() + i + 1;
            }
            return p;
        }

        @Override
        public int sequenceLength() {
            return 4 * 2; // horizon 4, 2 action dims
        }
    }

    @Test
    void replanningEveryTwoStepsWarmStartsFromThePlanShiftedByTwo() {
        Recording planner = new Recording();
        MpcAgent mpc = new MpcAgent(planner, (obs, rng) -> (n, s, v) -> { }, 2, 2, null);
        RandomGenerator rng = new SplittableRandom(1);
        List<double[]> acts = new ArrayList<>();
        for (int t = 0; t < 5; t++) {
            acts.add(mpc.act(new double[] {0}, rng));
        }
        assertThat(acts).containsExactly(new double[] {11, 12}, new double[] {13, 14}, new double[] {21, 22},
                new double[] {23, 24}, new double[] {31, 32});
        assertThat(planner.warmStarts).hasSize(3);
        assertThat(planner.warmStarts.get(0)).containsOnly(0.0);
        assertThat(planner.warmStarts.get(1)).containsExactly(15, 16, 17, 18, 0, 0, 0, 0);
        assertThat(planner.warmStarts.get(2)).containsExactly(25, 26, 27, 28, 0, 0, 0, 0);
    }

    @Test
    void itsStateRoundTripsMidPlanAndBadStatesAreRejected() {
        Recording planner = new Recording();
        MpcAgent a = new MpcAgent(planner, (obs, rng) -> (n, s, v) -> { }, 2, 3, null);
        RandomGenerator rng = new SplittableRandom(1);
        a.act(new double[] {0}, rng);
        Map<String, Object> state = a.state(null);
        MpcAgent b = new MpcAgent(planner, (obs, rng2) -> (n, s, v) -> { }, 2, 3, null);
        b.restore(state, null);
        assertThat(b.act(new double[] {0}, rng)).containsExactly(a.act(new double[] {0}, rng));
        assertThat(b.state(null)).isEqualTo(a.state(null));
        assertThatThrownBy(() -> b.restore(Map.of("plan", List.of(1.0), "since_replan", 0), null))
                .hasMessageContaining("a plan of 8 values");
        assertThatThrownBy(() -> new MpcAgent(planner, (obs, rng2) -> null, 2, 5, null))
                .hasMessageContaining("replanEvery must be in 1..4");
        b.reset();
        assertThat(RunCheckpointer.doubles(b.state(null), "plan")).containsOnly(0.0);
    }
}
