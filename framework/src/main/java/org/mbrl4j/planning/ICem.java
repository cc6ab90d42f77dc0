package org.mbrl4j.planning;

import java.util.Arrays;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;
import org.mbrl4j.random.ZigguratNormal;

/**
 * The improved cross-entropy method (Pinneri et al., 2020): CEM whose samples use coloured noise in time (power
 * spectrum ∝ 1/f^β; β = 0 is white, larger β gives smoother sequences), a population that shrinks by a factor γ per
 * iteration, a share of each iteration's elites kept into the next, and the mean added as a candidate in the last
 * iteration. Mean and variance are smoothed with α as in {@link Cem}; the best sequence seen is returned.
 */
public final class ICem implements TrajectoryOptimizer {
    private final int horizon;
    private final ActionBounds bounds;
    private final int population;
    private final int elites;
    private final int iterations;
    private final double alpha;
    private final double noiseBeta;
    private final double decay;
    private final double keepElites;
    private final Consumer<Iteration> listener;

    private ICem(Builder b) {
        horizon = b.horizon;
        bounds = new ActionBounds(b.low, b.high);
        population = b.population;
        elites = b.elites;
        iterations = b.iterations;
        alpha = b.alpha;
        noiseBeta = b.noiseBeta;
        decay = b.decay;
        keepElites = b.keepElites;
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
        double[] std = new double[len];
        for (int j = 0; j < len; j++) {
            std[j] = bounds.width(j) / 4;
        }
        ZigguratNormal normal = new ZigguratNormal(rng);
        ColoredNoise noise = new ColoredNoise(horizon, noiseBeta);
        double[] kept = new double[0];
        double[] bestSeq = mean.clone();
        double bestValue = Double.NEGATIVE_INFINITY;
        for (int it = 0; it < iterations; it++) {
            int drawn = Math.max(2 * elites, (int) Math.round(population * Math.pow(decay, -it)));
            int keptRows = kept.length / len;
            int extra = it == iterations - 1 ? 1 : 0;
            int n = drawn + keptRows + extra;
            double[] samples = new double[n * len];
            double[] series = new double[horizon];
            for (int i = 0; i < drawn; i++) {
                for (int d = 0; d < m; d++) {
                    noise.sample(normal, series);
                    for (int t = 0; t < horizon; t++) {
                        int j = t * m + d;
                        samples[i * len + j] = bounds.clip(j, mean[j] + std[j] * series[t]);
                    }
                }
            }
            System.arraycopy(kept, 0, samples, drawn * len, kept.length);
            if (extra == 1) {
                System.arraycopy(mean, 0, samples, (n - 1) * len, len);
            }
            double[] values = new double[n];
            objective.evaluate(n, samples, values);
            Integer[] order = new Integer[n];
            double avg = 0;
            for (int i = 0; i < n; i++) {
                order[i] = i;
                if (Double.isNaN(values[i])) {
                    values[i] = Double.NEGATIVE_INFINITY;
                }
                avg += values[i] / n;
            }
            Arrays.sort(order, (a, b) -> Double.compare(values[b], values[a]));
            int k = Math.min(elites, n);
            if (values[order[0]] > bestValue) {
                bestValue = values[order[0]];
                System.arraycopy(samples, order[0] * len, bestSeq, 0, len);
            }
            double[] em = new double[len];
            double[] ev = new double[len];
            double eliteValue = 0;
            for (int e = 0; e < k; e++) {
                eliteValue += values[order[e]] / k;
                for (int j = 0; j < len; j++) {
                    em[j] += samples[order[e] * len + j] / k;
                }
            }
            for (int e = 0; e < k; e++) {
                for (int j = 0; j < len; j++) {
                    double dv = samples[order[e] * len + j] - em[j];
                    ev[j] += dv * dv / k;
                }
            }
            double stdSum = 0;
            for (int j = 0; j < len; j++) {
                mean[j] = alpha * mean[j] + (1 - alpha) * em[j];
                std[j] = Math.sqrt(alpha * std[j] * std[j] + (1 - alpha) * ev[j]);
                stdSum += std[j];
            }
            int keep = (int) Math.round(keepElites * k);
            kept = new double[keep * len];
            for (int e = 0; e < keep; e++) {
                System.arraycopy(samples, order[e] * len, kept, e * len, len);
            }
            if (listener != null) {
                listener.accept(new Iteration(it, bestValue, avg, eliteValue, stdSum / len));
            }
        }
        return bestSeq;
    }

    /**
     * Unit-variance Gaussian series whose power spectrum falls as 1/f^β: complex normal coefficients scaled by
     * f^(−β/2) (frequencies below 1/horizon clamped to it), then an inverse real DFT, normalised by the exact standard
     * deviation. O(horizon²) per series, which at planning horizons (≤ 100) is cheaper than an FFT's set-up.
     */
    static final class ColoredNoise {
        private final int h;
        private final double[] scale;
        private final double[][] cos;
        private final double[][] sin;
        private final double norm;

        ColoredNoise(int horizon, double beta) {
            h = horizon;
            int kmax = h / 2;
            scale = new double[kmax + 1];
            double var = 0;
            for (int k = 0; k <= kmax; k++) {
                double f = Math.max(k, 1) / (double) h;
                scale[k] = Math.pow(f, -beta / 2);
                boolean realOnly = k == 0 || (h % 2 == 0 && k == kmax);
                // x_t = (c_0 + 2Σ(re cos − im sin) + c_nyquist cos πt)/h: a paired frequency adds 4s² to h²·Var(x_t)
                var += (realOnly ? 1 : 4) * scale[k] * scale[k];
            }
            norm = Math.sqrt(var) / h;
            cos = new double[kmax + 1][h];
            sin = new double[kmax + 1][h];
            for (int k = 0; k <= kmax; k++) {
                for (int t = 0; t < h; t++) {
                    cos[k][t] = Math.cos(2 * Math.PI * k * t / h);
                    sin[k][t] = Math.sin(2 * Math.PI * k * t / h);
                }
            }
        }

        void sample(ZigguratNormal normal, double[] out) {
            Arrays.fill(out, 0);
            int kmax = h / 2;
            for (int k = 0; k <= kmax; k++) {
                boolean realOnly = k == 0 || (h % 2 == 0 && k == kmax);
                double re = scale[k] * normal.next();
                double im = realOnly ? 0 : scale[k] * normal.next();
                double mult = realOnly ? 1 : 2;
                for (int t = 0; t < h; t++) {
                    out[t] += mult * (re * cos[k][t] - im * sin[k][t]);
                }
            }
            for (int t = 0; t < h; t++) {
                out[t] /= h * norm;
            }
        }
    }

    /** Builder: {@code setHorizon} and {@code setActionBounds} are required. */
    public static final class Builder {
        private int horizon;
        private double[] low;
        private double[] high;
        private int population = 300;
        private int elites = 10;
        private int iterations = 4;
        private double alpha = 0.1;
        private double noiseBeta = 2.0;
        private double decay = 1.25;
        private double keepElites = 0.3;
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

        /** Population of the first iteration (default 300). */
        public Builder optPopulation(int p) {
            this.population = p;
            return this;
        }

        /** Number of elites (default 10). */
        public Builder optElites(int k) {
            this.elites = k;
            return this;
        }

        /** Iterations (default 4). */
        public Builder optIterations(int n) {
            this.iterations = n;
            return this;
        }

        /** Smoothing of mean and variance, the weight of the old values (default 0.1). */
        public Builder optAlpha(double a) {
            this.alpha = a;
            return this;
        }

        /** Exponent β of the noise spectrum 1/f^β (default 2; 0 is white noise). */
        public Builder optNoiseBeta(double b) {
            this.noiseBeta = b;
            return this;
        }

        /** Population decay factor γ ≥ 1 per iteration (default 1.25). */
        public Builder optPopulationDecay(double g) {
            this.decay = g;
            return this;
        }

        /** Share of elites carried into the next iteration (default 0.3). */
        public Builder optKeepElites(double share) {
            this.keepElites = share;
            return this;
        }

        /** Called after every iteration. */
        public Builder optListener(Consumer<Iteration> l) {
            this.listener = l;
            return this;
        }

        /** Validates and builds. */
        public ICem build() {
            if (horizon < 1 || iterations < 1 || elites < 1 || population < 2 * elites) {
                throw new IllegalArgumentException("ICem needs horizon, iterations, elites ≥ 1 and population ≥ 2·elites; "
                        + "got " + horizon + ", " + iterations + ", " + elites + ", " + population);
            }
            if (!(alpha >= 0 && alpha < 1) || !(noiseBeta >= 0) || !(decay >= 1) || !(keepElites >= 0 && keepElites <= 1)) {
                throw new IllegalArgumentException("ICem needs α in [0, 1), noise β ≥ 0, decay ≥ 1, keep-elites in [0, 1];"
                        + " got α=" + alpha + ", β=" + noiseBeta + ", decay=" + decay + ", keep=" + keepElites);
            }
            return new ICem(this);
        }
    }
}
