package org.mbrl4j.bilevel;


import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mbrl4j.model.GaussianMlp;
import org.mbrl4j.model.ModelTrainer;
import org.mbrl4j.objective.MahalanobisReward;
import org.mbrl4j.objective.PolicyGradient;

/**
 * The implicit solver on the paper's Fig 3 problem (σ = 1.25, loc = 6, λ = 1, u* = 0.32; 100 distinct x × 10 targets;
 * MLP [64, 64]): from u0 = 1.0 and from u0 = 0.05, the median final u of 5 runs (different data and seeds) is within
 * 0.05 of u*. Settings: 100 outer steps of Adam lr 0.03 (u has to travel 0.68, more than 100 steps of the reference's
 * 0.01 can), 50 warm-started inner Adam steps, 3 CG iterations.
 */
class ImplicitSolverConvergenceTest {

    static double finalU(double u0, int run) {
        ModelTrainer.Data train = RewardLearnerTest.linearGaussian(100, 10, run);
        ModelTrainer.Data val = RewardLearnerTest.linearGaussian(100, 1, 1000 + run);
        GaussianMlp model = GaussianMlp.builder().setInputs(2).setOutputs(2).optHidden(64, 64).setSeed(run).build();
        PolicyGradient pg = PolicyGradient.builder().setReward(MahalanobisReward.identity(2)).optLambda(1).build();
        RewardLearner.Result r = ImplicitDiffReward.builder().setObjective(pg).optU0(u0).optOuterSteps(100)
                .optOuterLr(0.03).optInnerSteps(50).optCgIterations(3).setSeed(run).build().learn(model, train, val);
        assertThat(r.trajectory()).hasSize(100);
        return r.reward().scale();
    }

    @ParameterizedTest
    @ValueSource(doubles = {1.0, 0.05})
    void medianOfFiveRunsEndsNearTheOptimum(double u0) {
        double[] u = IntStream.range(0, 5).parallel().mapToDouble(run -> finalU(u0, run)).sorted().toArray();
        assertThat(u[2]).as("median of %s from u0 = %s", Arrays.toString(u), u0).isCloseTo(0.32, within(0.05));
    }
}
