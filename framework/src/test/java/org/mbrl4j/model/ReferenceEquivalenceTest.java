package org.mbrl4j.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mbrl4j.objective.Objective;

/**
 * From the reference initial weights, full-batch Adam (lr 1e-3, grad-norm clip 10) on the HalfCheetah fixture must
 * reproduce the reference's per-epoch curves: entry 0 is the loss at the initial weights, entries 0–4 agree to 4
 * significant digits, the last (epoch 199) within 0.5 %.
 */
class ReferenceEquivalenceTest {

    @ParameterizedTest
    @CsvSource({"mse,MSE", "nll,NLL"})
    void reproducesTheReferenceCurves(String objective, String key) {
        HalfCheetahFixture f = HalfCheetahFixture.get();
        GaussianMlp model = HalfCheetahFixture.referenceModel();
        ModelTrainer.Data train = HalfCheetahFixture.data(model, f.train);
        ModelTrainer.Data val = HalfCheetahFixture.data(model, f.val);
        ModelTrainer trainer = ModelTrainer.builder().setSeed(0).optEpochs(200).optLr(1e-3).optClipGradNorm(10).build();
        ModelTrainer.Result r = trainer.train(model, Objective.create(objective, Map.of(), train.targets(), 17), train,
                val, null);
        @SuppressWarnings("unchecked")
        Map<String, List<Number>> ref = (Map<String, List<Number>>) HalfCheetahFixture.json("reference-curves-seed0.json.gz").get(key);
        @SuppressWarnings("unchecked")
        Map<String, List<Number>> refVal = (Map<String, List<Number>>) HalfCheetahFixture.json("reference-curves-seed0.json.gz").get(key + "_val");
        compare(objective + " train loss", r.curve("train", "loss"), ref.get("loss"));
        compare(objective + " train rmse", r.curve("train", "rmse"), ref.get("mean_error"));
        // the gradient norm near convergence is a small difference of large terms: only its first epochs are compared
        compareStart(objective + " grad norm", r.epochs().stream().mapToDouble(ModelTrainer.Epoch::gradNorm).toArray(),
                ref.get("grad_norm"));
        compare(objective + " val loss", r.curve("val", "loss"), refVal.get("loss"));
        compare(objective + " val rmse", r.curve("val", "rmse"), refVal.get("mean_error"));
        if (key.equals("NLL")) {
            compare("nll entropy", r.curve("train", "entropy"), ref.get("entropy"));
        }
    }

    private static void compare(String what, double[] ours, List<Number> ref) {
        compareStart(what, ours, ref);
        double last = ref.get(ref.size() - 1).doubleValue();
        double ourLast = ours[ours.length - 1];
        assertThat(Math.abs(ourLast - last)).as("%s last epoch: ours %s, reference %s", what, ourLast, last)
                .isLessThanOrEqualTo(0.005 * Math.abs(last));
    }

    private static void compareStart(String what, double[] ours, List<Number> ref) {
        assertThat(ours).as(what + " length").hasSize(ref.size());
        for (int i = 0; i < 5; i++) {
            double expected = ref.get(i).doubleValue();
            assertThat(Math.abs(ours[i] - expected)).as("%s epoch %d: ours %s, reference %s", what, i, ours[i], expected)
                    .isLessThanOrEqualTo(0.5e-4 * Math.abs(expected));
        }
    }
}
