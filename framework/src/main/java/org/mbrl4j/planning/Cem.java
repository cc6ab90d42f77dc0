package org.mbrl4j.planning;

import java.util.Arrays;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;
import org.mbrl4j.random.ZigguratNormal;

/**
 * The cross-entropy method over action sequences: sample a population from a diagonal Gaussian (truncated at ±2σ and
 * clipped to the action bounds), keep the elites, move mean and variance toward theirs with smoothing α, and return
 * the mean of the final elites (mbrl-lib returned the best sample, a known accuracy loss). The population need not
 * be a multiple of anything.
 */
public final class Cem implements TrajectoryOptimizer {
    private final int horizon;
    private final ActionBounds bounds;
    private final int population;
    private final int elites;
    private final int iterations;
    private final double alpha;
    private final Consumer<Iteration> listener;

    private Cem(Builder b) {
        horizon = b.horizon;
        bounds = new ActionBounds(b.low, b.high);
        population = b.population;
        elites = Math.max(1, (int) Math.round(b.eliteRatio * b.population));
        iterations = b.iterations;
        alpha = b.alpha;
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
        double[] mean = bounds.start(initial, len);
        double[] var = new double[len];
        for (int j = 0; j < len; j++) {
            double w = bounds.width(j);
            var[j] = w * w / 16;
        }
        ZigguratNormal normal = new ZigguratNormal(rng);
        double[] samples = new double[population * len];
        double[] values = new double[population];
        Integer[] order = new Integer[population];
        double best = Double.NEGATIVE_INFINITY;
        double[] eliteMean = mean.clone();
        for (int it = 0; it < iterations; it++) {
            for (int i = 0; i < population; i++) {
                for (int j = 0; j < len; j++) {
                    double z;
                    do {
                        z = normal.next();
                    } while (z < -2 || z > 2);
                    double v = mean[j] + Math.sqrt(var[j]) * z;
                    samples[i * len + j] = bounds.clip(j, v);
                }
            }
            objective.evaluate(population, samples, values);
            for (int i = 0; i < population; i++) {
                order[i] = i;
                if (Double.isNaN(values[i])) {
                    values[i] = Double.NEGATIVE_INFINITY;
                }
            }
            Arrays.sort(order, (a, b) -> Double.compare(values[b], values[a]));
            double[] em = new double[len];
            double[] ev = new double[len];
            double eliteValue = 0;
            for (int e = 0; e < elites; e++) {
                int i = order[e];
                eliteValue += values[i] / elites;
                for (int j = 0; j < len; j++) {
                    em[j] += samples[i * len + j] / elites;
                }
            }
            for (int e = 0; e < elites; e++) {
                int i = order[e];
                for (int j = 0; j < len; j++) {
                    double d = samples[i * len + j] - em[j];
                    ev[j] += d * d / elites;
                }
            }
            best = Math.max(best, values[order[0]]);
            double meanValue = 0;
            for (double v : values) {
                meanValue += v / population;
            }
            double stdSum = 0;
            for (int j = 0; j < len; j++) {
                mean[j] = alpha * mean[j] + (1 - alpha) * em[j];
                var[j] = alpha * var[j] + (1 - alpha) * ev[j];
                stdSum += Math.sqrt(var[j]);
            }
            eliteMean = em;
            if (listener != null) {
                listener.accept(new Iteration(it, best, meanValue, eliteValue, stdSum / len));
            }
        }
        return eliteMean;
    }

    /** Builder: {@code setHorizon} and {@code setActionBounds} are required. */
    public static final class Builder {
        private int horizon;
        private double[] low;
        private double[] high;
        private int population = 200;
        private double eliteRatio = 0.1;
        private int iterations = 5;
        private double alpha = 0.1;
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

        /** Population per iteration (default 200). */
        public Builder optPopulation(int p) {
            this.population = p;
            return this;
        }

        /** Share of the population kept as elites (default 0.1). */
        public Builder optEliteRatio(double r) {
            this.eliteRatio = r;
            return this;
        }

        /** Iterations (default 5). */
        public Builder optIterations(int n) {
            this.iterations = n;
            return this;
        }

        /** Smoothing of mean and variance, the weight of the old values (default 0.1). */
        public Builder optAlpha(double a) {
            this.alpha = a;
            return this;
        }

        /** Called after every iteration. */
        public Builder optListener(Consumer<Iteration> l) {
            this.listener = l;
            return this;
        }

        /** Validates and builds. */
        public Cem build() {
            if (horizon < 1) {
                throw new IllegalArgumentException("Cem horizon must be ≥ 1 (setHorizon), got " + horizon);
            }
            if (population < 2) {
                throw new IllegalArgumentException("Cem population must be ≥ 2, got " + population);
            }
            if (!(eliteRatio > 0 && eliteRatio <= 1)) {
                throw new IllegalArgumentException("Cem elite ratio must be in (0, 1], got " + eliteRatio);
            }
            if (iterations < 1) {
                throw new IllegalArgumentException("Cem iterations must be ≥ 1, got " + iterations);
            }
            if (!(alpha >= 0 && alpha < 1)) {
                throw new IllegalArgumentException("Cem alpha must be in [0, 1), got " + alpha);
            }
            return new Cem(this);
        }
    }
}
