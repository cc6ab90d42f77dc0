package org.mbrl4j.objective;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mbrl4j.model.GaussianMlp;
import org.mbrl4j.random.ZigguratNormal;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Central finite differences (float64 model) of every objective's loss with respect to every parameter, against the
 * analytic gradient (head gradient from the objective, back-propagated by the model). For REINFORCE the loss is the
 * surrogate with the samples held fixed, recomputed here independently from the reference formula.
 */
class GradientCheckTest {
    private static final int B = 6;
    private static final int IN = 3;
    private static final int OUT = 2;

    static GaussianMlp model(String variant) {
        GaussianMlp.Builder b = GaussianMlp.builder().setInputs(IN).setOutputs(OUT).optHidden(5, 4)
                .optDataType(DataType.DOUBLE).setSeed(11);
        switch (variant) {
            case "tanh" -> b.optActivation(GaussianMlp.Activation.TANH);
            case "silu" -> b.optActivation(GaussianMlp.Activation.SILU);
            case "fixed" -> b.optFixedLogStd(true);
            case "bounds" -> b.optSoftLogStdBounds(true);
            // depths 0, 1 and 3: each layer after the first runs on the stacked (W; b) view of the parameters
            case "linear" -> b.optHidden();
            case "shallow" -> b.optHidden(6);
            case "deep" -> b.optHidden(5, 3, 4).optActivation(GaussianMlp.Activation.TANH);
            default -> { }
        }
        return b.build();
    }

    static double[] data(int n, long seed, double scale) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = scale * (2 * r.nextDouble() - 1);
        }
        return x;
    }

    @Test
    void theLossTheTrainerReportsIsTheOneWhoseGradientItFollowsWithSoftBoundsOn() {
        GaussianMlp model = model("bounds");
        INDArray x = model.inputs(data(B * IN, 1, 1.0), B);
        double[] y = data(B * OUT, 2, 1.5);
        Objective nll = new Nll();
        org.mbrl4j.model.ModelTrainer.Data d = new org.mbrl4j.model.ModelTrainer.Data(x, y);
        ToDoubleFunction<GaussianMlp> reported = m -> org.mbrl4j.model.ModelTrainer.evaluate(m, nll, d,
                new SplittableRandom(3)).get("loss");
        assertThat(model.boundPenalty()).as("the regulariser is on").isNotZero();
        GaussianOutput out = model.forward(x);
        double[] dm = new double[B * OUT];
        double[] dl = new double[B * OUT];
        nll.evaluate(out, y, new SplittableRandom(3), dm, dl);
        model.backward(dm, dl);
        double[] analytic = model.getGradient();
        // without the regulariser in the reported loss the bound parameters' error would be its weight, 0.01
        assertThat(finiteDifferenceError(model, reported, analytic)[0]).isLessThan(1e-6);
    }

    /**
     * Central differences (step 1e-6) of {@code f} in every parameter of {@code model} against {@code analytic}: the
     * largest |numeric − analytic| and the largest |numeric|. The parameters are restored.
     */
    private static double[] finiteDifferenceError(GaussianMlp model, ToDoubleFunction<GaussianMlp> f, double[] analytic) {
        double[] theta = model.getParams();
        double h = 1e-6;
        double maxErr = 0;
        double maxGrad = 0;
        for (int i = 0; i < theta.length; i++) {
            double[] t = theta.clone();
            t[i] = theta[i] + h;
            model.setParams(t);
            double up = f.applyAsDouble(model);
            t[i] = theta[i] - h;
            model.setParams(t);
            double down = f.applyAsDouble(model);
            double numeric = (up - down) / (2 * h);
            maxErr = Math.max(maxErr, Math.abs(numeric - analytic[i]));
            maxGrad = Math.max(maxGrad, Math.abs(numeric));
        }
        model.setParams(theta);
        return new double[] {maxErr, maxGrad};
    }

    @ParameterizedTest
    @CsvSource({"mse,relu", "nll,relu", "nll,tanh", "nll,silu", "nll,fixed", "nll,bounds", "nll,linear",
            "nll,shallow", "pg-identity,deep", "pg-identity,relu",
            "pg-full,silu", "pg-normalize,relu", "pg-rbf,relu", "pg-clip,relu", "pg-fixed,fixed",
            "rsample,relu", "rsample-full,tanh", "rsample-normalize,relu", "rsample-rbf,bounds"})
    void analyticGradientMatchesFiniteDifferences(String objective, String variant) {
        GaussianMlp model = model(variant);
        INDArray x = model.inputs(data(B * IN, 1, 1.0), B);
        double[] y = data(B * OUT, 2, 1.5);
        MahalanobisReward full = MahalanobisReward.matrix(new double[] {2.0, 0.6, 0.6, 0.9}, OUT);
        PolicyGradient.Builder pg = PolicyGradient.builder().setReward(MahalanobisReward.isotropic(0.7, OUT))
                .optLambda(0.8).optGenerations(4);
        Objective obj = switch (objective) {
            case "mse" -> new Mse();
            case "nll" -> new Nll();
            case "pg-identity", "pg-fixed" -> pg.build();
            case "pg-full" -> pg.setReward(full).build();
            case "pg-normalize" -> pg.optTransform(PolicyGradient.Transform.NORMALIZE).build();
            case "pg-rbf" -> pg.optTransform(PolicyGradient.Transform.RBF).optGamma(0.5).build();
            case "pg-clip" -> pg.optClip(1.6).build();
            case "rsample" -> pg.optRsample(true).build();
            case "rsample-full" -> pg.setReward(full).optRsample(true).build();
            case "rsample-normalize" -> pg.optRsample(true).optTransform(PolicyGradient.Transform.NORMALIZE).build();
            case "rsample-rbf" -> pg.optRsample(true).optTransform(PolicyGradient.Transform.RBF).optGamma(0.3).build();
            default -> throw new IllegalArgumentException(objective);
        };
        long seed = 5;
        GaussianOutput out = model.forward(x);
        double[] dm = new double[B * OUT];
        double[] dl = new double[B * OUT];
        double loss = obj.evaluate(out, y, new SplittableRandom(seed), dm, dl).loss();
        model.backward(dm, dl);
        double[] analytic = model.getGradient();
        double bound = model.boundPenalty();

        ToDoubleFunction<GaussianMlp> f;
        if (obj instanceof PolicyGradient p && objective.startsWith("pg")) {
            double[] yhat = samples(out, seed, p.generations());
            double surrogate = surrogate(out, yhat, y, p, objective.equals("pg-clip") ? 1.6 : 0);
            assertThat(surrogate).as("independent surrogate equals the objective's loss").isCloseTo(loss,
                    org.assertj.core.api.Assertions.within(1e-10 * (1 + Math.abs(loss))));
            f = m -> surrogate(m.forward(x), yhat, y, p, objective.equals("pg-clip") ? 1.6 : 0) + m.boundPenalty();
        } else {
            f = m -> obj.evaluate(m.forward(x), y, new SplittableRandom(seed), null, null).loss() + m.boundPenalty();
        }
        assertThat(f.applyAsDouble(model)).isCloseTo(loss + bound, org.assertj.core.api.Assertions.within(1e-12));
        double[] err = finiteDifferenceError(model, f, analytic);
        double maxErr = err[0];
        double maxGrad = err[1];
        assertThat(maxGrad).as("gradient is not trivially zero").isGreaterThan(1e-3);
        assertThat(maxErr).as("max |numeric − analytic| (max |grad| %s)", maxGrad).isLessThan(1e-6 * Math.max(1, maxGrad));
    }

    /**
     * The float32 path (the one training runs: native matmul kernels, column-major activations, stacked weight views)
     * computes what the float64 path checked above computes, at batch sizes on both sides of the kernels' blocking.
     */
    @ParameterizedTest
    @CsvSource({"relu,7", "relu,300", "tanh,33", "silu,300", "linear,65", "shallow,300", "deep,129", "bounds,40",
            "fixed,40"})
    void float32MatchesFloat64(String variant, int batch) {
        GaussianMlp f64 = model(variant);
        GaussianMlp f32 = f64.withDataType(DataType.FLOAT);
        f64.setParams(f32.getParams()); // the float64 model with exactly the float32 weights
        double[] rows = data(batch * IN, 3, 1.0);
        double[] y = data(batch * OUT, 4, 1.5);
        Objective obj = new Nll();
        double[][] grads = new double[2][];
        double[][] means = new double[2][];
        int i = 0;
        for (GaussianMlp m : new GaussianMlp[] {f64, f32}) {
            GaussianOutput out = m.forward(m.inputs(rows, batch));
            means[i] = out.mean().clone();
            double[] dm = new double[batch * OUT];
            double[] dl = new double[batch * OUT];
            obj.evaluate(out, y, new SplittableRandom(1), dm, dl);
            m.backward(dm, dl);
            grads[i++] = m.getGradient();
        }
        double scale = java.util.Arrays.stream(grads[0]).map(Math::abs).max().orElseThrow();
        assertThat(scale).isGreaterThan(1e-3);
        for (int k = 0; k < grads[0].length; k++) {
            assertThat(grads[1][k]).as("gradient %d of %d", k, grads[0].length)
                    .isCloseTo(grads[0][k], org.assertj.core.api.Assertions.within(2e-5 * scale));
        }
        for (int k = 0; k < means[0].length; k++) {
            assertThat(means[1][k]).isCloseTo(means[0][k], org.assertj.core.api.Assertions.within(1e-5));
        }
    }

    /** ŷ = m + σε with ε drawn in the objective's order (one stream per chunk; per row one fill of sample × dimension). */
    static double[] samples(GaussianOutput out, long seed, int g) {
        assertThat(PolicyGradient.chunks(out.batch())).isEqualTo(1);
        ZigguratNormal z = new ZigguratNormal(new SplittableRandom(new SplittableRandom(seed).nextLong()));
        int n = out.dim();
        double[] yhat = new double[out.batch() * g * n];
        double[] eps = new double[g * n];
        for (int b = 0; b < out.batch(); b++) {
            z.fill(eps);
            for (int k = 0; k < g; k++) {
                for (int d = 0; d < n; d++) {
                    int i = b * n + d;
                    yhat[(b * g + k) * n + d] = out.mean()[i] + Math.exp(out.logStd()[i]) * eps[k * n + d];
                }
            }
        }
        return yhat;
    }

    /** The reference's REINFORCE loss with fixed samples: mean(nlp·T(r)) − λ·mean(H). */
    static double surrogate(GaussianOutput out, double[] yhat, double[] y, PolicyGradient p, double clip) {
        int n = out.dim();
        int g = p.generations();
        double total = 0;
        double ent = 0;
        for (int b = 0; b < out.batch(); b++) {
            double[] r = new double[g];
            double min = Double.POSITIVE_INFINITY;
            for (int k = 0; k < g; k++) {
                double[] d = new double[n];
                for (int j = 0; j < n; j++) {
                    d[j] = yhat[(b * g + k) * n + j] - y[b * n + j];
                }
                r[k] = p.reward().value(d, 0);
                min = Math.min(min, r[k]);
            }
            for (int k = 0; k < g; k++) {
                double nlp = 0;
                for (int j = 0; j < n; j++) {
                    double m = out.mean()[b * n + j];
                    double ls = out.logStd()[b * n + j];
                    double z = (yhat[(b * g + k) * n + j] - m) / Math.exp(ls);
                    nlp += 0.5 * z * z + ls + GaussianMetrics.HALF_LOG_2PI;
                }
                nlp /= n;
                if (clip > 0) {
                    nlp = Math.max(-clip, Math.min(clip, nlp));
                }
                double t = p.toString().contains("NORMALIZE") ? r[k] - min
                        : p.toString().contains("RBF") ? Math.exp(0.5 * r[k]) : r[k];
                total += nlp * t;
            }
            for (int j = 0; j < n; j++) {
                ent += 0.5 + GaussianMetrics.HALF_LOG_2PI + out.logStd()[b * n + j];
            }
        }
        return total / (out.batch() * g) - p.lambda() * ent / (out.batch() * n);
    }
}
