package org.mbrl4j.optim;

import java.util.Arrays;

/**
 * Adam on a plain parameter vector, PyTorch's update (bias-corrected moments, ε added to the root of the second
 * moment), for the small optimisation loops outside {@code ModelTrainer}: reward learners' inner and outer levels,
 * classifiers.
 */
public final class Adam {
    private final double lr;
    private final double[] m;
    private final double[] v;
    private int t;

    /** Adam with β = (0.9, 0.999), ε = 1e-8 for {@code size} parameters. */
    public Adam(int size, double lr) {
        this.lr = lr;
        m = new double[size];
        v = new double[size];
    }

    /** Moves {@code params} one step against {@code grad}, whose elements are first clamped to ±clamp (0: none). */
    public void step(double[] params, double[] grad, double clamp) {
        t++;
        double c1 = 1 - Math.pow(0.9, t);
        double c2 = 1 - Math.pow(0.999, t);
        for (int i = 0; i < params.length; i++) {
            double g = clamp > 0 ? Math.max(-clamp, Math.min(clamp, grad[i])) : grad[i];
            m[i] = 0.9 * m[i] + 0.1 * g;
            v[i] = 0.999 * v[i] + 0.001 * g * g;
            params[i] -= lr * (m[i] / c1) / (Math.sqrt(v[i] / c2) + 1e-8);
        }
    }

    /** Forgets the moments (a fresh optimiser). */
    public void reset() {
        Arrays.fill(m, 0);
        Arrays.fill(v, 0);
        t = 0;
    }
}
