package org.mbrl4j.planning;

import java.util.function.Consumer;
import java.util.random.RandomGenerator;

/**
 * Random shooting: {@code population} sequences drawn uniformly within the action bounds (plus the warm start, when
 * there is one), scored in one batch; the best is returned. The baseline every other planner must beat.
 */
public final class RandomShooting implements TrajectoryOptimizer {
    private final int horizon;
    private final ActionBounds bounds;
    private final int population;
    private final Consumer<Iteration> listener;

    private RandomShooting(Builder b) {
        horizon = b.horizon;
        bounds = new ActionBounds(b.low, b.high);
        population = b.population;
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
        double[] start = bounds.start(initial, len);
        int n = population + (initial != null ? 1 : 0);
        double[] samples = new double[n * len];
        for (int i = 0; i < population; i++) {
            for (int j = 0; j < len; j++) {
                samples[i * len + j] = bounds.low()[j % bounds.dim()] + bounds.width(j) * rng.nextDouble();
            }
        }
        if (initial != null) {
            System.arraycopy(start, 0, samples, population * len, len);
        }
        double[] values = new double[n];
        objective.evaluate(n, samples, values);
        int best = 0;
        double mean = 0;
        for (int i = 0; i < n; i++) {
            double v = Double.isNaN(values[i]) ? Double.NEGATIVE_INFINITY : values[i];
            values[i] = v;
            mean += v / n;
            if (v > values[best]) {
                best = i;
            }
        }
        if (listener != null) {
            listener.accept(new Iteration(0, values[best], mean, values[best], Double.NaN));
        }
        double[] out = new double[len];
        System.arraycopy(samples, best * len, out, 0, len);
        return out;
    }

    /** Builder: {@code setHorizon} and {@code setActionBounds} are required. */
    public static final class Builder {
        private int horizon;
        private double[] low;
        private double[] high;
        private int population = 1000;
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

        /** Sequences drawn (default 1000). */
        public Builder optPopulation(int p) {
            this.population = p;
            return this;
        }

        /** Called once per optimisation. */
        public Builder optListener(Consumer<Iteration> l) {
            this.listener = l;
            return this;
        }

        /** Validates and builds. */
        public RandomShooting build() {
            if (horizon < 1) {
                throw new IllegalArgumentException("RandomShooting horizon must be ≥ 1 (setHorizon), got " + horizon);
            }
            if (population < 1) {
                throw new IllegalArgumentException("RandomShooting population must be ≥ 1, got " + population);
            }
            return new RandomShooting(this);
        }
    }
}
