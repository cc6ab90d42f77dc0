package org.mbrl4j.model;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.random.RandomGenerator;
import org.mbrl4j.model.DynamicsModel.Propagation;
import org.mbrl4j.random.ZigguratNormal;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The imagination path of an {@link Ensemble}: samples the next observations of a fixed number of rows again and
 * again (every step of a planner's horizon) in buffers allocated once. Each member's rows are gathered, normalised and
 * cast to float32 in one pass straight into that member's input buffer, run through the member's own weights (read
 * live, so training in between is seen) with two gemms per layer into reused activations, and its head is turned into
 * the sampled raw next observation in one more pass (log-σ bounds, exp, target denormalisation, delta, mean + σ·ε),
 * written to the rows' places in the output. Members run in parallel on {@code threads} Java threads, each with its
 * own buffers; the noise is drawn before, in row order, on the calling thread, so the result does not depend on the
 * thread count and equals {@link DynamicsModel#sample} to double rounding (the same float32 products and normal
 * variates; σ under soft bounds by an equal closed form).
 *
 * <p>{@link Propagation#TSINF} (a member per row) and {@link Propagation#EXPECTATION} (the moment-matched mixture of
 * the elites) are supported; not thread-safe (one sampler per planning thread).
 */
public final class EnsembleSampler implements DynamicsModel.Sampler {
    private final Ensemble model;
    private final Propagation mode;
    private final int rows;
    private final int threads;
    private final int outDim;
    private final int inWidth;
    /** The stacked buffers of the members of the last call (re-created when the members or their row counts change). */
    private Stack stack;
    /** Per member: the rows it predicts this call. */
    private final int[][] rowsOf;
    private final int[] counts;
    private final double[] noise;
    /** EXPECTATION: each elite's mean and σ of every row. */
    private double[][] means;
    private double[][] stds;
    private ExecutorService pool;
    private boolean closed;

    EnsembleSampler(Ensemble model, int rows, Propagation mode, int threads) {
        if (mode == Propagation.TS1) {
            throw new IllegalArgumentException("the batched sampler propagates TSINF or EXPECTATION, not TS1");
        }
        if (rows < 1 || threads < 1) {
            throw new IllegalArgumentException("rows and threads must be ≥ 1, got " + rows + " and " + threads);
        }
        this.model = model;
        this.mode = mode;
        this.rows = rows;
        this.threads = threads;
        this.outDim = model.outDim();
        this.inWidth = model.member(0).inputs();
        this.rowsOf = new int[model.size()][];
        this.counts = new int[model.size()];
        this.noise = new double[rows * outDim];
    }

    @Override
    public void sample(double[] obs, double[] act, int[] members, RandomGenerator rng, double[] out) {
        if (closed) {
            throw new IllegalStateException("this sampler is closed");
        }
        int d = model.obsDim();
        if (obs.length < rows * d || act.length < rows * model.actDim() || out.length < rows * outDim) {
            throw new IllegalArgumentException("expected " + rows + " rows of " + d + " observation, " + model.actDim()
                    + " action and " + outDim + " output values");
        }
        int[] elites = model.elites();
        List<Integer> work = new ArrayList<>();
        if (mode == Propagation.TSINF) {
            if (members == null || members.length != rows) {
                throw new IllegalArgumentException("TSINF propagation needs one member index per row");
            }
            java.util.Arrays.fill(counts, 0);
            for (int r = 0; r < rows; r++) {
                int k = members[r];
                if (k < 0 || k >= counts.length) {
                    throw new IllegalArgumentException("member " + k + " of row " + r + " is outside 0.." + (counts.length - 1));
                }
                counts[k]++;
            }
            for (int k = 0; k < counts.length; k++) {
                if (rowsOf[k] == null || rowsOf[k].length != counts[k]) {
                    rowsOf[k] = new int[counts[k]];
                }
                if (counts[k] > 0) {
                    work.add(k);
                }
            }
            int[] fill = new int[counts.length];
            for (int r = 0; r < rows; r++) {
                rowsOf[members[r]][fill[members[r]]++] = r;
            }
        } else {
            if (means == null) {
                means = new double[counts.length][];
                stds = new double[counts.length][];
            }
            for (int k : elites) {
                if (rowsOf[k] == null || rowsOf[k].length != rows) {
                    rowsOf[k] = java.util.stream.IntStream.range(0, rows).toArray();
                }
                if (means[k] == null) {
                    means[k] = new double[rows * outDim];
                    stds[k] = new double[rows * outDim];
                }
                work.add(k);
            }
        }
        ZigguratNormal z = new ZigguratNormal(rng);
        for (int i = 0; i < noise.length; i++) {
            noise[i] = z.next();
        }
        int[] ks = work.stream().mapToInt(Integer::intValue).toArray();
        if (stack == null || !stack.fits(ks)) {
            if (stack != null) {
                stack.close();
            }
            stack = new Stack(ks);
        }
        Stack st = stack;
        run(work, k -> gather(st, k, obs, act));
        st.forward(this);
        run(work, k -> emit(st, k, obs, out));
        if (mode == Propagation.EXPECTATION) {
            mix(elites, out);
        }
    }

    /** Runs {@code task} for every member of {@code work}, spread over the threads; the first failure is thrown. */
    private void run(List<Integer> work, java.util.function.IntConsumer task) {
        int t = Math.min(threads, work.size());
        if (t <= 1) {
            for (int k : work) {
                task.accept(k);
            }
            return;
        }
        if (pool == null) {
            // idle workers end after a minute, so a sampler nobody closes leaves no thread behind
            java.util.concurrent.ThreadPoolExecutor p = new java.util.concurrent.ThreadPoolExecutor(threads - 1,
                    threads - 1, 60, java.util.concurrent.TimeUnit.SECONDS, new java.util.concurrent.LinkedBlockingQueue<>(),
                    ModelTrainer.modelThreads("mbrl4j-imagination"));
            p.allowCoreThreadTimeOut(true);
            pool = p;
        }
        // thread s takes members s, s + t, …; the caller is thread 0
        List<Future<?>> futures = new ArrayList<>();
        for (int s = 1; s < t; s++) {
            int start = s;
            futures.add(pool.submit(() -> {
                for (int i = start; i < work.size(); i += t) {
                    task.accept(work.get(i));
                }
            }));
        }
        RuntimeException failure = null;
        try {
            for (int i = 0; i < work.size(); i += t) {
                task.accept(work.get(i));
            }
        } catch (RuntimeException e) {
            failure = e;
        }
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while imagining", e);
            } catch (java.util.concurrent.ExecutionException e) {
                if (failure == null) {
                    failure = e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** Member k's rows, normalised and cast, into its block of the stacked input. */
    private void gather(Stack st, int k, double[] obs, double[] act) {
        GaussianMlp m = model.member(k);
        int[] idx = rowsOf[k];
        int n = idx.length;
        int d = model.obsDim();
        int a = model.actDim();
        int w = inWidth;
        Normalizer in = m.inputNormalizer();
        double[] mu = in == null ? null : in.mean();
        double[] sd = in == null ? null : in.std();
        float[] x = st.x;
        int base = st.offset[k] * w;
        for (int r = 0; r < n; r++) {
            int row = idx[r];
            int o = base + r * w;
            for (int j = 0; j < d; j++) {
                x[o + j] = value(obs[row * d + j], j, mu, sd);
            }
            if (w == d + a) {
                for (int j = 0; j < a; j++) {
                    x[o + d + j] = value(act[row * a + j], d + j, mu, sd);
                }
            } else {
                int hot = model.choice(act[row]);
                for (int j = d; j < w; j++) {
                    x[o + j] = value(j - d == hot ? 1 : 0, j, mu, sd);
                }
            }
        }
    }

    /** Member k's block of the stacked head turned into samples (TSINF) or moments (EXPECTATION) of its rows. */
    private void emit(Stack st, int k, double[] obs, double[] out) {
        GaussianMlp m = model.member(k);
        int[] idx = rowsOf[k];
        int n = idx.length;
        int d = model.obsDim();
        float[] head = st.headValues;
        int base = st.offset[k] * st.headWidth;
        Normalizer tn = m.targetNormalizer();
        double[] tMean = tn == null ? null : tn.mean();
        double[] tStd = tn == null ? null : tn.std();
        int nOut = m.outputs();
        int hw = st.headWidth;
        boolean soft = m.softLogStdBounds();
        float[] p = st.params[k];
        int[] off = st.pieces;
        int extra = off.length - (m.fixedLogStd() ? 1 : 0) - (soft ? 2 : 0);
        double[] free = m.fixedLogStd() ? piece(p, off[extra], nOut) : null;
        double[] mx = soft ? piece(p, off[off.length - 2], nOut) : null;
        double[] mn = soft ? piece(p, off[off.length - 1], nOut) : null;
        // σ = exp(min + softplus(max − softplus(max − raw) − min)) = e^min + e^max / (1 + e^(max − raw)): one exp per
        // value instead of five transcendental calls (these were half of an imagined step's time)
        double[] eMax = new double[nOut];
        double[] eMin = new double[nOut];
        if (soft) {
            for (int j = 0; j < nOut; j++) {
                eMax[j] = Math.exp(mx[j]);
                eMin[j] = Math.exp(mn[j]);
            }
        }
        double[] meanOut = mode == Propagation.EXPECTATION ? means[k] : null;
        double[] stdOut = mode == Propagation.EXPECTATION ? stds[k] : null;
        for (int r = 0; r < n; r++) {
            int row = idx[r];
            int o = base + r * hw;
            for (int j = 0; j < nOut; j++) {
                double mean = head[o + j];
                double raw = free != null ? free[j] : head[o + nOut + j];
                double s = soft ? eMin[j] + eMax[j] / (1 + Math.exp(mx[j] - raw)) : Math.exp(raw);
                if (tMean != null) {
                    mean = mean * tStd[j] + tMean[j];
                    s *= tStd[j];
                }
                if (j < d && model.isDelta(j)) {
                    mean += obs[row * d + j];
                }
                int i = row * outDim + j;
                if (meanOut != null) {
                    meanOut[i] = mean;
                    stdOut[i] = s;
                } else {
                    out[i] = mean + s * noise[i];
                }
            }
        }
    }

    private static double[] piece(float[] p, int from, int n) {
        double[] v = new double[n];
        for (int j = 0; j < n; j++) {
            v[j] = p[from + j];
        }
        return v;
    }

    private static float value(double v, int j, double[] mu, double[] sd) {
        return (float) (mu == null ? v : (v - mu[j]) / sd[j]);
    }

    /** EXPECTATION: the elites' moment-matched mixture, sampled (the order and arithmetic of Ensemble.predict). */
    private void mix(int[] elites, double[] out) {
        int e = elites.length;
        for (int i = 0; i < rows * outDim; i++) {
            double mean = 0;
            double m2 = 0;
            double v = 0;
            for (int k : elites) {
                double mk = means[k][i];
                double sk = stds[k][i];
                mean += mk / e;
                m2 += mk * mk / e;
                v += sk * sk / e;
            }
            out[i] = mean + Math.sqrt(Math.max(0, v + m2 - mean * mean)) * noise[i];
        }
    }

    /** Frees the native buffers and the worker threads; idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (stack != null) {
            stack.close();
        }
        if (pool != null) {
            pool.shutdownNow();
        }
    }

    /**
     * The members' inputs, activations and heads stacked row-wise (member after member, in blocks of their rows),
     * float32: each layer is one product per member into its block, then one activation over all blocks, so the
     * per-call cost of a native op (~20 µs, measured) is paid once per layer rather than once per member.
     */
    private final class Stack implements AutoCloseable {
        final int[] members;
        final int[] count;
        final int[] offset;
        final int headWidth;
        final float[] x;
        final float[] headValues;
        final INDArray input;
        final INDArray[] z;
        final INDArray head;
        /** Per member and layer: its block's view of the layer's output, and its bias tiled over its rows. */
        final INDArray[][] out;
        final INDArray[] in;
        final float[][][] bias;
        /** Per member: its parameters of this call, read in one copy. */
        final float[][] params;
        final int[] pieces;
        /** Per hidden layer: its activations split into one row range per thread (activated in parallel). */
        final INDArray[][] parts;
        final List<Integer> partIds = new ArrayList<>();

        Stack(int[] members) {
            this.members = members.clone();
            GaussianMlp first = model.member(members[0]);
            int[] hidden = first.hidden();
            headWidth = first.headWidth();
            count = new int[model.size()];
            offset = new int[model.size()];
            int total = 0;
            for (int k : members) {
                count[k] = rowsOf[k].length;
                offset[k] = total;
                total += count[k];
            }
            DataType t = DataType.FLOAT;
            x = new float[total * inWidth];
            headValues = new float[total * headWidth];
            input = Nd4j.create(t, total, inWidth);
            z = new INDArray[hidden.length];
            for (int l = 0; l < hidden.length; l++) {
                z[l] = Nd4j.create(t, total, hidden[l]);
            }
            head = Nd4j.create(t, total, headWidth);
            int split = Math.max(1, Math.min(threads, total));
            parts = new INDArray[hidden.length][split];
            for (int l = 0; l < hidden.length; l++) {
                for (int q = 0; q < split; q++) {
                    parts[l][q] = split == 1 ? z[l] : z[l].get(NDArrayIndex.interval((long) total * q / split,
                            (long) total * (q + 1) / split), NDArrayIndex.all());
                }
            }
            for (int q = 0; q < split; q++) {
                partIds.add(q);
            }
            out = new INDArray[model.size()][];
            in = new INDArray[model.size()];
            params = new float[model.size()][];
            pieces = first.pieceOffsets();
            bias = new float[model.size()][][];
            for (int k : members) {
                in[k] = block(input, k);
                params[k] = new float[model.member(k).numParams()];
                out[k] = new INDArray[hidden.length + 1];
                bias[k] = new float[hidden.length + 1][];
                for (int l = 0; l <= hidden.length; l++) {
                    INDArray layer = l < hidden.length ? z[l] : head;
                    out[k][l] = block(layer, k);
                    bias[k][l] = new float[count[k] * (int) layer.columns()];
                    bias[k][l][0] = Float.NaN;
                }
            }
        }

        private INDArray block(INDArray a, int k) {
            return a.get(NDArrayIndex.interval(offset[k], offset[k] + count[k]), NDArrayIndex.all());
        }

        /** Whether this stack holds exactly these members with the row counts of this call. */
        boolean fits(int[] ks) {
            if (!java.util.Arrays.equals(members, ks)) {
                return false;
            }
            for (int k : ks) {
                if (count[k] != rowsOf[k].length) {
                    return false;
                }
            }
            return true;
        }

        /** Every layer of every member on the stacked input; the head's values then in {@link #headValues}. */
        void forward(EnsembleSampler s) {
            input.data().asNioFloat().put(0, x);
            List<Integer> work = new ArrayList<>();
            for (int k : members) {
                work.add(k);
                model.member(k).readParams(params[k]);
            }
            for (int l = 0; l <= z.length; l++) {
                int layer = l;
                s.run(work, k -> {
                    GaussianMlp m = model.member(k);
                    INDArray o = out[k][layer];
                    // the bias tiled into the block, then the product added: what a ones·b gemm (β = 0) writes exactly
                    tile(params[k], pieces[2 * layer + 1], (int) o.columns(), bias[k][layer], count[k]);
                    (layer < z.length ? z[layer] : head).data().asNioFloat().put(offset[k] * (int) o.columns(),
                            bias[k][layer]);
                    Nd4j.getBlasWrapper().level3().gemm('c', 'N', 'N', 1.0, layer == 0 ? in[k] : out[k][layer - 1],
                            m.weight(layer), 1.0, o);
                });
                if (l < z.length) {
                    INDArray[] ps = parts[l];
                    s.run(partIds, q -> model.member(members[0]).activateInPlace(ps[q]));
                }
            }
            head.data().asNioFloat().get(0, headValues);
        }

        @Override
        public void close() {
            for (INDArray a : z) {
                a.close();
            }
            input.close();
            head.close();
        }
    }

    /** {@code rows} copies of the bias at {@code p[from ..]} in {@code tiled}, rewritten only when it changed. */
    private static void tile(float[] p, int from, int width, float[] tiled, int rows) {
        if (java.util.Arrays.equals(p, from, from + width, tiled, 0, width)) {
            return;
        }
        for (int r = 0; r < rows; r++) {
            System.arraycopy(p, from, tiled, r * width, width);
        }
    }
}
