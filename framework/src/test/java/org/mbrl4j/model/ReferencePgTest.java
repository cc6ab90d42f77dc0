package org.mbrl4j.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mbrl4j.objective.Objective;

/**
 * PG variants on the HalfCheetah fixture (200 full-batch epochs, Adam 1e-3, clip 10, G = 5, transform none), mean
 * test NLL and RMSE over 5 seeds, against the reference table of the fixture README: within max(4 × reference std,
 * 3 %) of the reference mean.
 */
class ReferencePgTest {

    /** Mean test {nll, rmse} over seeds 0..4. */
    static double[] meanOverSeeds(String reward, double lambda) {
        HalfCheetahFixture f = HalfCheetahFixture.get();
        double nll = 0;
        double rmse = 0;
        int seeds = 5;
        for (int seed = 0; seed < seeds; seed++) {
            GaussianMlp model = GaussianMlp.builder().setInputs(23).setOutputs(17).setSeed(seed).build();
            ModelTrainer.Data train = HalfCheetahFixture.data(model, f.train);
            ModelTrainer.Data test = HalfCheetahFixture.data(model, f.test);
            Objective pg = Objective.create("pg", Map.of("reward", reward, "lambda", lambda), train.targets(), 17);
            ModelTrainer.Result r = ModelTrainer.builder().setSeed(seed).optEpochs(200).optLr(1e-3)
                    .optClipGradNorm(10).build().train(model, pg, train, null, test);
            System.out.printf("pg reward=%s λ=%s seed %d: test nll %.4f rmse %.4f%n", reward, lambda, seed,
                    r.test().get("nll"), r.test().get("rmse"));
            nll += r.test().get("nll") / seeds;
            rmse += r.test().get("rmse") / seeds;
        }
        return new double[] {nll, rmse};
    }

    @ParameterizedTest(name = "PG {0} λ={1}")
    @CsvSource({
        // reward, λ, ref NLL, std, ref RMSE, std (fixture README)
        "identity, 1, 20.9, 5.5, 3.623, 0.013",
        "scaled, 1, 2.763, 0.005, 3.668, 0.018",
        "full, 1, 1.920, 0.090, 3.836, 0.007",
        "identity, 5, 4.054, 0.10, 3.487, 0.042",
        "full, 5, 1.791, 0.098, 3.824, 0.007"})
    void landsOnTheReferenceTable(String reward, double lambda, double refNll, double nllStd, double refRmse, double rmseStd) {
        double[] r = meanOverSeeds(reward, lambda);
        assertThat(Math.abs(r[0] - refNll)).as("test NLL %s vs reference %s ± %s", r[0], refNll, nllStd)
                .isLessThanOrEqualTo(Math.max(4 * nllStd, 0.03 * refNll));
        assertThat(Math.abs(r[1] - refRmse)).as("test RMSE %s vs reference %s ± %s", r[1], refRmse, rmseStd)
                .isLessThanOrEqualTo(Math.max(4 * rmseStd, 0.03 * refRmse));
    }

    @Test
    void scaledRewardDoesNotDependOnLambda() {
        HalfCheetahFixture f = HalfCheetahFixture.get();
        double[][] results = new double[2][];
        double[] lambdas = {1, 5};
        for (int k = 0; k < 2; k++) {
            GaussianMlp model = GaussianMlp.builder().setInputs(23).setOutputs(17).setSeed(7).build();
            ModelTrainer.Data train = HalfCheetahFixture.data(model, f.train);
            ModelTrainer.Data test = HalfCheetahFixture.data(model, f.test);
            Objective pg = Objective.create("pg", Map.of("reward", "scaled", "lambda", lambdas[k]), train.targets(), 17);
            ModelTrainer.Result r = ModelTrainer.builder().setSeed(7).optEpochs(200)
                    .optClipGradNorm(10).build().train(model, pg, train, null, test);
            results[k] = new double[] {r.test().get("nll"), r.test().get("rmse")};
        }
        assertThat(results[1][0]).as("test NLL, λ = 5 vs λ = 1").isCloseTo(results[0][0],
                org.assertj.core.api.Assertions.within(0.0005 * Math.abs(results[0][0])));
        assertThat(results[1][1]).as("test RMSE, λ = 5 vs λ = 1").isCloseTo(results[0][1],
                org.assertj.core.api.Assertions.within(0.0005 * results[0][1]));
    }
}
