package org.mbrl4j.bilevel;

import java.util.SplittableRandom;
import org.mbrl4j.model.GaussianMlp;
import org.mbrl4j.model.ModelTrainer;
import org.mbrl4j.objective.GaussianOutput;
import org.mbrl4j.objective.Nll;
import org.mbrl4j.objective.Objective;
import org.mbrl4j.objective.PolicyGradient;
import org.mbrl4j.optim.Adam;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The inner level in double precision: losses, gradients, Hessian-vector products and head tangents of a model on
 * fixed training data, as functions of a flat parameter vector θ. Hessian-vector products are central differences of
 * gradients that draw the same PG samples (common random numbers): with independent samples the difference of two
 * REINFORCE gradients is noise, not curvature.
 */
final class InnerProblem implements AutoCloseable {
    private final GaussianMlp model;
    private final INDArray x;
    private final double[] y;
    private final INDArray valX;
    private final double[] valY;
    private final Nll nll = new Nll();
    private final INDArray trainInputs;
    private final INDArray valInputs;

    InnerProblem(GaussianMlp template, ModelTrainer.Data train, ModelTrainer.Data val) {
        model = template.withDataType(DataType.DOUBLE);
        trainInputs = train.inputs();
        valInputs = val == null ? null : val.inputs();
        x = train.inputs().castTo(DataType.DOUBLE);
        y = train.targets();
        valX = val == null ? null : val.inputs().castTo(DataType.DOUBLE);
        valY = val == null ? null : val.targets();
    }

    /** Frees the double-precision model and data copies. */
    @Override
    public void close() {
        model.close();
        // castTo returns the array itself when it is double already: only the copies are this problem's to free
        if (x != trainInputs && x.closeable()) {
            x.close();
        }
        if (valX != null && valX != valInputs && valX.closeable()) {
            valX.close();
        }
    }

    int numParams() {
        return model.numParams();
    }

    /** A fresh initialisation of θ. */
    double[] initialParams(SplittableRandom rng) {
        try (GaussianMlp fresh = model.reinitialized(rng)) {
            return fresh.getParams();
        }
    }

    /** The model (in the template's type) holding θ. */
    GaussianMlp modelAt(double[] theta, GaussianMlp template) {
        GaussianMlp m = template.copy();
        m.setParams(theta);
        return m;
    }

    /** Loss and gradient of {@code objective} at θ; the gradient goes to {@code grad}. */
    double gradient(double[] theta, Objective objective, long seed, double[] grad) {
        model.setParams(theta);
        GaussianOutput out = model.forward(x);
        double[] dm = new double[y.length];
        double[] dl = new double[y.length];
        double loss = objective.evaluate(out, y, new SplittableRandom(seed), dm, dl).loss();
        model.backward(dm, dl);
        System.arraycopy(model.getGradient(), 0, grad, 0, grad.length);
        return loss;
    }

    /** H·v by central differences of gradients with common random numbers, H the Hessian of {@code objective}. */
    double[] hessianVector(double[] theta, Objective objective, long seed, double[] v) {
        double h = step(theta, v);
        double[] plus = new double[theta.length];
        double[] minus = new double[theta.length];
        gradient(shifted(theta, v, h), objective, seed, plus);
        gradient(shifted(theta, v, -h), objective, seed, minus);
        for (int i = 0; i < plus.length; i++) {
            plus[i] = (plus[i] - minus[i]) / (2 * h);
        }
        return plus;
    }

    /** ∂(vᵀ∇θL_PG)/∂U ({@code dim × dim}), from the head tangents along v and the PG samples of {@code seed}. */
    double[] rewardSensitivity(double[] theta, PolicyGradient pg, long seed, double[] v) {
        double h = step(theta, v);
        model.setParams(shifted(theta, v, h));
        GaussianOutput p = copy(model.forward(x));
        model.setParams(shifted(theta, v, -h));
        GaussianOutput m = copy(model.forward(x));
        double[] tm = new double[y.length];
        double[] tl = new double[y.length];
        for (int i = 0; i < tm.length; i++) {
            tm[i] = (p.mean()[i] - m.mean()[i]) / (2 * h);
            tl[i] = (p.logStd()[i] - m.logStd()[i]) / (2 * h);
        }
        model.setParams(theta);
        GaussianOutput at = model.forward(x);
        return pg.rewardSensitivity(at, y, new SplittableRandom(seed), tm, tl);
    }

    /** Training NLL at θ, its gradient into {@code grad} when not null. */
    double trainNll(double[] theta, double[] grad) {
        if (grad == null) {
            model.setParams(theta);
            return nll.evaluate(model.forward(x), y, null, null, null).loss();
        }
        return gradient(theta, nll, 0, grad);
    }

    /** Validation NLL at θ (NaN without validation data). */
    double valNll(double[] theta) {
        if (valX == null) {
            return Double.NaN;
        }
        model.setParams(theta);
        return nll.evaluate(model.forward(valX), valY, null, null, null).loss();
    }

    /**
     * Runs {@code steps} Adam steps (PyTorch's update, fresh moments) of {@code objective} from θ in place, each
     * gradient element clamped to ±{@code clamp} first (0: no clamp); step k draws PG samples from seed
     * {@code seeds[k]}.
     */
    void adam(double[] theta, Objective objective, int steps, double lr, double clamp, long[] seeds) {
        double[] g = new double[theta.length];
        Adam adam = Adam.builder().setSize(theta.length).setLr(lr).optClipValue(clamp).build();
        for (int k = 0; k < steps; k++) {
            gradient(theta, objective, seeds[k], g);
            if (!Double.isFinite(adam.step(theta, g))) {
                // a diverged inner problem shows as non-finite θ, which the outer level reports
                java.util.Arrays.fill(theta, Double.NaN);
                return;
            }
        }
    }

    private static double step(double[] theta, double[] v) {
        double tn = Math.sqrt(dot(theta, theta));
        double vn = Math.sqrt(dot(v, v));
        return vn == 0 ? 1 : 1e-5 * (1 + tn) / vn;
    }

    private static double[] shifted(double[] theta, double[] v, double h) {
        double[] t = theta.clone();
        for (int i = 0; i < t.length; i++) {
            t[i] += h * v[i];
        }
        return t;
    }

    private static GaussianOutput copy(GaussianOutput o) {
        return new GaussianOutput(o.batch(), o.dim(), o.mean().clone(), o.logStd().clone());
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
