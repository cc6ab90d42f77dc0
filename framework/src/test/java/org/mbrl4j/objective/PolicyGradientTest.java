package org.mbrl4j.objective;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.mbrl4j.model.GaussianMlp;

class PolicyGradientTest {

    @Test
    void resultDoesNotDependOnTheNumberOfThreads() {
        int b = 6000;
        GaussianMlp model = GaussianMlp.builder().setInputs(3).setOutputs(2).optHidden(8).setSeed(1).build();
        GaussianOutput out = model.forward(model.inputs(GradientCheckTest.data(b * 3, 1, 1), b));
        double[] y = GradientCheckTest.data(b * 2, 2, 1);
        double[][] grads = new double[2][];
        double[] loss = new double[2];
        for (int t = 1; t <= 2; t++) {
            PolicyGradient pg = PolicyGradient.builder().setReward(MahalanobisReward.identity(2)).optThreads(t).build();
            double[] dm = new double[b * 2];
            double[] dl = new double[b * 2];
            loss[t - 1] = pg.evaluate(out, y, new SplittableRandom(3), dm, dl).loss();
            grads[t - 1] = dl;
        }
        assertThat(loss[1]).isEqualTo(loss[0]);
        assertThat(grads[1]).isEqualTo(grads[0]);
        assertThat(PolicyGradient.chunks(b)).isGreaterThan(1);
    }

    @Test
    void closedFormRewardsFollowTheTargetCovariance() {
        // targets with variances 4 and 1 and no correlation
        SplittableRandom r = new SplittableRandom(0);
        int n = 20000;
        double[] y = new double[2 * n];
        for (int i = 0; i < n; i++) {
            y[2 * i] = 2 * r.nextGaussian();
            y[2 * i + 1] = r.nextGaussian();
        }
        Covariance cov = Covariance.of(y, 2);
        assertThat(cov.get(0, 0)).isCloseTo(4, within(0.15));
        MahalanobisReward scaled = MahalanobisReward.scaled(0.5, cov);
        assertThat(scaled.scale()).isCloseTo(0.5 * 2 / (2 * cov.trace()), within(1e-12));
        MahalanobisReward full = MahalanobisReward.full(0.5, cov);
        double[] u = full.matrix();
        assertThat(u[0]).isCloseTo(0.25 / cov.get(0, 0), within(1e-3));
        assertThat(u[3]).isCloseTo(0.25 / cov.get(1, 1), within(1e-3));
        // r = −dᵀUd through the Cholesky path equals the direct quadratic form
        double[] d = {0.7, -1.3};
        double direct = -(d[0] * (u[0] * d[0] + u[1] * d[1]) + d[1] * (u[2] * d[0] + u[3] * d[1]));
        assertThat(full.value(d, 0)).isCloseTo(direct, within(1e-12));
    }

    @Test
    void badRewardsAndOptionsAreRejectedWithTheirNames() {
        double[] constant = {1, 2, 1, 3, 1, 4};
        assertThatThrownBy(() -> MahalanobisReward.full(1, Covariance.of(constant, 2)))
                .hasMessageContaining("singular").hasMessageContaining("scaled");
        assertThatThrownBy(() -> MahalanobisReward.matrix(new double[] {1, 2, 0, 1}, 2)).hasMessageContaining("symmetric");
        assertThatThrownBy(() -> MahalanobisReward.matrix(new double[] {1, 0, 0, -1}, 2)).hasMessageContaining("positive definite");
        assertThatThrownBy(() -> Objective.create("pg", Map.of("reward", "fancy"), constant, 2))
                .hasMessage("reward 'fancy' is unknown; accepted: identity, scaled, full, conditional, u=VALUE, learned");
        assertThatThrownBy(() -> Objective.create("pg", Map.of("lamda", 1), constant, 2)).hasMessageContaining("[lamda]");
        assertThatThrownBy(() -> Objective.create("nlll", Map.of(), constant, 2)).hasMessageContaining("available: [mse, nll, pg]");
        assertThatThrownBy(() -> PolicyGradient.builder().setReward(MahalanobisReward.identity(2)).optGenerations(0).build())
                .hasMessageContaining("generations must be ≥ 1");
    }
}
