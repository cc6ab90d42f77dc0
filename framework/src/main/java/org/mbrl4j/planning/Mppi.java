package org.mbrl4j.planning;

import java.util.function.Consumer;
import java.util.random.RandomGenerator;
import org.mbrl4j.random.ZigguratNormal;

/**
 * Model-predictive path integral control (as in mbrl-lib's {@code MPPIOptimizer}): perturb the current mean sequence
 * with Gaussian noise smoothed in time (ε_t ← β·ε_t + (1 − β)·ε_{t−1}), clip to the bounds, score, and move the mean to
 * the exp(γ·(R − max R))-weighted average of the samples; repeat. Returns the final mean.
 */
public final class Mppi implements TrajectoryOptimizer {
    private final int horizon;
    private final ActionBounds bounds;
    private final int population;
    private final int iterations;
    private final double gamma;
    private final double sigma;
    private final double beta;
    private final Consumer<Iteration> listener;

    private Mppi(Builder b) {
        horizon = b.horizon;
        bounds = new ActionBounds(b.low, b.high);
        population = b.population;
        iterations = b.iterations;
        gamma = b.gamma;
        sigma = b.sigma;
        beta = b.beta;
        listener = b.listener;
    }

    /** A new builder. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public int sequenceLength() {
        return horizon * bounds.dim();
    }

    @Override
    public double[] optimize(SequenceObjective objective, double[] initial, RandomGenerator rng) {
        int len = sequenceLength();
        int m = bounds.dim();
        double[] mean = bounds.start(initial, len);
        ZigguratNormal normal = new ZigguratNormal(rng);
        double[] samples = new double[population * len];
        double[] values = new double[population];
        double[] weights = new double[population];
        double best = Double.NEGATIVE_INFINITY;
        for (int it = 0; it < iterations; it++) {
            for (int i = 0; i < population; i++) {
                int o = i * len;
                for (int j = 0; j < len; j++) {
                    double e = sigma * bounds.width(j) * normal.next();
                    // smooth with the previous time step of the same action dimension
                    double noise = j >= m ? beta * e + (1 - beta) * (samples[o + j - m] - mean[j - m]) : e;
                    samples[o + j] = bounds.clip(j, mean[j] + noise);
                }
            }
            objective.evaluate(population, samples, values);
            double max = Double.NEGATIVE_INFINITY;
            double avg = 0;
            for (int i = 0; i < population; i++) {
                if (Double.isNaN(values[i])) {
                    values[i] = Double.NEGATIVE_INFINITY;
                }
                max = Math.max(max, values[i]);
                avg += values[i] / population;
            }
            best = Math.max(best, max);
            double total = 0;
            for (int i = 0; i < population; i++) {
                weights[i] = Math.exp(gamma * (values[i] - max));
                total += weights[i];
            }
            java.util.Arrays.fill(mean, 0);
            double weighted = 0;
            for (int i = 0; i < population; i++) {
                double w = weights[i] / total;
                weighted += Double.isFinite(values[i]) ? w * values[i] : 0;
                for (int j = 0; j < len; j++) {
                    mean[j] += w * samples[i * len + j];
                }
            }
            if (listener != null) {
                listener.accept(new Iteration(it, best, avg, weighted, sigma));
            }
        }
        return mean;
    }

    /** Builder: {@code setHorizon} and {@code setActionBounds} are required. */
    public static final class Builder {
        private int horizon;
        private double[] low;
        private double[] high;
        private int population = 400;
        private int iterations = 5;
        private double gamma = 10;
        private double sigma = 0.25;
        private double beta = 0.7;
        private Consumer<Iteration> listener;

        private Builder() {
        }

        /** Required: planning horizon in steps (≥ 1). */
        public Builder setHorizon(int h) {
            this.horizon = h;
            return this;
        }

        /** Required: per-dimension action bounds (finite). */
        public Builder setActionBounds(double[] low, double[] high) {
            this.low = low;
            this.high = high;
            return this;
        }

        /** Samples per iteration (default 400). */
        public Builder optPopulation(int p) {
            this.population = p;
            return this;
        }

        /** Iterations (default 5). */
        public Builder optIterations(int n) {
            this.iterations = n;
            return this;
        }

        /** Inverse temperature γ of the weights exp(γ·(R − max R)) (default 10). */
        public Builder optGamma(double g) {
            this.gamma = g;
            return this;
        }

        /** Noise standard deviation as a share of each dimension's width (default 0.25). */
        public Builder optSigma(double s) {
            this.sigma = s;
            return this;
        }

        /** Noise smoothing β in (0, 1]: 1 is white noise (default 0.7). */
        public Builder optBeta(double b) {
            this.beta = b;
            return this;
        }

        /** Called after every iteration. */
        public Builder optListener(Consumer<Iteration> l) {
            this.listener = l;
            return this;
        }

        /** Validates and builds. */
        public Mppi build() {
            if (horizon < 1 || population < 1 || iterations < 1) {
                throw new IllegalArgumentException("Mppi horizon, population and iterations must be ≥ 1, got " + horizon
                        + ", " + population + ", " + iterations);
            }
            if (!(gamma > 0) || !(sigma > 0) || !(beta > 0 && beta <= 1)) {
                throw new IllegalArgumentException("Mppi needs γ > 0, σ > 0 and β in (0, 1]; got γ=" + gamma + ", σ="
                        + sigma + ", β=" + beta);
            }
            return new Mppi(this);
        }
    }
}
