package org.mbrl4j.planning;

import java.util.Arrays;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;
import org.mbrl4j.env.Discrete;

/**
 * The cross-entropy method over sequences of discrete actions: every time step has its own categorical distribution
 * over the {@code n} actions; each iteration samples {@code population} sequences from them, scores them in one batch,
 * and moves each step's probabilities towards the elites' action counts ({@code p ← α·p + (1 − α)·counts/elites}),
 * with a floor so that no action's probability dies before the last iteration. The warm start (the previous plan,
 * shifted) puts half of each step's mass on its action and is itself a candidate of the first iteration. With one
 * iteration and no update it is random shooting over categorical sequences. With an inverse temperature γ
 * ({@link Builder#optGamma}) the update is MPPI's instead: every sample counts with weight exp(γ·(R − max R)), so the
 * probabilities move to the reward-weighted action frequencies rather than the elites' plain counts. What is returned
 * is each step's most frequent action among the last iteration's elites (weighted as in the update), the categorical
 * counterpart of the Box CEM's elite mean: the single best sample of noisy particle rollouts is partly luck, the
 * elites' vote is not. With one elite (random shooting) that is the best sample. Sequences hold the space's action
 * values ({@code start + index}).
 */
public final class CategoricalCem implements TrajectoryOptimizer {
    private final int horizon;
    private final int n;
    private final int start;
    private final int population;
    private final int elites;
    private final int iterations;
    private final double alpha;
    private final double floor;
    private final double warmWeight;
    private final double gamma;
    private final Consumer<Iteration> listener;

    private CategoricalCem(Builder b) {
        horizon = b.horizon;
        n = b.actions.n();
        start = b.actions.start();
        population = b.population;
        elites = b.elites;
        iterations = b.iterations;
        alpha = b.alpha;
        floor = b.floor;
        warmWeight = b.warmWeight;
        gamma = b.gamma;
        listener = b.listener;
    }

    /** A new builder. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public int sequenceLength() {
        return horizon;
    }

    @Override
    public double[] optimize(SequenceObjective objective, double[] initial, RandomGenerator rng) {
        double[] p = new double[horizon * n];
        Arrays.fill(p, 1.0 / n);
        if (initial != null) {
            for (int h = 0; h < horizon; h++) {
                int a = index(initial[h]);
                for (int k = 0; k < n; k++) {
                    p[h * n + k] = (1 - warmWeight) / n + (k == a ? warmWeight : 0);
                }
            }
        }
        double[] vote = null;
        double bestValue = Double.NEGATIVE_INFINITY;
        double[] cdf = new double[n];
        for (int it = 0; it < iterations; it++) {
            boolean withWarm = it == 0 && initial != null;
            int m = population + (withWarm ? 1 : 0);
            double[] samples = new double[m * horizon];
            int[] chosen = new int[m * horizon];
            for (int h = 0; h < horizon; h++) {
                double c = 0;
                for (int k = 0; k < n; k++) {
                    c += p[h * n + k];
                    cdf[k] = c;
                }
                for (int i = 0; i < population; i++) {
                    double u = rng.nextDouble() * c;
                    int k = 0;
                    while (k < n - 1 && u >= cdf[k]) {
                        k++;
                    }
                    chosen[i * horizon + h] = k;
                    samples[i * horizon + h] = start + k;
                }
                if (withWarm) {
                    int a = index(initial[h]);
                    chosen[population * horizon + h] = a;
                    samples[population * horizon + h] = start + a;
                }
            }
            double[] values = new double[m];
            objective.evaluate(m, samples, values);
            Integer[] order = new Integer[m];
            double mean = 0;
            for (int i = 0; i < m; i++) {
                order[i] = i;
                values[i] = Double.isNaN(values[i]) ? Double.NEGATIVE_INFINITY : values[i];
                mean += values[i] / m;
            }
            // stable: of equal values the earlier sample wins, so results do not depend on sort internals
            Arrays.sort(order, (x, y) -> Double.compare(values[y], values[x]));
            bestValue = Math.max(bestValue, values[order[0]]);
            int e = Math.min(elites, m);
            double eliteMean = 0;
            for (int r = 0; r < e; r++) {
                eliteMean += values[order[r]] / e;
            }
            double[] w = weights(values, order, e);
            if (it == iterations - 1) {
                vote = vote(chosen, w, order[0]);
            } else {
                update(p, chosen, w);
            }
            if (listener != null) {
                listener.accept(new Iteration(it, bestValue, mean, eliteMean, spread(p)));
            }
        }
        return vote;
    }

    /** Each step's action of largest total weight; of equal weights, the best sample's action. */
    private double[] vote(int[] chosen, double[] weight, int bestSample) {
        double[] seq = new double[horizon];
        double[] freq = new double[n];
        for (int h = 0; h < horizon; h++) {
            Arrays.fill(freq, 0);
            for (int i = 0; i < weight.length; i++) {
                freq[chosen[i * horizon + h]] += weight[i];
            }
            int k = chosen[bestSample * horizon + h];
            for (int j = 0; j < n; j++) {
                if (freq[j] > freq[k] + 1e-12) {
                    k = j;
                }
            }
            seq[h] = start + k;
        }
        return seq;
    }

    /**
     * Each sample's weight in the update, summing to 1: 1/e for each of the e elites (CEM), or exp(γ·(R − max R))
     * normalised over every sample (MPPI; a sample scored −∞ or NaN weighs 0).
     */
    private double[] weights(double[] values, Integer[] order, int e) {
        double[] w = new double[values.length];
        if (gamma == 0) {
            for (int r = 0; r < e; r++) {
                w[order[r]] = 1.0 / e;
            }
            return w;
        }
        double max = values[order[0]];
        if (max == Double.NEGATIVE_INFINITY) {
            Arrays.fill(w, 1.0 / w.length);
            return w;
        }
        double sum = 0;
        for (int i = 0; i < w.length; i++) {
            w[i] = Math.exp(gamma * (values[i] - max));
            sum += w[i];
        }
        for (int i = 0; i < w.length; i++) {
            w[i] /= sum;
        }
        return w;
    }

    /** Moves each step's probabilities towards the samples' weighted action frequencies, then floors and renormalises. */
    private void update(double[] p, int[] chosen, double[] weight) {
        double[] freq = new double[n];
        for (int h = 0; h < horizon; h++) {
            Arrays.fill(freq, 0);
            for (int i = 0; i < weight.length; i++) {
                freq[chosen[i * horizon + h]] += weight[i];
            }
            double sum = 0;
            for (int k = 0; k < n; k++) {
                double q = alpha * p[h * n + k] + (1 - alpha) * freq[k];
                q = Math.max(q, floor);
                p[h * n + k] = q;
                sum += q;
            }
            for (int k = 0; k < n; k++) {
                p[h * n + k] /= sum;
            }
        }
    }

    /** Mean over steps of the standard deviation of the action index under each step's distribution. */
    private double spread(double[] p) {
        double s = 0;
        for (int h = 0; h < horizon; h++) {
            double m1 = 0;
            double m2 = 0;
            for (int k = 0; k < n; k++) {
                m1 += k * p[h * n + k];
                m2 += k * k * p[h * n + k];
            }
            s += Math.sqrt(Math.max(0, m2 - m1 * m1));
        }
        return s / horizon;
    }

    /** The action index of a warm-start value, clamped into the space (a shifted plan's tail may hold anything). */
    private int index(double v) {
        long k = Math.round(v) - start;
        return (int) Math.max(0, Math.min(n - 1, k));
    }

    /** Builder for {@link CategoricalCem}; {@link #build} copies the settings. */
    public static final class Builder {
        private int horizon = -1;
        private Discrete actions;
        private int population = 400;
        private int elites = 40;
        private int iterations = 5;
        private double alpha = 0.1;
        private double floor = 0.01;
        private double warmWeight = 0.5;
        private double gamma;
        private Consumer<Iteration> listener;

        private Builder() {
        }

        /** Planning horizon in steps (required, ≥ 1). */
        public Builder setHorizon(int horizon) {
            this.horizon = horizon;
            return this;
        }

        /** The action space planned over (required, at least two actions). */
        public Builder setActions(Discrete actions) {
            this.actions = actions;
            return this;
        }

        /** Sequences per iteration (default 400). */
        public Builder optPopulation(int population) {
            this.population = population;
            return this;
        }

        /** Elites per iteration (default 40). */
        public Builder optElites(int elites) {
            this.elites = elites;
            return this;
        }

        /** Iterations (default 5; 1: random shooting, the distribution is not updated). */
        public Builder optIterations(int iterations) {
            this.iterations = iterations;
            return this;
        }

        /** Weight of the old probabilities in an update (default 0.1). */
        public Builder optAlpha(double alpha) {
            this.alpha = alpha;
            return this;
        }

        /** Lowest probability of an action after an update, before renormalising (default 0.01). */
        public Builder optFloor(double floor) {
            this.floor = floor;
            return this;
        }

        /** Mass the warm start puts on its action at each step (default 0.5). */
        public Builder optWarmWeight(double w) {
            this.warmWeight = w;
            return this;
        }

        /**
         * MPPI's update with inverse temperature γ > 0: every sample weighs exp(γ·(R − max R)) instead of the elites
         * counting equally (default 0: CEM's elites).
         */
        public Builder optGamma(double gamma) {
            this.gamma = gamma;
            return this;
        }

        /** Receives every iteration. */
        public Builder optListener(Consumer<Iteration> listener) {
            this.listener = listener;
            return this;
        }

        /** Validates and builds. */
        public CategoricalCem build() {
            require(horizon >= 1, "horizon must be ≥ 1, got " + horizon);
            require(actions != null && actions.n() >= 2, "actions must be a Discrete space of at least 2 actions, got "
                    + actions);
            require(population >= 1, "population must be ≥ 1, got " + population);
            require(elites >= 1 && elites <= population, "elites must be in 1..population (" + population + "), got "
                    + elites);
            require(iterations >= 1, "iterations must be ≥ 1, got " + iterations);
            require(alpha >= 0 && alpha < 1, "alpha must be in [0, 1), got " + alpha);
            require(floor >= 0 && floor * actions.n() < 1, "floor must be ≥ 0 and below 1/" + actions.n() + ", got "
                    + floor);
            require(warmWeight >= 0 && warmWeight <= 1, "warm weight must be in [0, 1], got " + warmWeight);
            require(gamma >= 0 && !Double.isInfinite(gamma), "gamma must be finite ≥ 0 (0: elites), got " + gamma);
            Builder c = new Builder();
            c.horizon = horizon;
            c.actions = actions;
            c.population = population;
            c.elites = elites;
            c.iterations = iterations;
            c.alpha = alpha;
            c.floor = floor;
            c.warmWeight = warmWeight;
            c.gamma = gamma;
            c.listener = listener;
            return new CategoricalCem(c);
        }

        private static void require(boolean ok, String message) {
            if (!ok) {
                throw new IllegalArgumentException("CategoricalCem: " + message);
            }
        }
    }
}
