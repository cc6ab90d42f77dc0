package org.mbrl4j.paper.classification;

import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * A categorical "policy" p_θ(y|x) = softmax(f_θ(x)): multiclass logistic regression when there are no hidden layers,
 * else an MLP with ReLU hidden layers. Parameters are one flat vector, layer by layer {@code W (in × out)} then
 * {@code b (out)}, initialised as PyTorch's {@code nn.Linear} (U(±1/√in)). Plain Java arithmetic: at the sizes of
 * tabular data (≤ 64 features, ≤ 10 classes, batches of 128) a per-operation ND4J call costs more than the work.
 */
public final class CategoricalPolicy {
    private final int inputs;
    private final int classes;
    private final int[] hidden;
    private final int[] sizes;
    private final double[] params;

    /** A policy with {@code hidden} ReLU layers (none: logistic regression), initialised from {@code rng}. */
    public CategoricalPolicy(int inputs, int classes, int[] hidden, RandomGenerator rng) {
        if (inputs < 1 || classes < 2) {
            throw new IllegalArgumentException("a categorical policy needs ≥ 1 input and ≥ 2 classes, got " + inputs
                    + " and " + classes);
        }
        this.inputs = inputs;
        this.classes = classes;
        this.hidden = hidden.clone();
        sizes = new int[hidden.length + 2];
        sizes[0] = inputs;
        System.arraycopy(hidden, 0, sizes, 1, hidden.length);
        sizes[sizes.length - 1] = classes;
        int p = 0;
        for (int l = 0; l + 1 < sizes.length; l++) {
            p += sizes[l] * sizes[l + 1] + sizes[l + 1];
        }
        params = new double[p];
        int off = 0;
        for (int l = 0; l + 1 < sizes.length; l++) {
            double bound = 1 / Math.sqrt(sizes[l]);
            int count = sizes[l] * sizes[l + 1] + sizes[l + 1];
            for (int i = 0; i < count; i++) {
                params[off + i] = (2 * rng.nextDouble() - 1) * bound;
            }
            off += count;
        }
    }

    /** Number of classes. */
    public int classes() {
        return classes;
    }

    /** Hidden layer sizes (empty: logistic regression). */
    public int[] hidden() {
        return hidden.clone();
    }

    /** The flat parameters (live). */
    public double[] params() {
        return params;
    }

    /** The activations of one forward pass, kept for {@link #backward}. */
    public static final class Pass {
        final int batch;
        final double[][] acts;

        Pass(int batch, double[][] acts) {
            this.batch = batch;
            this.acts = acts;
        }

        /** The logits, {@code batch × classes}, row-major. */
        public double[] logits() {
            return acts[acts.length - 1];
        }
    }

    /** Forward pass on {@code n} rows of {@code x} (row-major). */
    public Pass forward(double[] x, int n) {
        if (x.length != n * inputs) {
            throw new IllegalArgumentException("expected " + n + " × " + inputs + " inputs, got " + x.length + " values");
        }
        double[][] acts = new double[sizes.length][];
        acts[0] = x;
        int off = 0;
        for (int l = 0; l + 1 < sizes.length; l++) {
            int in = sizes[l];
            int out = sizes[l + 1];
            double[] a = acts[l];
            double[] z = new double[n * out];
            int bOff = off + in * out;
            for (int r = 0; r < n; r++) {
                System.arraycopy(params, bOff, z, r * out, out);
                for (int i = 0; i < in; i++) {
                    double v = a[r * in + i];
                    if (v == 0) {
                        continue;
                    }
                    int w = off + i * out;
                    for (int o = 0; o < out; o++) {
                        z[r * out + o] += v * params[w + o];
                    }
                }
            }
            if (l + 2 < sizes.length) {
                for (int i = 0; i < z.length; i++) {
                    z[i] = Math.max(0, z[i]);
                }
            }
            acts[l + 1] = z;
            off = bOff + out;
        }
        return new Pass(n, acts);
    }

    /** dLoss/dθ given dLoss/dlogits of the pass. */
    public double[] backward(Pass p, double[] dLogits) {
        double[] grad = new double[params.length];
        int n = p.batch;
        double[] delta = dLogits.clone();
        int off = params.length;
        for (int l = sizes.length - 2; l >= 0; l--) {
            int in = sizes[l];
            int out = sizes[l + 1];
            off -= in * out + out;
            double[] a = p.acts[l];
            int bOff = off + in * out;
            double[] prev = l > 0 ? new double[n * in] : null;
            for (int r = 0; r < n; r++) {
                for (int o = 0; o < out; o++) {
                    grad[bOff + o] += delta[r * out + o];
                }
                for (int i = 0; i < in; i++) {
                    double v = a[r * in + i];
                    int w = off + i * out;
                    double back = 0;
                    for (int o = 0; o < out; o++) {
                        double d = delta[r * out + o];
                        grad[w + o] += v * d;
                        back += params[w + o] * d;
                    }
                    if (prev != null) {
                        prev[r * in + i] = v > 0 ? back : 0;
                    }
                }
            }
            delta = prev;
        }
        return grad;
    }

    /** The most probable class of each row. */
    public int[] predict(double[] x, int n) {
        double[] logits = forward(x, n).logits();
        int[] y = new int[n];
        for (int r = 0; r < n; r++) {
            int best = 0;
            for (int c = 1; c < classes; c++) {
                if (logits[r * classes + c] > logits[r * classes + best]) {
                    best = c;
                }
            }
            y[r] = best;
        }
        return y;
    }

    /** Share of rows of {@code d} whose most probable class is the label. */
    public double accuracy(TabularData d) {
        int[] pred = predict(d.x(), d.rows());
        int ok = 0;
        for (int i = 0; i < pred.length; i++) {
            ok += pred[i] == d.y()[i] ? 1 : 0;
        }
        return (double) ok / pred.length;
    }

    @Override
    public String toString() {
        return "CategoricalPolicy[" + inputs + " → " + Arrays.toString(hidden) + " → " + classes + "]";
    }
}
