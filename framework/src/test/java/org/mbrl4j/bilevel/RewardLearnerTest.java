package org.mbrl4j.bilevel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mbrl4j.model.GaussianMlp;
import org.mbrl4j.model.ModelTrainer;
import org.mbrl4j.objective.Covariance;
import org.mbrl4j.objective.MahalanobisReward;
import org.mbrl4j.objective.Objective;
import org.mbrl4j.objective.ObjectiveContext;
import org.mbrl4j.objective.PolicyGradient;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The pieces of the gradient-based reward learners on the paper's synthetic problem (σ = 1.25, λ = 1, u* = 0.32),
 * where dNLL/du at the inner optimum is known in closed form: NLL = log σ + s²/(2σ²) with σ² = λ/(2u) gives
 * dNLL/du = (2us²/λ − 1)/(2u).
 */
class RewardLearnerTest {
    private static final double SIGMA = 1.25;
    private static final PolicyGradient PG = PolicyGradient.builder().setReward(MahalanobisReward.identity(2)).optLambda(1)
            .build();
    private static ModelTrainer.Data train;
    private static GaussianMlp model;
    private static InnerProblem ip;

    @BeforeAll
    static void data() {
        train = linearGaussian(100, 10, 0);
        model = GaussianMlp.builder().setInputs(2).setOutputs(2).optHidden(64, 64).setSeed(0).build();
        ip = new InnerProblem(model, train, null);
    }

    /** θ trained to the inner optimum of U = u·I. */
    private static double[] converged(double u) {
        SplittableRandom rng = new SplittableRandom(1);
        double[] theta = ip.initialParams(rng);
        ip.adam(theta, PG.withReward(MahalanobisReward.isotropic(u, 2)), 2000, 1e-2, 1, rng.longs(2000).toArray());
        return theta;
    }

    private static double theory(double u) {
        double s2 = 1.25 * 1.25;
        return (2 * u * s2 - 1) / (2 * u);
    }

    @Test
    void rewardSensitivityIsTheDerivativeOfTheDirectionalGradient() {
        double[] theta = converged(0.5);
        double[] v = new SplittableRandom(5).doubles(theta.length, -1, 1).toArray();
        for (PolicyGradient.Transform t : PolicyGradient.Transform.values()) {
            PolicyGradient base = PG.toBuilder().optTransform(t).build();
            double[] uMat = {0.7, 0.2, 0.2, 0.4};
            double[] e = {0.3, -0.5, -0.5, 0.9};
            double[] sens = ip.rewardSensitivity(theta, base.withReward(MahalanobisReward.matrix(uMat, 2)), 11, v);
            double analytic = 0;
            for (int i = 0; i < 4; i++) {
                analytic += sens[i] * e[i];
            }
            double h = 1e-4;
            double[] gp = new double[theta.length];
            double[] gm = new double[theta.length];
            ip.gradient(theta, base.withReward(MahalanobisReward.matrix(add(uMat, e, h), 2)), 11, gp);
            ip.gradient(theta, base.withReward(MahalanobisReward.matrix(add(uMat, e, -h), 2)), 11, gm);
            double fd = (InnerProblem.dot(v, gp) - InnerProblem.dot(v, gm)) / (2 * h);
            assertThat(analytic).as("transform " + t).isCloseTo(fd, within(1e-5 * (1 + Math.abs(fd))));
            assertThat(Math.abs(fd)).as("a non-trivial direction").isGreaterThan(1e-3);
        }
    }

    private static double[] add(double[] a, double[] b, double h) {
        double[] c = a.clone();
        for (int i = 0; i < c.length; i++) {
            c[i] += h * b[i];
        }
        return c;
    }

    @Test
    void choleskyChainRuleMatchesFiniteDifferences() {
        int n = 3;
        double[] phi = {1.1, 0.3, 0.8, -0.2, 0.4, 1.5};
        double[] g = {0.5, -1, 0.3, 0.2, 0.7, -0.4, 1.2, 0.1, -0.6};
        double[] chain = RewardForm.FULL.chain(g, phi, n);
        for (int k = 0; k < phi.length; k++) {
            double h = 1e-6;
            double[] p = phi.clone();
            p[k] += h;
            double[] m = phi.clone();
            m[k] -= h;
            double[] up = RewardForm.FULL.reward(p, n).matrix();
            double[] um = RewardForm.FULL.reward(m, n).matrix();
            double fd = 0;
            for (int i = 0; i < g.length; i++) {
                fd += g[i] * (up[i] - um[i]) / (2 * h);
            }
            assertThat(chain[k]).as("φ_" + k).isCloseTo(fd, within(1e-6));
        }
    }

    @Test
    void implicitHypergradientHasTheTheorysSignAndSize() {
        ImplicitDiffReward solver = ImplicitDiffReward.builder().setObjective(PG).build();
        for (double u : new double[] {0.1, 1.0}) {
            double[] theta = converged(u);
            double[] gOut = new double[theta.length];
            ip.trainNll(theta, gOut);
            double h = solver.hypergradient(ip, theta, PG.withReward(MahalanobisReward.isotropic(u, 2)), 3, gOut,
                    new double[] {u}, 2)[0];
            // u < u* must raise u (negative gradient), u > u* lower it; the size within a factor 2 of the theory
            assertThat(Math.signum(h)).as("sign at u = " + u).isEqualTo(Math.signum(theory(u)));
            assertThat(h / theory(u)).as("ratio to the theory at u = " + u).isBetween(0.5, 2.0);
        }
    }

    @Test
    void unrolledHypergradientAgreesWithTheImplicitOne() {
        double u = 0.6;
        double[] theta = converged(u);
        double[] gOut = new double[theta.length];
        ip.trainNll(theta, gOut);
        double implicit = ImplicitDiffReward.builder().setObjective(PG).build().hypergradient(ip, theta,
                PG.withReward(MahalanobisReward.isotropic(u, 2)), 3, gOut, new double[] {u}, 2)[0];
        UnrolledReward unrolled = UnrolledReward.builder().setObjective(PG).optInnerLr(1e-2).build();
        double[] t = theta.clone();
        double[] tangent = unrolled.unroll(ip, t, u, 2, new SplittableRandom(9).longs(50).toArray());
        double[] go = new double[t.length];
        ip.trainNll(t, go);
        double explicit = InnerProblem.dot(go, tangent);
        assertThat(implicit).as("implicit vs theory %.4f", theory(u)).isPositive();
        assertThat(explicit / implicit).as("unrolled %.4f / implicit %.4f", explicit, implicit).isBetween(0.5, 2.0);
    }

    @Test
    void closedFormsFollowTheirDefinitions() {
        ModelTrainer.Data val = valData();
        double lambda = 0.8;
        Covariance cov = Covariance.of(train.targets(), 2);
        MahalanobisReward scaled = ClosedFormReward.reward(ClosedFormReward.Kind.SCALED, lambda, model, train, val, null);
        assertThat(scaled.scale()).isCloseTo(lambda * 2 / (2 * cov.trace()), within(1e-12));
        // the unconditional Σ̂ contains the spread of x (variance 100/12 per dim): far from the noise σ² = 1.5625
        assertThat(cov.get(0, 0)).isGreaterThan(8);
        ModelTrainer meanTrainer = ModelTrainer.builder().setSeed(2).optEpochs(400).optLr(1e-2).build();
        MahalanobisReward conditional = ClosedFormReward.reward(ClosedFormReward.Kind.CONDITIONAL, lambda, model, train,
                val, meanTrainer);
        double[] u = conditional.matrix();
        double uStar = lambda / (2 * SIGMA * SIGMA);
        assertThat(u[0]).as("U_00 vs λ/(2σ²)").isCloseTo(uStar, within(0.25 * uStar));
        assertThat(u[3]).as("U_11 vs λ/(2σ²)").isCloseTo(uStar, within(0.25 * uStar));
        assertThat(Math.abs(u[1])).as("off-diagonal").isLessThan(0.25 * uStar);
    }

    @Test
    void objectivesFitTheirRewardThroughTheContextOnce() {
        ModelTrainer.Data val = valData();
        Map<String, Object> options = Map.of("reward", "conditional", "lambda", 0.8);
        assertThatThrownBy(() -> Objective.create("pg", options, ObjectiveContext.of(train.targets(), 2)))
                .isInstanceOf(ObjectiveContext.NeedsModel.class)
                .hasMessageStartingWith("reward 'conditional' is fitted with a model and training data");
        ModelTrainer meanTrainer = ModelTrainer.builder().setSeed(2).optEpochs(20).optLr(1e-2).build();
        TrainingContext context = TrainingContext.builder().setModel(model).setTrain(train).optVal(val)
                .optTrainer(meanTrainer).setSeed(0).build();
        PolicyGradient first = (PolicyGradient) Objective.create("pg", options, context);
        PolicyGradient second = (PolicyGradient) Objective.create("pg", options, context);
        assertThat(first.lambda()).isEqualTo(0.8);
        assertThat(first.reward().matrix()).containsExactly(ClosedFormReward.reward(ClosedFormReward.Kind.CONDITIONAL,
                0.8, model, train, val, meanTrainer).matrix());
        assertThat(second.reward()).as("fitted once").isSameAs(first.reward());
        // rewards computed from the targets alone need no model
        PolicyGradient scaled = (PolicyGradient) Objective.create("pg", Map.of("reward", "scaled", "lambda", 0.8), context);
        assertThat(scaled.reward().scale()).isCloseTo(ClosedFormReward.reward(ClosedFormReward.Kind.SCALED, 0.8, model,
                train, val, null).scale(), within(1e-15));
        assertThatThrownBy(() -> TrainingContext.builder().setModel(model).setSeed(0).build())
                .hasMessage("TrainingContext needs training data (setTrain)");
    }

    private static ModelTrainer.Data valData() {
        return linearGaussian(200, 1, 7);
    }

    /**
     * The paper's synthetic law in two dimensions: {@code distinct} inputs x ~ U(−5, 5)², each with {@code repeats}
     * targets y = x + 6 + σ·ε (the experiments module's generator draws its normals differently; only the law matters
     * here).
     */
    static ModelTrainer.Data linearGaussian(int distinct, int repeats, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int rows = distinct * repeats;
        double[] x = new double[rows * 2];
        double[] y = new double[rows * 2];
        for (int i = 0; i < distinct; i++) {
            double x0 = -5 + 10 * rng.nextDouble();
            double x1 = -5 + 10 * rng.nextDouble();
            for (int r = i * repeats; r < (i + 1) * repeats; r++) {
                x[2 * r] = x0;
                x[2 * r + 1] = x1;
                y[2 * r] = x0 + 6 + SIGMA * rng.nextGaussian();
                y[2 * r + 1] = x1 + 6 + SIGMA * rng.nextGaussian();
            }
        }
        return new ModelTrainer.Data(Nd4j.createFromArray(x).reshape(rows, 2), y);
    }

    @Test
    void classificationBetaUsesTheOneHotCovariance() {
        int[] labels = {0, 0, 1, 2, 2, 2};
        // p = (1/3, 1/6, 1/2), Σ p² = 1/9 + 1/36 + 1/4 = 14/36; tr Σ̂ = 6/5 · 22/36
        double trace = 6.0 / 5 * (22.0 / 36);
        assertThat(ClosedFormReward.classificationBeta(labels, 3, 0.1)).isCloseTo(0.1 * 3 / (2 * trace), within(1e-12));
        assertThatThrownBy(() -> ClosedFormReward.classificationBeta(new int[] {1, 1}, 3, 1))
                .hasMessageContaining("same class");
        assertThatThrownBy(() -> ClosedFormReward.classificationBeta(new int[] {0, 4}, 3, 1))
                .hasMessageContaining("outside 0..2");
    }
}
