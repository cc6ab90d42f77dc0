package org.mbrl4j.paper.classification;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.mbrl4j.objective.PolicyGradient;
import org.mbrl4j.optim.Adam;
import org.mbrl4j.random.Shuffle;

/**
 * Trains a {@link CategoricalPolicy} by cross-entropy (the maximum-likelihood baseline) or by the paper's
 * classification PG (paper-notes §3): G samples ŷ ~ p_θ(·|x) per input, the one-hot Mahalanobis reward with
 * U = β·I, r = −(e_ŷ − e_y)ᵀU(e_ŷ − e_y) = −2β·1[ŷ ≠ y], a reward transform T, and
 * <pre>loss = −mean_{G,B}(log p(ŷ)·T(r)) − λ·mean_B(H(p_θ(·|x)))</pre>
 * with Adam on minibatches, as the reference trains it.
 */
public final class ClassifierTrainer {

    /** The training objective. */
    public enum Loss {
        /** Cross-entropy (maximum likelihood). */
        CROSS_ENTROPY,
        /** REINFORCE with the one-hot Mahalanobis reward. */
        PG
    }

    /**
     * Metrics of one epoch.
     *
     * @param epoch       0-based
     * @param loss        mean training loss of the epoch's minibatches
     * @param valAccuracy validation accuracy after the epoch (NaN without validation rows)
     */
    public record Epoch(int epoch, double loss, double valAccuracy) {
    }

    /**
     * The outcome.
     *
     * @param epochs       per-epoch metrics
     * @param testAccuracy accuracy of the final weights on the test rows
     */
    public record Result(List<Epoch> epochs, double testAccuracy) {
    }

    private final Loss loss;
    private final double beta;
    private final double lambda;
    private final int generations;
    private final PolicyGradient.Transform transform;
    private final double gamma;
    private final int epochs;
    private final double lr;
    private final int batchSize;
    private final long seed;
    private final Consumer<Epoch> listener;

    private ClassifierTrainer(Builder b) {
        loss = b.loss;
        beta = b.beta;
        lambda = b.lambda;
        generations = b.generations;
        transform = b.transform;
        gamma = b.gamma;
        epochs = b.epochs;
        lr = b.lr;
        batchSize = b.batchSize;
        seed = b.seed;
        listener = b.listener;
    }

    /** A new builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** Trains {@code policy} in place on the split's training rows. */
    public Result train(CategoricalPolicy policy, TabularData.Split split) {
        TabularData train = split.train();
        int n = train.rows();
        int f = train.features();
        double[] theta = policy.params();
        Adam adam = new Adam(theta.length, lr);
        SplittableRandom rng = new SplittableRandom(seed);
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        List<Epoch> history = new ArrayList<>();
        for (int e = 0; e < epochs; e++) {
            Shuffle.shuffle(order, rng);
            double lossSum = 0;
            int batches = 0;
            for (int from = 0; from < n; from += batchSize) {
                int b = Math.min(batchSize, n - from);
                double[] x = new double[b * f];
                int[] y = new int[b];
                for (int r = 0; r < b; r++) {
                    System.arraycopy(train.x(), order[from + r] * f, x, r * f, f);
                    y[r] = train.y()[order[from + r]];
                }
                CategoricalPolicy.Pass pass = policy.forward(x, b);
                double[] dLogits = new double[b * policy.classes()];
                lossSum += lossAndGradient(pass.logits(), y, policy.classes(), rng, dLogits);
                batches++;
                adam.step(theta, policy.backward(pass, dLogits));
            }
            double lossMean = lossSum / batches;
            if (!Double.isFinite(lossMean)) {
                throw new IllegalStateException("classifier training diverged in epoch " + e + " (loss " + lossMean
                        + "); lower the learning rate");
            }
            Epoch ep = new Epoch(e, lossMean, split.val().rows() > 0 ? policy.accuracy(split.val()) : Double.NaN);
            history.add(ep);
            if (listener != null) {
                listener.accept(ep);
            }
        }
        return new Result(List.copyOf(history), policy.accuracy(split.test()));
    }

    /** The batch loss; dLoss/dlogits into {@code d}. */
    double lossAndGradient(double[] logits, int[] y, int c, SplittableRandom rng, double[] d) {
        int b = y.length;
        double[] p = new double[c];
        double[] raw = new double[generations];
        int[] sample = new int[generations];
        double total = 0;
        for (int r = 0; r < b; r++) {
            int o = r * c;
            double max = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < c; k++) {
                max = Math.max(max, logits[o + k]);
            }
            double z = 0;
            for (int k = 0; k < c; k++) {
                p[k] = Math.exp(logits[o + k] - max);
                z += p[k];
            }
            double logZ = Math.log(z) + max;
            double entropy = 0;
            for (int k = 0; k < c; k++) {
                p[k] /= z;
                entropy -= p[k] > 0 ? p[k] * (logits[o + k] - logZ) : 0;
            }
            if (loss == Loss.CROSS_ENTROPY) {
                total += logZ - logits[o + y[r]];
                for (int k = 0; k < c; k++) {
                    d[o + k] = (p[k] - (k == y[r] ? 1 : 0)) / b;
                }
                continue;
            }
            double min = Double.POSITIVE_INFINITY;
            for (int g = 0; g < generations; g++) {
                double u = rng.nextDouble();
                int k = 0;
                double cum = p[0];
                while (u >= cum && k < c - 1) {
                    cum += p[++k];
                }
                sample[g] = k;
                raw[g] = k == y[r] ? 0 : -2 * beta;
                min = Math.min(min, raw[g]);
            }
            double inv = 1.0 / ((double) generations * b);
            for (int g = 0; g < generations; g++) {
                double t = switch (transform) {
                    case NONE -> raw[g];
                    case NORMALIZE -> raw[g] - min;
                    case RBF -> Math.exp(gamma * raw[g]);
                };
                total += -(logits[o + sample[g]] - logZ) * t * inv * b;
                for (int k = 0; k < c; k++) {
                    d[o + k] += t * inv * (p[k] - (k == sample[g] ? 1 : 0));
                }
            }
            total -= lambda * entropy;
            for (int k = 0; k < c; k++) {
                // dH/dz_k = −p_k (log p_k + H)
                double logp = logits[o + k] - logZ;
                d[o + k] += lambda / b * p[k] * (logp + entropy);
            }
        }
        return total / b;
    }

    /** Builder; defaults are the paper's older tabular run: PG, λ = 0.1, G = 50, normalize, lr 1e-2, 100 epochs, batch 128. */
    public static final class Builder {
        private Loss loss = Loss.PG;
        private double beta = 1;
        private double lambda = 0.1;
        private int generations = 50;
        private PolicyGradient.Transform transform = PolicyGradient.Transform.NORMALIZE;
        private double gamma = 1;
        private int epochs = 100;
        private double lr = 1e-2;
        private int batchSize = 128;
        private long seed;
        private Consumer<Epoch> listener;

        private Builder() {
        }

        /** Cross-entropy or PG (default PG). */
        public Builder optLoss(Loss l) {
            this.loss = l;
            return this;
        }

        /** β of U = β·I (default 1). */
        public Builder optBeta(double b) {
            this.beta = b;
            return this;
        }

        /** Entropy weight λ (default 0.1). */
        public Builder optLambda(double l) {
            this.lambda = l;
            return this;
        }

        /** Samples per input G (default 50). */
        public Builder optGenerations(int g) {
            this.generations = g;
            return this;
        }

        /** Reward transform (default NORMALIZE). */
        public Builder optTransform(PolicyGradient.Transform t) {
            this.transform = t;
            return this;
        }

        /** γ of the RBF transform (default 1). */
        public Builder optGamma(double g) {
            this.gamma = g;
            return this;
        }

        /** Epochs (default 100). */
        public Builder optEpochs(int e) {
            this.epochs = e;
            return this;
        }

        /** Adam learning rate (default 1e-2). */
        public Builder optLr(double lr) {
            this.lr = lr;
            return this;
        }

        /** Minibatch size (default 128). */
        public Builder optBatchSize(int b) {
            this.batchSize = b;
            return this;
        }

        /** Seed of shuffling and sampling. */
        public Builder setSeed(long s) {
            this.seed = s;
            return this;
        }

        /** Receives every epoch. */
        public Builder optListener(Consumer<Epoch> l) {
            this.listener = l;
            return this;
        }

        /** Validates and builds. */
        public ClassifierTrainer build() {
            if (!(beta > 0) || !(lambda >= 0) || generations < 1 || epochs < 1 || !(lr > 0) || batchSize < 1) {
                throw new IllegalArgumentException("ClassifierTrainer: β and lr must be > 0, λ ≥ 0, generations, epochs "
                        + "and batch size ≥ 1; got β=" + beta + ", λ=" + lambda + ", G=" + generations + ", epochs="
                        + epochs + ", lr=" + lr + ", batch=" + batchSize);
            }
            return new ClassifierTrainer(this);
        }
    }
}
