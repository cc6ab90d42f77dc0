package org.mbrl4j.paper;

import java.util.random.RandomGenerator;
import org.mbrl4j.random.ZigguratNormal;

/**
 * The paper's synthetic linear-Gaussian data (paper-notes §5): x ~ U(−5, 5)ⁿ, y = x + loc + scale·ε with ε ~ N(0, I).
 * Training inputs are {@code distinct} points each repeated {@code repeats} times (the paper: 100 × 10), so the model
 * sees several noisy targets per input. The conditional covariance is scale²·I, so U* = λ/(2·scale²)·I.
 *
 * @param dim   n, the dimension of x and y
 * @param loc   the offset of the mean
 * @param scale the noise standard deviation σ
 */
public record SyntheticGaussian(int dim, double loc, double scale) {

    /**
     * A sample: {@code distinct × repeats} rows.
     *
     * @param inputs  row-major {@code rows × dim}
     * @param targets row-major {@code rows × dim}
     */
    public record Sample(double[] inputs, double[] targets) {
        /** Number of rows. */
        public int rows(int dim) {
            return inputs.length / dim;
        }
    }

    /** Draws {@code distinct} inputs, each with {@code repeats} noisy targets. */
    public Sample sample(int distinct, int repeats, RandomGenerator rng) {
        ZigguratNormal normal = new ZigguratNormal(rng);
        double[] x = new double[distinct * repeats * dim];
        double[] y = new double[x.length];
        for (int i = 0; i < distinct; i++) {
            double[] xi = new double[dim];
            for (int d = 0; d < dim; d++) {
                xi[d] = -5 + 10 * rng.nextDouble();
            }
            for (int r = 0; r < repeats; r++) {
                int row = (i * repeats + r) * dim;
                for (int d = 0; d < dim; d++) {
                    x[row + d] = xi[d];
                    y[row + d] = xi[d] + loc + scale * normal.next();
                }
            }
        }
        return new Sample(x, y);
    }

    /** u* = λ / (2σ²). */
    public double optimalScale(double lambda) {
        return lambda / (2 * scale * scale);
    }
}
