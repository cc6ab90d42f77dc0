package org.mbrl4j.model;

import org.mbrl4j.objective.GaussianOutput;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.scalar.RectifiedLinear;
import org.nd4j.linalg.api.ops.impl.scalar.Step;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.MulOp;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Swish;
import org.nd4j.linalg.api.ops.impl.transforms.strict.SwishDerivative;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Tanh;
import org.nd4j.linalg.api.ops.impl.transforms.strict.TanhDerivative;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * A conditional Gaussian p(y|x) = N(m(x), diag σ(x)²): an MLP trunk (linear + activation per hidden layer), a linear
 * mean head and a linear log-std head (or a free log-std vector), optionally with PETS-style soft log-std bounds.
 * This is the reference implementation's {@code MLPPolicy}, on ND4J.
 *
 * <p>All parameters live in one flat ND4J vector (and the gradient in another), so optimisers, gradient clipping and
 * Hessian-vector products work on one array. The forward pass is three (or L + 1) gemms into preallocated buffers;
 * the backward pass takes the loss gradient with respect to the head outputs (mean and log σ) from an
 * {@link org.mbrl4j.objective.Objective} and runs the gemms back: a PG step needs one backward pass, not G. Float32 by
 * default, float64 on request (Hessian-vector products by finite differences need it).
 *
 * <p>Not thread-safe: one model per thread.
 */
public final class GaussianMlp implements AutoCloseable {

    /** Hidden-layer activation. */
    public enum Activation {
        /** max(0, z), the reference default. */
        RELU,
        /** tanh(z). */
        TANH,
        /** z·sigmoid(z) (mbrl-lib's PETS models). */
        SILU
    }

    /** Initial value of the learned soft upper bound of log σ (half of mbrl-lib's log-variance bound 0.5). */
    static final double MAX_LOGSTD_INIT = 0.25;
    /** Initial value of the learned soft lower bound of log σ (half of mbrl-lib's log-variance bound −10). */
    static final double MIN_LOGSTD_INIT = -5.0;
    /** Weight of the bound regulariser 0.01·(Σ max − Σ min), as in PETS. */
    static final double BOUND_PENALTY = 0.01;

    private final int nIn;
    private final int nOut;
    private final int[] hidden;
    /**
     * The most parameters a member may have: 2²⁴ (16.7 M; 128 MB of doubles, and the Adam moments twice more), far
     * beyond what a CPU trains (mbrl-lib's HalfCheetah member has 0.13 M).
     */
    public static final long MAX_PARAMETERS = 1L << 24;
    private final Activation activation;
    private final boolean fixedLogStd;
    private final boolean softBounds;
    private final DataType dtype;
    private final INDArray params;
    private final INDArray[] w;
    private final INDArray[] b;
    private final INDArray logStd;
    private final INDArray maxLogStd;
    private final INDArray minLogStd;
    private Normalizer inputNormalizer;
    private Normalizer targetNormalizer;
    /** Buffers per batch size (train, validation and test sizes alternate every epoch), least recently used first. */
    private final Map<Integer, Pass> passes = new LinkedHashMap<>(8, 0.75f, true);
    /** Native bytes the cached passes of {@link #forward(INDArray)} may hold besides the newest one. */
    private static final long PASS_CACHE_BYTES = 32L << 20;
    private Pass last;
    private boolean closed;

    private GaussianMlp(Builder bld) {
        nIn = bld.nIn;
        nOut = bld.nOut;
        hidden = bld.hidden.clone();
        activation = bld.activation;
        fixedLogStd = bld.fixedLogStd;
        softBounds = bld.softBounds;
        dtype = bld.dtype;
        int layers = hidden.length + 1;
        int[] fanIn = new int[layers];
        int[] fanOut = new int[layers];
        long total = 0;
        for (int l = 0; l < layers; l++) {
            fanIn[l] = l == 0 ? nIn : hidden[l - 1];
            fanOut[l] = l < hidden.length ? hidden[l] : headWidth();
            total += (long) fanIn[l] * fanOut[l] + fanOut[l];
        }
        total += (fixedLogStd ? nOut : 0) + (softBounds ? 2L * nOut : 0);
        params = Nd4j.create(dtype, 1, total);
        w = new INDArray[layers];
        b = new INDArray[layers];
        INDArray[] views = layout(params);
        for (int l = 0; l < layers; l++) {
            w[l] = views[2 * l];
            b[l] = views[2 * l + 1];
        }
        logStd = fixedLogStd ? views[2 * layers] : null;
        maxLogStd = softBounds ? views[2 * layers + (fixedLogStd ? 1 : 0)] : null;
        minLogStd = softBounds ? views[2 * layers + (fixedLogStd ? 2 : 1)] : null;
        initialize(bld.rng);
    }

    /** Views of a flat parameter-shaped vector: W, b per layer, then the free log σ and the bounds when present. */
    private INDArray[] layout(INDArray flat) {
        int layers = hidden.length + 1;
        java.util.List<INDArray> v = new ArrayList<>();
        long off = 0;
        for (int l = 0; l < layers; l++) {
            int in = l == 0 ? nIn : hidden[l - 1];
            int out = l < hidden.length ? hidden[l] : headWidth();
            v.add(view(flat, off, in, out));
            off += (long) in * out;
            v.add(view(flat, off, 1, out));
            off += out;
        }
        int extra = (fixedLogStd ? 1 : 0) + (softBounds ? 2 : 0);
        for (int k = 0; k < extra; k++) {
            v.add(view(flat, off, 1, nOut));
            off += nOut;
        }
        return v.toArray(INDArray[]::new);
    }

    private static INDArray view(INDArray flat, long off, int rows, int cols) {
        return flat.get(NDArrayIndex.point(0), NDArrayIndex.interval(off, off + (long) rows * cols)).reshape('c', rows, cols);
    }

    /** PyTorch's {@code nn.Linear} default: weights and biases uniform in ±1/√fan_in; free log σ 0; bounds as PETS. */
    private void initialize(RandomGenerator rng) {
        for (int l = 0; l < w.length; l++) {
            double bound = 1.0 / Math.sqrt(w[l].rows());
            fillUniform(w[l], bound, rng);
            fillUniform(b[l], bound, rng);
        }
        if (fixedLogStd) {
            logStd.assign(0);
        }
        if (softBounds) {
            maxLogStd.assign(MAX_LOGSTD_INIT);
            minLogStd.assign(MIN_LOGSTD_INIT);
        }
    }

    private static void fillUniform(INDArray a, double bound, RandomGenerator rng) {
        double[] v = new double[(int) a.length()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (2 * rng.nextDouble() - 1) * bound;
        }
        a.assign(Nd4j.createFromArray(v).reshape(a.shape()).castTo(a.dataType()));
    }

    /** A new builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** Columns of the last layer: the mean, then the log σ unless it is a free vector. */
    int headWidth() {
        return fixedLogStd ? nOut : 2 * nOut;
    }

    /** Input dimension. */
    public int inputs() {
        return nIn;
    }

    /** GaussianOutput dimension. */
    public int outputs() {
        return nOut;
    }

    /** Hidden layer sizes, a copy. */
    public int[] hidden() {
        return hidden.clone();
    }

    /** The hidden-layer activation. */
    public Activation activation() {
        return activation;
    }

    /** Whether log σ is a free vector rather than a head. */
    public boolean fixedLogStd() {
        return fixedLogStd;
    }

    /** Whether soft log-std bounds are applied. */
    public boolean softLogStdBounds() {
        return softBounds;
    }

    /** Floating-point type of parameters and activations. */
    public DataType dataType() {
        return dtype;
    }

    /** Number of scalar parameters. */
    public int numParams() {
        return (int) params.length();
    }

    /** The flat parameter vector (live: writes change the model). */
    public INDArray params() {
        return params;
    }

    /** The pass of the last {@link #forward(INDArray)} (for tests). */
    Pass lastPass() {
        return last;
    }

    /** The flat gradient of the last {@link #backward(double[], double[])} (live). */
    public INDArray gradient() {
        if (last == null) {
            throw new IllegalStateException("no gradient yet: call forward and backward first");
        }
        return last.grad;
    }

    /** The parameters as a double array (a copy). */
    public double[] getParams() {
        double[] p = new double[numParams()];
        readParams(p);
        return p;
    }

    /**
     * Copies the parameters into {@code out} through the native buffer: a training step creates no arrays (garbage
     * made a young collection every other step at batch 10000).
     */
    public void readParams(double[] out) {
        checkLength(out);
        read(params, out, false, 1.0);
    }

    /** Replaces all parameters, written straight into the native buffer. */
    public void setParams(double[] p) {
        checkLength(p);
        if (dtype == DataType.FLOAT) {
            FloatBuffer buf = params.data().asNioFloat();
            for (int i = 0; i < p.length; i++) {
                buf.put(i, (float) p[i]);
            }
        } else if (dtype == DataType.DOUBLE) {
            params.data().asNioDouble().put(0, p);
        } else {
            params.assign(Nd4j.createFromArray(p).reshape(1, p.length).castTo(dtype));
        }
    }

    private void checkLength(double[] p) {
        if (p.length != numParams()) {
            throw new IllegalArgumentException("expected " + numParams() + " parameters, got " + p.length);
        }
    }

    /** {@code out[i] = a[i]}, or {@code out[i] += weight · a[i]} when {@code add}, over a whole flat vector. */
    private static void read(INDArray a, double[] out, boolean add, double weight) {
        DataType t = a.dataType();
        if (t == DataType.FLOAT) {
            FloatBuffer buf = a.data().asNioFloat();
            if (add) {
                for (int i = 0; i < out.length; i++) {
                    out[i] += weight * buf.get(i);
                }
            } else {
                for (int i = 0; i < out.length; i++) {
                    out[i] = buf.get(i);
                }
            }
        } else if (t == DataType.DOUBLE) {
            DoubleBuffer buf = a.data().asNioDouble();
            if (add) {
                for (int i = 0; i < out.length; i++) {
                    out[i] += weight * buf.get(i);
                }
            } else {
                buf.get(0, out);
            }
        } else {
            double[] v = a.toDoubleVector();
            for (int i = 0; i < out.length; i++) {
                out[i] = add ? out[i] + weight * v[i] : v[i];
            }
        }
    }

    /** The gradient of the last {@link #backward} as a double array (a copy). */
    public double[] getGradient() {
        return gradient().toDoubleVector();
    }

    /** The input normaliser, or null when inputs are used as they are. */
    public Normalizer inputNormalizer() {
        return inputNormalizer;
    }

    /** Sets (or clears with null) the input normaliser. */
    public void setInputNormalizer(Normalizer n) {
        if (n != null && n.dim() != nIn) {
            throw new IllegalArgumentException("input normalizer has " + n.dim() + " dimensions, the model " + nIn);
        }
        inputNormalizer = n;
    }

    /** The target normaliser, or null when targets are modelled as they are. */
    public Normalizer targetNormalizer() {
        return targetNormalizer;
    }

    /** Sets (or clears with null) the target normaliser. */
    public void setTargetNormalizer(Normalizer n) {
        if (n != null && n.dim() != nOut) {
            throw new IllegalArgumentException("target normalizer has " + n.dim() + " dimensions, the model " + nOut);
        }
        targetNormalizer = n;
    }

    /** A deep copy (parameters, normalisers, architecture). */
    public GaussianMlp copy() {
        GaussianMlp c = new Builder().setInputs(nIn).setOutputs(nOut).optHidden(hidden).optActivation(activation)
                .optFixedLogStd(fixedLogStd).optSoftLogStdBounds(softBounds).optDataType(dtype)
                .setRandom(new java.util.SplittableRandom(0)).build();
        c.params.assign(params);
        c.inputNormalizer = inputNormalizer;
        c.targetNormalizer = targetNormalizer;
        return c;
    }

    /** A freshly initialised model of the same architecture and type, keeping the normalisers. */
    public GaussianMlp reinitialized(RandomGenerator rng) {
        GaussianMlp c = new Builder().setInputs(nIn).setOutputs(nOut).optHidden(hidden).optActivation(activation)
                .optFixedLogStd(fixedLogStd).optSoftLogStdBounds(softBounds).optDataType(dtype).setRandom(rng).build();
        c.inputNormalizer = inputNormalizer;
        c.targetNormalizer = targetNormalizer;
        return c;
    }

    /** A copy with another floating-point type. */
    public GaussianMlp withDataType(DataType type) {
        GaussianMlp c = new Builder().setInputs(nIn).setOutputs(nOut).optHidden(hidden).optActivation(activation)
                .optFixedLogStd(fixedLogStd).optSoftLogStdBounds(softBounds).optDataType(type)
                .setRandom(new java.util.SplittableRandom(0)).build();
        c.params.assign(params.castTo(type));
        c.inputNormalizer = inputNormalizer;
        c.targetNormalizer = targetNormalizer;
        return c;
    }

    /**
     * Model-space inputs for raw rows (row-major {@code n × inputs}): normalised when an input normaliser is set, in
     * the model's floating-point type.
     */
    public INDArray inputs(double[] rows, int n) {
        if (rows.length != (long) n * nIn) {
            throw new IllegalArgumentException("expected " + n + " × " + nIn + " input values, got " + rows.length);
        }
        double[] x = rows.clone();
        if (inputNormalizer != null) {
            inputNormalizer.apply(x);
        }
        return Nd4j.createFromArray(x).reshape('c', n, nIn).castTo(dtype);
    }

    /** Model-space targets for raw target rows: normalised when a target normaliser is set. */
    public double[] targets(double[] rows) {
        double[] y = rows.clone();
        if (targetNormalizer != null) {
            targetNormalizer.apply(y);
        }
        return y;
    }

    /**
     * Forward pass on model-space inputs ({@code batch × inputs}); keeps the activations for {@link #backward}. The
     * returned arrays belong to the model and are overwritten by the next forward pass of the same batch size (large
     * arrays are reused: allocating them every step cost more than the arithmetic); copy them to keep them.
     */
    public GaussianOutput forward(INDArray x) {
        requireOpen();
        if (x.rank() != 2 || x.columns() != nIn) {
            throw new IllegalArgumentException("inputs must be a matrix with " + nIn + " columns, got shape "
                    + Arrays.toString(x.shape()));
        }
        int n = x.rows();
        last = passes.computeIfAbsent(n, Pass::new);
        // room for every size of a planner's calls (iCEM's decaying population: ~6 per plan), because churning
        // passes leaks native memory in ND4J M2.1 even when closed (measured ~11 KB per pass created, with explicit
        // GCs; an iCEM PETS run with room for 4 grew past 22 GB), but within a byte budget: one-off evaluations of a
        // growing validation set (every PETS retrain) otherwise kept 16 ever larger passes per member (+1.4 GB per
        // hour of PETS). The newest pass always stays; evicted passes are closed
        long bytes = 0;
        for (Pass p : passes.values()) {
            bytes += p.bytes();
        }
        while (passes.size() > 1 && (passes.size() > 16 || bytes - last.bytes() > PASS_CACHE_BYTES)) {
            Pass evicted = passes.remove(passes.keySet().iterator().next());
            bytes -= evicted.bytes();
            evicted.close();
        }
        return forward(x, last);
    }

    /** A reusable set of buffers for forward and backward passes of {@code batch} rows; the caller closes it. */
    public Pass newPass(int batch) {
        requireOpen();
        return new Pass(batch);
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("this GaussianMlp is closed: its native buffers are freed");
        }
    }

    /**
     * Frees the model's native buffers (parameters and every cached pass) now rather than when the garbage collector
     * gets to them; the model must not be used afterwards. Closing twice does nothing.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (Pass p : passes.values()) {
            p.close();
        }
        passes.clear();
        last = null;
        if (params.closeable()) {
            params.close();
        }
    }

    /** Whether {@link #close} was called. */
    public boolean isClosed() {
        return closed;
    }

    /**
     * Forward pass into {@code p}, whose buffers (and returned arrays) it overwrites. Passes with distinct
     * {@link Pass} objects may run in parallel threads: they only read the parameters.
     */
    public GaussianOutput forward(INDArray x, Pass p) {
        if (x.rank() != 2 || x.columns() != nIn || x.rows() != p.batch) {
            throw new IllegalArgumentException("inputs must be a " + p.batch + " × " + nIn + " matrix, got shape "
                    + Arrays.toString(x.shape()));
        }
        if (x.dataType() != dtype) {
            x = x.castTo(dtype);
        }
        int n = x.rows();
        Pass cache = p;
        cache.x = x;
        INDArray in = x;
        for (int l = 0; l < hidden.length; l++) {
            // bias as a rank-1 gemm (ones · b) accumulated into z: no broadcast op (a JVM crash inside ND4J's
            // broadcast path, sd::DataBuffer::primary, was seen once in a long PETS run)
            Nd4j.gemm(cache.ones, b[l], cache.z[l], true, false, 1.0, 0.0);
            Nd4j.gemm(in, w[l], cache.z[l], false, false, 1.0, 1.0);
            activate(cache.z[l], cache.h[l]);
            in = cache.h[l];
        }
        int top = hidden.length;
        Nd4j.gemm(cache.ones, b[top], cache.head, true, false, 1.0, 0.0);
        Nd4j.gemm(in, w[top], cache.head, false, false, 1.0, 1.0);
        double[] head = cache.readHead();
        int hw = headWidth();
        double[] mean = cache.mean;
        double[] ls = cache.logStd;
        double[] free = fixedLogStd ? logStd.toDoubleVector() : null;
        double[] mx = softBounds ? maxLogStd.toDoubleVector() : null;
        double[] mn = softBounds ? minLogStd.toDoubleVector() : null;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < nOut; j++) {
                mean[i * nOut + j] = head[i * hw + j];
                double raw = fixedLogStd ? free[j] : head[i * hw + nOut + j];
                ls[i * nOut + j] = softBounds ? bounded(raw, mx[j], mn[j]) : raw;
            }
        }
        cache.rawLogStd = softBounds ? rawLogStd(head, free, n) : null;
        cache.output = new GaussianOutput(n, nOut, mean, ls);
        return cache.output;
    }

    /** Layer l's weights ({@code in × out}, live). */
    INDArray weight(int l) {
        requireOpen();
        return w[l];
    }

    /**
     * The parameters as float32 into {@code out} (one bulk copy of the native buffer), for readers of many small
     * pieces: each read of a view through ND4J costs native shape information.
     */
    void readParams(float[] out) {
        if (dtype != DataType.FLOAT) {
            throw new IllegalStateException("float parameters requested of a " + dtype + " model");
        }
        params.data().asNioFloat().get(0, out);
    }

    /**
     * Where the pieces of {@link #layout} start in the flat parameters: W, b per layer, then the free log σ and the
     * soft bounds when present.
     */
    int[] pieceOffsets() {
        int layers = hidden.length + 1;
        int extra = (fixedLogStd ? 1 : 0) + (softBounds ? 2 : 0);
        int[] off = new int[2 * layers + extra];
        int o = 0;
        int k = 0;
        for (int l = 0; l < layers; l++) {
            int in = l == 0 ? nIn : hidden[l - 1];
            int out = l < hidden.length ? hidden[l] : headWidth();
            off[k++] = o;
            o += in * out;
            off[k++] = o;
            o += out;
        }
        for (int e = 0; e < extra; e++) {
            off[k++] = o;
            o += nOut;
        }
        return off;
    }

    /** {@code h = act(z)} in place, one native op over all rows given. */
    void activateInPlace(INDArray z) {
        activate(z, z);
    }

    private double[] rawLogStd(double[] head, double[] free, int n) {
        double[] raw = new double[n * nOut];
        int hw = headWidth();
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < nOut; j++) {
                raw[i * nOut + j] = fixedLogStd ? free[j] : head[i * hw + nOut + j];
            }
        }
        return raw;
    }

    private static double softplus(double x) {
        return x > 30 ? x : Math.log1p(Math.exp(x));
    }

    private static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    /** PETS' soft bounds of log σ: max − softplus(max − raw), then min + softplus(that − min). */
    private static double bounded(double raw, double max, double min) {
        double upper = max - softplus(max - raw);
        return min + softplus(upper - min);
    }

    /** Forward pass on raw input rows (normalised here when a normaliser is set). */
    public GaussianOutput predict(double[] rows, int n) {
        return forward(inputs(rows, n));
    }

    /** The bound regulariser 0.01·(Σ max − Σ min) that PETS adds to the loss when soft bounds are on; else 0. */
    public double boundPenalty() {
        return softBounds ? BOUND_PENALTY * (maxLogStd.sumNumber().doubleValue() - minLogStd.sumNumber().doubleValue()) : 0;
    }

    /**
     * Backward pass of the last {@link #forward}: given dL/dmean and dL/dlogσ (each {@code batch × dim}), writes dL/dθ
     * into {@link #gradient()} (overwriting it), including the bound regulariser's gradient when bounds are on.
     */
    public void backward(double[] dMean, double[] dLogStd) {
        if (last == null) {
            throw new IllegalStateException("backward() needs a forward() first");
        }
        backward(last, dMean, dLogStd);
    }

    /** Backward pass of the forward pass held by {@code p}, writing dL/dθ into {@code p.gradient()}. */
    public void backward(Pass p, double[] dMean, double[] dLogStd) {
        Pass cache = p;
        INDArray[] gw = p.gw;
        INDArray[] gb = p.gb;
        int n = cache.batch;
        if (dMean.length != n * nOut || dLogStd.length != n * nOut) {
            throw new IllegalArgumentException("head gradients must have " + n + " × " + nOut + " values");
        }
        int hw = headWidth();
        double[] dHead = cache.dHeadValues;
        double[] dFree = fixedLogStd ? new double[nOut] : null;
        double[] dMax = softBounds ? new double[nOut] : null;
        double[] dMin = softBounds ? new double[nOut] : null;
        double[] mx = softBounds ? maxLogStd.toDoubleVector() : null;
        double[] mn = softBounds ? minLogStd.toDoubleVector() : null;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < nOut; j++) {
                int k = i * nOut + j;
                dHead[i * hw + j] = dMean[k];
                double g = dLogStd[k];
                if (softBounds) {
                    double raw = cache.rawLogStd[k];
                    double s1 = sigmoid(mx[j] - raw);
                    double upper = mx[j] - softplus(mx[j] - raw);
                    double s2 = sigmoid(upper - mn[j]);
                    dMax[j] += g * s2 * (1 - s1);
                    dMin[j] += g * (1 - s2);
                    g = g * s2 * s1;
                }
                if (fixedLogStd) {
                    dFree[j] += g;
                } else {
                    dHead[i * hw + nOut + j] = g;
                }
            }
        }
        cache.writeDHead();
        int top = hidden.length;
        INDArray in = top == 0 ? cache.x : cache.h[top - 1];
        Nd4j.gemm(in, cache.dHead, gw[top], true, false, 1.0, 0.0);
        Nd4j.gemm(cache.ones, cache.dHead, gb[top], false, false, 1.0, 0.0);
        INDArray upstream = cache.dHead;
        for (int l = top - 1; l >= 0; l--) {
            Nd4j.gemm(upstream, w[l + 1], cache.dh[l], false, true, 1.0, 0.0);
            activationBackward(cache.z[l], cache.dh[l], cache.dz[l]);
            INDArray below = l == 0 ? cache.x : cache.h[l - 1];
            Nd4j.gemm(below, cache.dz[l], gw[l], true, false, 1.0, 0.0);
            Nd4j.gemm(cache.ones, cache.dz[l], gb[l], false, false, 1.0, 0.0);
            upstream = cache.dz[l];
        }
        if (fixedLogStd) {
            p.gLogStd.assign(Nd4j.createFromArray(dFree).reshape(1, nOut).castTo(dtype));
        }
        if (softBounds) {
            for (int j = 0; j < nOut; j++) {
                dMax[j] += BOUND_PENALTY;
                dMin[j] -= BOUND_PENALTY;
            }
            p.gMax.assign(Nd4j.createFromArray(dMax).reshape(1, nOut).castTo(dtype));
            p.gMin.assign(Nd4j.createFromArray(dMin).reshape(1, nOut).castTo(dtype));
        }
    }

    /** h = act(z), one native op. */
    private void activate(INDArray z, INDArray h) {
        switch (activation) {
            case RELU -> Nd4j.exec(new RectifiedLinear(z, h, 0.0));
            case TANH -> Nd4j.exec(new Tanh(z, h));
            case SILU -> Nd4j.exec(new Swish(z, h));
        }
    }

    /** dz = dh ⊙ act'(z), one or two native ops (element-wise Java loops cost more than the gemms here). */
    private void activationBackward(INDArray z, INDArray dh, INDArray dz) {
        switch (activation) {
            // ND4J's relu_bp custom op measured 7 ms at 10000 × 64; step and multiply take 0.5 ms
            case RELU -> Nd4j.exec(new Step(z, dz, 0.0));
            case TANH -> Nd4j.exec(new TanhDerivative(z, dz));
            case SILU -> Nd4j.exec(new SwishDerivative(z, dz));
        }
        Nd4j.exec(new MulOp(dz, dh, dz));
    }

    /**
     * Buffers of one forward/backward pass of a fixed batch size: activations, head outputs, and the parameter
     * gradient. One per thread when passes run in parallel.
     */
    public final class Pass implements AutoCloseable {
        private boolean released;
        final int batch;
        final INDArray grad;
        final INDArray[] gw;
        final INDArray[] gb;
        final INDArray gLogStd;
        final INDArray gMax;
        final INDArray gMin;
        GaussianOutput output;
        INDArray x;
        final INDArray[] z;
        final INDArray[] h;
        final INDArray[] dh;
        final INDArray[] dz;
        final INDArray head;
        final INDArray dHead;
        /** 1 × batch of ones: bias gradients as a gemm (a column sum into a view measured 1.5 ms). */
        final INDArray ones;
        final double[] headValues;
        final float[] headFloats;
        final double[] mean;
        final double[] logStd;
        final double[] dHeadValues;
        /** Native bytes of the buffers above (the forward cache's budget counts them). */
        final long bytes;
        double[] rawLogStd;

        Pass(int batch) {
            this.batch = batch;
            grad = Nd4j.create(dtype, 1, params.length());
            INDArray[] views = layout(grad);
            int layers = hidden.length + 1;
            gw = new INDArray[layers];
            gb = new INDArray[layers];
            for (int l = 0; l < layers; l++) {
                gw[l] = views[2 * l];
                gb[l] = views[2 * l + 1];
            }
            gLogStd = fixedLogStd ? views[2 * layers] : null;
            gMax = softBounds ? views[2 * layers + (fixedLogStd ? 1 : 0)] : null;
            gMin = softBounds ? views[2 * layers + (fixedLogStd ? 2 : 1)] : null;
            z = new INDArray[hidden.length];
            h = new INDArray[hidden.length];
            dh = new INDArray[hidden.length];
            dz = new INDArray[hidden.length];
            for (int l = 0; l < hidden.length; l++) {
                z[l] = Nd4j.create(dtype, batch, hidden[l]);
                h[l] = Nd4j.create(dtype, batch, hidden[l]);
                dh[l] = Nd4j.create(dtype, batch, hidden[l]);
                dz[l] = Nd4j.create(dtype, batch, hidden[l]);
            }
            head = Nd4j.create(dtype, batch, headWidth());
            dHead = Nd4j.create(dtype, batch, headWidth());
            ones = Nd4j.ones(dtype, 1, batch);
            headValues = new double[batch * headWidth()];
            headFloats = dtype == DataType.FLOAT ? new float[batch * headWidth()] : null;
            mean = new double[batch * nOut];
            logStd = new double[batch * nOut];
            dHeadValues = new double[batch * headWidth()];
            long values = grad.length() + head.length() + dHead.length() + ones.length();
            for (int l = 0; l < hidden.length; l++) {
                values += z[l].length() + h[l].length() + dh[l].length() + dz[l].length();
            }
            bytes = values * dtype.width();
        }

        /** Frees the native buffers now; the pass must not be used afterwards. */
        @Override
        public void close() {
            if (released) {
                return;
            }
            released = true;
            for (INDArray[] arrays : new INDArray[][] {z, h, dh, dz, {head, dHead, ones, grad}}) {
                for (INDArray a : arrays) {
                    if (a.closeable()) {
                        a.close();
                    }
                }
            }
        }

        /** Rows of this pass. */
        public int batch() {
            return batch;
        }

        /** The native bytes of this pass's buffers. */
        long bytes() {
            return bytes;
        }

        /** The gradient written by the last backward pass through this pass (live). */
        public INDArray gradient() {
            return grad;
        }

        /** {@code g += weight · gradient()}, read through the native buffer. */
        public void addGradientTo(double[] g, double weight) {
            checkLength(g);
            read(grad, g, true, weight);
        }

        /** Copies {@link #gradient()} into {@code g}. */
        public void readGradient(double[] g) {
            checkLength(g);
            read(grad, g, false, 1.0);
        }

        /** The head activations as doubles, in one bulk copy. */
        double[] readHead() {
            if (headFloats != null) {
                FloatBuffer buf = head.data().asNioFloat();
                buf.position(0);
                buf.get(headFloats);
                for (int i = 0; i < headFloats.length; i++) {
                    headValues[i] = headFloats[i];
                }
            } else {
                DoubleBuffer buf = head.data().asNioDouble();
                buf.position(0);
                buf.get(headValues);
            }
            return headValues;
        }

        /** Copies {@link #dHeadValues} into the native head-gradient buffer. */
        void writeDHead() {
            if (headFloats != null) {
                for (int i = 0; i < headFloats.length; i++) {
                    headFloats[i] = (float) dHeadValues[i];
                }
                FloatBuffer buf = dHead.data().asNioFloat();
                buf.position(0);
                buf.put(headFloats);
            } else {
                DoubleBuffer buf = dHead.data().asNioDouble();
                buf.position(0);
                buf.put(dHeadValues);
            }
        }
    }

    /**
     * Loads weights saved from the reference PyTorch {@code MLPPolicy} ({@code state_dict} as JSON: {@code net.0.*},
     * {@code net.2.*}, …, {@code mean.0.*}, {@code log_std.0.*}; weights {@code [out][in]}, transposed here).
     */
    public void loadTorchState(Map<String, Object> state) {
        int last = hidden.length;
        for (int l = 0; l < last; l++) {
            setLinear(l, state, "net." + (2 * l));
        }
        double[][] mw = matrix(state, "mean.0.weight");
        double[] mb = vector(state, "mean.0.bias");
        double[][] lw = fixedLogStd ? null : matrix(state, "log_std.0.weight");
        double[] lb = fixedLogStd ? null : vector(state, "log_std.0.bias");
        int hin = w[last].rows();
        int hw = headWidth();
        double[] wv = new double[hin * hw];
        double[] bv = new double[hw];
        checkShape("mean.0.weight", mw, nOut, hin);
        for (int o = 0; o < nOut; o++) {
            for (int i = 0; i < hin; i++) {
                wv[i * hw + o] = mw[o][i];
                if (lw != null) {
                    wv[i * hw + nOut + o] = lw[o][i];
                }
            }
            bv[o] = mb[o];
            if (lb != null) {
                bv[nOut + o] = lb[o];
            }
        }
        if (lw != null) {
            checkShape("log_std.0.weight", lw, nOut, hin);
        }
        w[last].assign(Nd4j.createFromArray(wv).reshape('c', hin, hw).castTo(dtype));
        b[last].assign(Nd4j.createFromArray(bv).reshape(1, hw).castTo(dtype));
        if (fixedLogStd && state.containsKey("log_std")) {
            logStd.assign(Nd4j.createFromArray(vector(state, "log_std")).reshape(1, nOut).castTo(dtype));
        }
    }

    private void setLinear(int l, Map<String, Object> state, String prefix) {
        double[][] m = matrix(state, prefix + ".weight");
        double[] bias = vector(state, prefix + ".bias");
        int in = w[l].rows();
        int out = w[l].columns();
        checkShape(prefix + ".weight", m, out, in);
        double[] v = new double[in * out];
        for (int o = 0; o < out; o++) {
            for (int i = 0; i < in; i++) {
                v[i * out + o] = m[o][i];
            }
        }
        w[l].assign(Nd4j.createFromArray(v).reshape('c', in, out).castTo(dtype));
        if (bias.length != out) {
            throw new IllegalArgumentException(prefix + ".bias has " + bias.length + " entries, expected " + out);
        }
        b[l].assign(Nd4j.createFromArray(bias).reshape(1, out).castTo(dtype));
    }

    private static void checkShape(String key, double[][] m, int rows, int cols) {
        if (m.length != rows || m[0].length != cols) {
            throw new IllegalArgumentException(key + " is " + m.length + "×" + m[0].length + ", the model needs "
                    + rows + "×" + cols);
        }
    }

    private static double[][] matrix(Map<String, Object> state, String key) {
        Object o = state.get(key);
        if (!(o instanceof List<?> rows)) {
            throw new IllegalArgumentException("initial weights lack '" + key + "' (a matrix); keys present: "
                    + state.keySet());
        }
        double[][] m = new double[rows.size()][];
        for (int r = 0; r < m.length; r++) {
            m[r] = toDoubles(key, rows.get(r));
        }
        return m;
    }

    private static double[] vector(Map<String, Object> state, String key) {
        Object o = state.get(key);
        if (o == null) {
            throw new IllegalArgumentException("initial weights lack '" + key + "'; keys present: " + state.keySet());
        }
        return toDoubles(key, o);
    }

    private static double[] toDoubles(String key, Object o) {
        if (!(o instanceof List<?> l)) {
            throw new IllegalArgumentException(key + " must be a list of numbers");
        }
        double[] v = new double[l.size()];
        for (int i = 0; i < v.length; i++) {
            if (!(l.get(i) instanceof Number num)) {
                throw new IllegalArgumentException(key + "[" + i + "] is not a number: " + l.get(i));
            }
            v[i] = num.doubleValue();
        }
        return v;
    }

    /** The architecture as a map (for checkpoints and provenance). */
    public Map<String, Object> architecture() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("inputs", nIn);
        m.put("outputs", nOut);
        m.put("hidden", Arrays.stream(hidden).boxed().toList());
        m.put("activation", activation.name().toLowerCase());
        m.put("fixed_log_std", fixedLogStd);
        m.put("soft_log_std_bounds", softBounds);
        m.put("dtype", dtype.name().toLowerCase());
        return m;
    }

    /** Builds a model from an {@link #architecture()} map, randomly initialised. */
    public static GaussianMlp fromArchitecture(Map<String, Object> a, RandomGenerator rng) {
        List<?> hid = (List<?>) a.get("hidden");
        int[] h = new int[hid.size()];
        for (int i = 0; i < h.length; i++) {
            h[i] = ((Number) hid.get(i)).intValue();
        }
        return builder().setInputs(((Number) a.get("inputs")).intValue()).setOutputs(((Number) a.get("outputs")).intValue())
                .optHidden(h).optActivation(Activation.valueOf(a.get("activation").toString().toUpperCase()))
                .optFixedLogStd((Boolean) a.get("fixed_log_std")).optSoftLogStdBounds((Boolean) a.get("soft_log_std_bounds"))
                .optDataType(DataType.valueOf(a.get("dtype").toString().toUpperCase())).setRandom(rng).build();
    }

    /** Builder for {@link GaussianMlp}. */
    public static final class Builder {
        private int nIn = -1;
        private int nOut = -1;
        private int[] hidden = {64, 64};
        private Activation activation = Activation.RELU;
        private boolean fixedLogStd;
        private boolean softBounds;
        private DataType dtype = DataType.FLOAT;
        private RandomGenerator rng;

        private Builder() {
        }

        /** Required: input dimension (≥ 1). */
        public Builder setInputs(int n) {
            this.nIn = n;
            return this;
        }

        /** Required: output dimension (≥ 1). */
        public Builder setOutputs(int n) {
            this.nOut = n;
            return this;
        }

        /** Hidden layer sizes (default 64, 64; may be empty for a linear model). */
        public Builder optHidden(int... sizes) {
            this.hidden = sizes.clone();
            return this;
        }

        /** Hidden activation (default ReLU). */
        public Builder optActivation(Activation a) {
            this.activation = a;
            return this;
        }

        /** Free log-σ vector instead of a state-dependent head (default false). */
        public Builder optFixedLogStd(boolean fixed) {
            this.fixedLogStd = fixed;
            return this;
        }

        /** PETS-style learned soft bounds on log σ (default false). */
        public Builder optSoftLogStdBounds(boolean on) {
            this.softBounds = on;
            return this;
        }

        /** FLOAT (default) or DOUBLE. */
        public Builder optDataType(DataType t) {
            this.dtype = t;
            return this;
        }

        /** Required: random generator for the initial weights. */
        public Builder setRandom(RandomGenerator rng) {
            this.rng = rng;
            return this;
        }

        /** Required (or setRandom): shorthand for {@code setRandom(new SplittableRandom(seed))}. */
        public Builder setSeed(long seed) {
            return setRandom(new java.util.SplittableRandom(seed));
        }

        /** Validates and builds. */
        public GaussianMlp build() {
            if (nIn < 1) {
                throw new IllegalArgumentException("GaussianMlp inputs must be ≥ 1 (setInputs), got " + nIn);
            }
            if (nOut < 1) {
                throw new IllegalArgumentException("GaussianMlp outputs must be ≥ 1 (setOutputs), got " + nOut);
            }
            long parameters = 0;
            int fanIn = nIn;
            for (int h : hidden) {
                if (h < 1) {
                    throw new IllegalArgumentException("GaussianMlp hidden sizes must be ≥ 1, got " + Arrays.toString(hidden));
                }
                parameters += (long) fanIn * h + h;
                fanIn = h;
            }
            parameters += (long) fanIn * 2 * nOut + 2L * nOut;
            if (parameters > MAX_PARAMETERS) {
                // a typo such as 200,200200 would otherwise allocate hundreds of gigabytes before anything fails
                throw new IllegalArgumentException("GaussianMlp " + nIn + " → " + Arrays.toString(hidden) + " → " + nOut
                        + " would have " + parameters + " parameters; at most " + MAX_PARAMETERS + " are accepted");
            }
            if (dtype != DataType.FLOAT && dtype != DataType.DOUBLE) {
                throw new IllegalArgumentException("GaussianMlp dataType must be FLOAT or DOUBLE, got " + dtype);
            }
            if (rng == null) {
                throw new IllegalArgumentException("GaussianMlp needs a random generator or seed for its initial weights "
                        + "(setRandom / setSeed): randomness is never global");
            }
            return new GaussianMlp(this);
        }
    }

    @Override
    public String toString() {
        return "GaussianMlp" + architecture();
    }
}
