package org.mbrl4j.optim;

import java.util.Arrays;

/**
 * Adam on a plain parameter vector, the one optimiser of every trainer (models, reward learners' inner and outer
 * levels, classifiers). PyTorch's update — bias-corrected moments, ε added to the root of the corrected second
 * moment, weight decay added to the gradient — computed as {@code θ −= (lr / (1 − β₁ᵗ)) · m / (√v / √(1 − β₂ᵗ) + ε)}.
 * A step first adds the weight decay, clamps elements to ±clip-value, then scales the whole gradient to the clip
 * norm when its norm exceeds it (PyTorch's {@code clip_grad_value_} / {@code clip_grad_norm_} before
 * {@code step()}, except that the decay is part of what is clipped).
 */
public final class Adam {
    private final double beta1;
    private final double beta2;
    private final double eps;
    private final double weightDecay;
    private final double clipValue;
    private final double clipNorm;
    private final double[] m;
    private final double[] v;
    private double lr;
    private long t;

    private Adam(Builder b) {
        lr = b.lr;
        beta1 = b.beta1;
        beta2 = b.beta2;
        eps = b.eps;
        weightDecay = b.weightDecay;
        clipValue = b.clipValue;
        clipNorm = b.clipNorm;
        m = new double[b.size];
        v = new double[b.size];
    }

    /** Adam with β = (0.9, 0.999), ε = 1e-8, no decay or clipping, for {@code size} parameters. */
    public Adam(int size, double lr) {
        this(builder().setSize(size).setLr(lr).validated());
    }

    /** A builder; size and learning rate are required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * One step of {@code params} against {@code grad}, which is modified in place (decay and clipping); returns the
     * gradient's norm after the decay and before norm clipping. A non-finite norm leaves parameters and moments as
     * they were.
     */
    public double step(double[] params, double[] grad) {
        int p = params.length;
        double norm = 0;
        for (int i = 0; i < p; i++) {
            if (weightDecay > 0) {
                grad[i] += weightDecay * params[i];
            }
            if (clipValue > 0) {
                grad[i] = Math.max(-clipValue, Math.min(clipValue, grad[i]));
            }
            norm += grad[i] * grad[i];
        }
        norm = Math.sqrt(norm);
        if (!Double.isFinite(norm)) {
            return norm;
        }
        if (clipNorm > 0) {
            double coef = Math.min(1.0, clipNorm / (norm + 1e-6));
            if (coef < 1.0) {
                for (int i = 0; i < p; i++) {
                    grad[i] *= coef;
                }
            }
        }
        t++;
        double bc1 = 1 - Math.pow(beta1, t);
        double bc2 = Math.sqrt(1 - Math.pow(beta2, t));
        double stepSize = lr / bc1;
        for (int i = 0; i < p; i++) {
            m[i] = beta1 * m[i] + (1 - beta1) * grad[i];
            v[i] = beta2 * v[i] + (1 - beta2) * grad[i] * grad[i];
            params[i] -= stepSize * m[i] / (Math.sqrt(v[i]) / bc2 + eps);
        }
        return norm;
    }

    /** The learning rate of the next steps (a schedule's change, as PyTorch's param-group {@code lr}). */
    public void setLr(double lr) {
        if (!(lr > 0)) {
            throw new IllegalArgumentException("Adam's learning rate must be > 0, got " + lr);
        }
        this.lr = lr;
    }

    /** The current learning rate. */
    public double lr() {
        return lr;
    }

    /** Forgets the moments (a fresh optimiser with the same settings). */
    public void reset() {
        Arrays.fill(m, 0);
        Arrays.fill(v, 0);
        t = 0;
    }

    /** Builder for {@link Adam}; {@link #build} copies the settings. */
    public static final class Builder {
        private int size = -1;
        private double lr = Double.NaN;
        private double beta1 = 0.9;
        private double beta2 = 0.999;
        private double eps = 1e-8;
        private double weightDecay;
        private double clipValue;
        private double clipNorm;

        private Builder() {
        }

        /** Number of parameters (required). */
        public Builder setSize(int size) {
            this.size = size;
            return this;
        }

        /** Learning rate (required, > 0). */
        public Builder setLr(double lr) {
            this.lr = lr;
            return this;
        }

        /** Moment decay rates (default 0.9, 0.999). */
        public Builder optBetas(double beta1, double beta2) {
            this.beta1 = beta1;
            this.beta2 = beta2;
            return this;
        }

        /** ε (default 1e-8). */
        public Builder optEps(double eps) {
            this.eps = eps;
            return this;
        }

        /** L2 weight decay added to the gradient (default 0). */
        public Builder optWeightDecay(double weightDecay) {
            this.weightDecay = weightDecay;
            return this;
        }

        /** Clamp each gradient element to ±{@code clip} (default 0: off). */
        public Builder optClipValue(double clip) {
            this.clipValue = clip;
            return this;
        }

        /** Scale the gradient to norm {@code clip} when it is longer (default 0: off). */
        public Builder optClipNorm(double clip) {
            this.clipNorm = clip;
            return this;
        }

        private Builder validated() {
            require(size >= 0, "size must be ≥ 0, got " + size);
            require(lr > 0, "lr must be > 0, got " + lr);
            require(beta1 >= 0 && beta1 < 1 && beta2 >= 0 && beta2 < 1, "betas must be in [0, 1), got " + beta1 + ", "
                    + beta2);
            require(eps > 0, "eps must be > 0, got " + eps);
            require(weightDecay >= 0, "weight decay must be ≥ 0, got " + weightDecay);
            require(clipValue >= 0, "clip value must be ≥ 0 (0: off), got " + clipValue);
            require(clipNorm >= 0, "clip norm must be ≥ 0 (0: off), got " + clipNorm);
            return this;
        }

        private static void require(boolean ok, String message) {
            if (!ok) {
                throw new IllegalArgumentException("Adam: " + message);
            }
        }

        /** The optimiser, with fresh moments. */
        public Adam build() {
            return new Adam(validated());
        }
    }
}
