package org.mbrl4j.objective;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.mbrl4j.model.GaussianMlp;
import org.mbrl4j.model.ModelTrainer;
import org.mbrl4j.random.ZigguratNormal;

/**
 * The closed forms of paper-notes §2 on synthetic data y = μ(x) + diag(σ)ε with known μ and σ: NLL recovers μ and σ;
 * PG with U = u·I recovers μ and std √(λ/(2u)) in every dimension; PG with U = (λ/2)Σ⁻¹ recovers σ.
 */
class GaussianTheoryTest {
    private static final double[] SIGMA = {0.3, 0.8};
    // at 2000 samples the 32×32 MLP's own estimation error of μ, NLL included, is 0.08–0.11 (the 0.1 bound below
    // then passed or failed with the random stream); at 4000 it is 0.058–0.074 for PG(full) over five seeds, NLL 0.064
    private static final int N = 4000;

    private static double[] mu(double x0, double x1) {
        return new double[] {x0 + 0.5 * x1, Math.sin(x0) - x1};
    }

    /** Inputs and targets; the means μ(x) are returned in {@code means}. */
    private static double[][] data(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        ZigguratNormal z = new ZigguratNormal(r);
        double[] x = new double[N * 2];
        double[] y = new double[N * 2];
        double[] means = new double[N * 2];
        for (int i = 0; i < N; i++) {
            x[2 * i] = 4 * r.nextDouble() - 2;
            x[2 * i + 1] = 4 * r.nextDouble() - 2;
            double[] m = mu(x[2 * i], x[2 * i + 1]);
            for (int d = 0; d < 2; d++) {
                means[2 * i + d] = m[d];
                y[2 * i + d] = m[d] + SIGMA[d] * z.next();
            }
        }
        return new double[][] {x, y, means};
    }

    /** Trains and returns {rmse of the mean against μ, mean σ̂ dim 0, mean σ̂ dim 1} on held-out inputs. */
    private static double[] fit(Objective objective) {
        double[][] tr = data(1);
        GaussianMlp model = GaussianMlp.builder().setInputs(2).setOutputs(2).optHidden(32, 32).setSeed(3).build();
        ModelTrainer.Data train = new ModelTrainer.Data(model.inputs(tr[0], N), tr[1]);
        ModelTrainer.builder().setSeed(4).optEpochs(800).optLr(5e-3).build().train(model, objective, train, null, null);
        double[][] te = data(2);
        GaussianOutput out = model.predict(te[0], N);
        double se = 0;
        double[] s = new double[2];
        for (int i = 0; i < N * 2; i++) {
            double d = out.mean()[i] - te[2][i];
            se += d * d;
            s[i % 2] += Math.exp(out.logStd()[i]) / N;
        }
        return new double[] {Math.sqrt(se / (2 * N)), s[0], s[1]};
    }

    @Test
    void nllRecoversMeanAndNoise() {
        double[] r = fit(new Nll());
        assertThat(r[0]).as("rmse to μ").isLessThan(0.1);
        assertThat(r[1]).as("σ̂ dim 0").isCloseTo(SIGMA[0], within(0.1 * SIGMA[0]));
        assertThat(r[2]).as("σ̂ dim 1").isCloseTo(SIGMA[1], within(0.1 * SIGMA[1]));
    }

    @Test
    void pgWithIsotropicRewardRecoversMeanAndTheInnerOptimumStd() {
        double lambda = 1.0;
        double u = 2.0;
        double[] r = fit(PolicyGradient.builder().setReward(MahalanobisReward.isotropic(u, 2)).optLambda(lambda).build());
        double expected = Math.sqrt(lambda / (2 * u));
        assertThat(r[0]).as("rmse to μ").isLessThan(0.1);
        assertThat(r[1]).as("σ dim 0 = √(λ/2u)").isCloseTo(expected, within(0.1 * expected));
        assertThat(r[2]).as("σ dim 1 = √(λ/2u)").isCloseTo(expected, within(0.1 * expected));
    }

    @Test
    void pgWithTheOptimalFullRewardRecoversTheNoise() {
        double lambda = 0.8;
        double[] u = {lambda / 2 / (SIGMA[0] * SIGMA[0]), 0, 0, lambda / 2 / (SIGMA[1] * SIGMA[1])};
        double[] r = fit(PolicyGradient.builder().setReward(MahalanobisReward.matrix(u, 2)).optLambda(lambda).build());
        assertThat(r[0]).as("rmse to μ").isLessThan(0.1);
        assertThat(r[1]).as("σ̂ dim 0").isCloseTo(SIGMA[0], within(0.1 * SIGMA[0]));
        assertThat(r[2]).as("σ̂ dim 1").isCloseTo(SIGMA[1], within(0.1 * SIGMA[1]));
    }
}
