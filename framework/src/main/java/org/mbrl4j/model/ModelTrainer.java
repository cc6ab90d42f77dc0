package org.mbrl4j.model;

import org.mbrl4j.random.Shuffle;

import org.mbrl4j.optim.Adam;

import org.mbrl4j.objective.GaussianOutput;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.mbrl4j.objective.Objective;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Trains a {@link GaussianMlp} with an {@link Objective}, as the reference's {@code train_single_policy}: Adam
 * (PyTorch's update, L2 weight decay), clipping of the global gradient norm (PyTorch's {@code clip_grad_norm_}, not
 * DL4J's per-layer normalisation), full-batch or shuffled minibatches, validation after every epoch, optional early
 * stopping that restores the best weights, optional ReduceLROnPlateau, and NaN/Inf detection that stops and restores
 * the last good weights. Deterministic for a given seed and thread count.
 */
public final class ModelTrainer {

    /**
     * A dataset in model space.
     *
     * @param inputs  {@code n × inputs} (normalised as the model expects)
     * @param targets {@code n × outputs}, row-major
     */
    public record Data(INDArray inputs, double[] targets) implements AutoCloseable {
        /** Validates matching sizes. */
        public Data {
            if (inputs.rows() * (targets.length / Math.max(1, inputs.rows())) != targets.length) {
                throw new IllegalArgumentException("targets do not split into " + inputs.rows() + " rows");
            }
        }

        /** Number of rows. */
        public int size() {
            return inputs.rows();
        }

        /**
         * Frees the inputs' native buffer now rather than when the garbage collector gets to it (data built for one
         * training call lives long enough to reach the old generation, which is collected rarely); the data must not
         * be used afterwards.
         */
        @Override
        public void close() {
            if (inputs.closeable()) {
                inputs.close();
            }
        }
    }

    /**
     * Metrics of one epoch: the training loss and metrics of its steps (the loss before each update, averaged over
     * minibatches), the validation metrics after the epoch, the learning rate and the pre-clipping gradient norm.
     *
     * @param epoch      0-based epoch
     * @param train      training metrics (loss, rmse, nll, entropy, reward_mean for PG)
     * @param val        validation metrics (empty without validation data)
     * @param lr         learning rate used in this epoch
     * @param gradNorm   global gradient norm before clipping (mean over the epoch's steps)
     * @param stepMillis mean wall time of one training step (forward, backward, update)
     */
    public record Epoch(int epoch, Map<String, Double> train, Map<String, Double> val, double lr, double gradNorm,
            double stepMillis) {
    }

    /**
     * The outcome of {@link #train}.
     *
     * @param epochs        per-epoch metrics
     * @param train         final metrics on the training data (of the returned weights)
     * @param val           final metrics on the validation data (empty without)
     * @param test          metrics on the test data (empty without)
     * @param bestEpoch     epoch whose weights the model holds
     * @param stopReason    why training ended
     * @param stepMsMedian  median wall time of one training step
     */
    public record Result(List<Epoch> epochs, Map<String, Double> train, Map<String, Double> val,
            Map<String, Double> test, int bestEpoch, String stopReason, double stepMsMedian) {

        /** The curve of one metric over epochs, e.g. {@code curve("train", "loss")}. */
        public double[] curve(String split, String metric) {
            return epochs.stream().mapToDouble(e -> {
                Double v = (split.equals("train") ? e.train() : e.val()).get(metric);
                return v == null ? Double.NaN : v;
            }).toArray();
        }
    }

    private final int epochs;
    private final double lr;
    private final double beta1;
    private final double beta2;
    private final double eps;
    private final double weightDecay;
    private final double clipGradNorm;
    private final int batchSize;
    private final int patience;
    private final String monitor;
    private final double plateauFactor;
    private final int plateauPatience;
    private final double minLr;
    private final long seed;
    private final int threads;
    private final Consumer<Epoch> listener;

    private ModelTrainer(Builder b) {
        epochs = b.epochs;
        lr = b.lr;
        beta1 = b.beta1;
        beta2 = b.beta2;
        eps = b.eps;
        weightDecay = b.weightDecay;
        clipGradNorm = b.clipGradNorm;
        batchSize = b.batchSize;
        patience = b.patience;
        monitor = b.monitor;
        plateauFactor = b.plateauFactor;
        plateauPatience = b.plateauPatience;
        minLr = b.minLr;
        seed = b.seed;
        threads = b.threads;
        listener = b.listener;
    }

    /** A new builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this trainer's settings, to derive a variant (another seed or objective). */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.epochs = epochs;
        b.lr = lr;
        b.beta1 = beta1;
        b.beta2 = beta2;
        b.eps = eps;
        b.weightDecay = weightDecay;
        b.clipGradNorm = clipGradNorm;
        b.batchSize = batchSize;
        b.patience = patience;
        b.monitor = monitor;
        b.plateauFactor = plateauFactor;
        b.plateauPatience = plateauPatience;
        b.minLr = minLr;
        b.seed = seed;
        b.threads = threads;
        b.listener = listener;
        return b;
    }

    /** The count last given to {@link #setNd4jThreads} (0: never set; ND4J's environment does not report it back). */
    private static volatile int nd4jThreads;

    /**
     * Sets the number of threads ND4J uses in this process (its OpenMP pool and OpenBLAS). On 2 cores, one thread per
     * model and one model per Java thread is the fastest way to train several models (platform notes).
     */
    public static void setNd4jThreads(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be ≥ 1, got " + threads);
        }
        nd4jThreads = threads;
        org.nd4j.linalg.factory.Nd4j.getEnvironment().setMaxThreads(threads);
        org.nd4j.linalg.factory.Nd4j.getEnvironment().setMaxMasterThreads(threads);
        org.nd4j.nativeblas.NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(threads);
        org.nd4j.linalg.factory.Nd4j.factory().blas().setMaxThreads(threads);
    }

    /**
     * A factory of daemon threads for running models ({@code name-1}, {@code name-2}, …). Each thread first applies the
     * ND4J thread count last set with {@link #setNd4jThreads} to itself: OpenMP keeps that count per thread, so a new
     * thread would run ND4J's oneDNN products with one OpenMP thread per core, and several such threads oversubscribe
     * the cores (seen as three extra native threads and erratic step times with two trainer threads).
     */
    public static java.util.concurrent.ThreadFactory modelThreads(String name) {
        java.util.concurrent.atomic.AtomicInteger count = new java.util.concurrent.atomic.AtomicInteger();
        return r -> {
            Thread t = new Thread(() -> {
                int n = nd4jThreads;
                if (n > 0) {
                    org.nd4j.nativeblas.NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(n);
                }
                r.run();
            }, name + "-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** This trainer with another seed. */
    public ModelTrainer withSeed(long seed) {
        return toBuilder().setSeed(seed).build();
    }

    /**
     * Trains {@code model} in place.
     *
     * @param objective the training objective
     * @param train training data (required)
     * @param val   validation data, or null
     * @param test  test data evaluated once at the end, or null
     */
    public Result train(GaussianMlp model, Objective objective, Data train, Data val, Data test) {
        requireRows("training", train);
        requireRows("validation", val);
        requireRows("test", test);
        try (Shards shards = new Shards()) {
            return train(shards, model, objective, train, val, test);
        }
    }

    private static void requireRows(String name, Data d) {
        if (d != null && d.inputs().rows() == 0) {
            throw new IllegalArgumentException("the " + name + " set is empty; pass null for no " + name + " set"
                    + (name.equals("training") ? " (training needs at least one row)" : ""));
        }
    }

    private Result train(Shards shards, GaussianMlp model, Objective objective, Data train, Data val, Data test) {
        SplittableRandom rng = new SplittableRandom(seed);
        int p = model.numParams();
        Adam adam = Adam.builder().setSize(p).setLr(lr).optBetas(beta1, beta2).optEps(eps).optWeightDecay(weightDecay)
                .optClipNorm(clipGradNorm).build();
        double[] lastGood = model.getParams();
        double[] params = new double[p];
        double[] best = null;
        double bestScore = Double.POSITIVE_INFINITY;
        int bestEpoch = -1;
        int sinceBest = 0;
        double plateauBest = Double.POSITIVE_INFINITY;
        int sincePlateau = 0;
        double rate = lr;
        int n = train.size();
        int bs = batchSize <= 0 || batchSize >= n ? n : batchSize;
        List<Epoch> history = new ArrayList<>();
        List<Double> stepMs = new ArrayList<>();
        String reason = "completed " + epochs + " epochs";
        int outputs = model.outputs();
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int epoch = 0; epoch < epochs; epoch++) {
            if (bs < n) {
                Shuffle.shuffle(order, rng);
            }
            MetricMean sums = new MetricMean();
            double normSum = 0;
            double msSum = 0;
            int batches = 0;
            String failure = null;
            for (int start = 0; start < n; start += bs) {
                int size = Math.min(bs, n - start);
                long t0 = System.nanoTime();
                INDArray x;
                double[] y;
                if (size == n && bs == n) {
                    x = train.inputs();
                    y = train.targets();
                } else {
                    int[] rows = Arrays.copyOfRange(order, start, start + size);
                    x = train.inputs().getRows(rows);
                    y = new double[size * outputs];
                    for (int i = 0; i < size; i++) {
                        System.arraycopy(train.targets(), rows[i] * outputs, y, i * outputs, outputs);
                    }
                }
                Step st = step(shards, model, objective, x, y, rng);
                if (x != train.inputs() && x.closeable()) {
                    x.close();
                }
                Objective.Evaluation ev = st.evaluation;
                double[] g = st.gradient;
                model.readParams(params);
                if (!Double.isFinite(ev.loss())) {
                    failure = "non-finite loss (" + ev.loss() + ") at epoch " + epoch;
                    break;
                }
                adam.setLr(rate);
                double norm = adam.step(params, g);
                if (!Double.isFinite(norm)) {
                    failure = "non-finite gradient at epoch " + epoch;
                    break;
                }
                boolean finite = true;
                for (double w : params) {
                    finite &= Double.isFinite(w);
                }
                if (!finite) {
                    failure = "non-finite weights after the update of epoch " + epoch;
                    break;
                }
                model.readParams(lastGood);
                model.setParams(params);
                msSum += (System.nanoTime() - t0) / 1e6;
                normSum += norm;
                batches++;
                sums.add(ev.metrics(), (double) size / n);
            }
            if (failure != null) {
                model.setParams(lastGood);
                reason = failure + "; stopped and restored the weights of the last step whose loss was finite";
                break;
            }
            Map<String, Double> valMetrics = val == null ? Map.of() : evaluate(model, objective, val, rng);
            Epoch e = new Epoch(epoch, sums.result(), valMetrics, rate, normSum / batches, msSum / batches);
            history.add(e);
            stepMs.add(msSum / batches);
            if (listener != null) {
                listener.accept(e);
            }
            if (val != null && (patience > 0 || plateauPatience > 0)) {
                Double score = valMetrics.get(monitor);
                if (score == null) {
                    throw new IllegalArgumentException("monitored metric '" + monitor + "' is not reported by "
                            + objective.name() + "; available: " + valMetrics.keySet());
                }
                if (score < bestScore) {
                    bestScore = score;
                    bestEpoch = epoch;
                    best = model.getParams();
                    sinceBest = 0;
                } else {
                    sinceBest++;
                }
                if (plateauPatience > 0) {
                    if (score < plateauBest * (plateauBest > 0 ? 1 - 1e-4 : 1 + 1e-4)) {
                        plateauBest = score;
                        sincePlateau = 0;
                    } else if (++sincePlateau > plateauPatience) {
                        rate = Math.max(minLr, rate * plateauFactor);
                        sincePlateau = 0;
                    }
                }
                if (patience > 0 && sinceBest >= patience) {
                    reason = "early stop at epoch " + epoch + ": validation " + monitor + " did not improve for "
                            + patience + " epochs";
                    break;
                }
            }
        }
        if (patience > 0 && best != null) {
            model.setParams(best);
        } else {
            bestEpoch = history.size() - 1;
        }
        double[] ms = stepMs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double median = ms.length == 0 ? Double.NaN : ms[ms.length / 2];
        return new Result(history, evaluate(model, objective, train, rng),
                val == null ? Map.of() : evaluate(model, objective, val, rng),
                test == null ? Map.of() : evaluate(model, objective, test, rng), bestEpoch, reason, median);
    }

    /**
     * The row-weighted mean of the metrics of parts of a batch (shards of a step, minibatches of an epoch): an RMSE
     * combines as the root of the weighted mean square, everything else linearly.
     */
    private static final class MetricMean {
        private final Map<String, Double> sums = new LinkedHashMap<>();

        void add(Map<String, Double> metrics, double weight) {
            for (Map.Entry<String, Double> e : metrics.entrySet()) {
                double v = e.getValue();
                sums.merge(e.getKey(), weight * (e.getKey().equals("rmse") ? v * v : v), Double::sum);
            }
        }

        Map<String, Double> result() {
            Map<String, Double> m = new LinkedHashMap<>(sums);
            m.computeIfPresent("rmse", (key, v) -> Math.sqrt(v));
            return m;
        }
    }

    /** Rows from which a step is split into independent shards: two from {@value #SHARD_ROWS} rows, four from twice that. */
    static final int SHARD_ROWS = 4096;

    /** Shards of a batch: fixed by its size (not by the thread count), so results never depend on threads. */
    static int shards(int rows) {
        return rows >= 2 * SHARD_ROWS ? 4 : rows >= SHARD_ROWS ? 2 : 1;
    }

    /** The loss evaluation and the gradient of the mean loss of one step. */
    private record Step(Objective.Evaluation evaluation, double[] gradient) {
    }

    /** Buffers and the thread pool of one {@link #train} call (a trainer itself holds no state). */
    private final class Shards implements AutoCloseable {
        /**
         * Per batch size (an epoch of minibatches has two: the full ones and the last): the shards' passes, head
         * gradients and copies of the targets (refilled every step), reused rather than reallocated, because every
         * pass created costs ND4J native memory for good.
         */
        final Map<Integer, Buffers> byRows = new java.util.HashMap<>();
        /** The combined gradient. */
        double[] gradient;
        java.util.concurrent.ExecutorService pool;

        java.util.concurrent.ExecutorService pool() {
            if (pool == null) {
                pool = java.util.concurrent.Executors.newFixedThreadPool(threads - 1, modelThreads("mbrl4j-trainer-shard"));
            }
            return pool;
        }

        @Override
        public void close() {
            if (pool != null) {
                pool.shutdownNow();
            }
            for (Buffers b : byRows.values()) {
                for (GaussianMlp.Pass p : b.passes) {
                    p.close();
                }
            }
        }
    }

    /** The buffers of the {@code k} shards of a batch. */
    private record Buffers(GaussianMlp.Pass[] passes, double[][] headGrads, double[][] targets) {
        static Buffers of(GaussianMlp model, int n, int k, int outputs) {
            GaussianMlp.Pass[] passes = new GaussianMlp.Pass[k];
            double[][] headGrads = new double[2 * k][];
            double[][] targets = new double[k][];
            for (int s = 0; s < k; s++) {
                int rows = s < k - 1 ? n / k : n - (k - 1) * (n / k);
                passes[s] = model.newPass(rows);
                headGrads[2 * s] = new double[rows * outputs];
                headGrads[2 * s + 1] = new double[rows * outputs];
                targets[s] = new double[rows * outputs];
            }
            return new Buffers(passes, headGrads, targets);
        }
    }

    /**
     * Loss and gradient of a batch. Large batches are split into fixed shards, each with its own buffers and random
     * stream, run in parallel when {@code threads > 1}; the shard results are combined weighted by their rows.
     */
    private Step step(Shards sh, GaussianMlp model, Objective objective, INDArray x, double[] y, SplittableRandom rng) {
        int n = x.rows();
        int outputs = y.length / n;
        int k = shards(n);
        Buffers buf = sh.byRows.computeIfAbsent(n, rows -> Buffers.of(model, rows, k, outputs));
        if (sh.gradient == null) {
            sh.gradient = new double[model.numParams()];
        }
        long[] seeds = new long[k];
        for (int s = 0; s < k; s++) {
            seeds[s] = rng.nextLong();
        }
        Objective.Evaluation[] evs = new Objective.Evaluation[k];
        GaussianMlp.Pass[] passes = buf.passes();
        double[][] headGrads = buf.headGrads();
        java.util.function.IntConsumer shard = s -> {
            int lo = s * (n / k);
            int hi = s == k - 1 ? n : lo + n / k;
            INDArray xs = k == 1 ? x : x.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(lo, hi),
                    org.nd4j.linalg.indexing.NDArrayIndex.all());
            double[] ys = y;
            if (k > 1) {
                ys = buf.targets()[s];
                System.arraycopy(y, lo * outputs, ys, 0, (hi - lo) * outputs);
            }
            GaussianOutput out = model.forward(xs, passes[s]);
            evs[s] = objective.evaluate(out, ys, new SplittableRandom(seeds[s]), headGrads[2 * s], headGrads[2 * s + 1]);
            model.backward(passes[s], headGrads[2 * s], headGrads[2 * s + 1]);
        };
        if (k > 1 && threads > 1) {
            // threads take the next shard when they finish one: a thread slowed by a busy neighbour on a shared
            // machine does fewer shards instead of holding the step up
            java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
            Runnable worker = () -> {
                for (int s = next.getAndIncrement(); s < k; s = next.getAndIncrement()) {
                    shard.accept(s);
                }
            };
            java.util.concurrent.CompletableFuture<?>[] fs =
                    new java.util.concurrent.CompletableFuture<?>[Math.min(threads, k) - 1];
            for (int i = 0; i < fs.length; i++) {
                fs[i] = java.util.concurrent.CompletableFuture.runAsync(worker, sh.pool());
            }
            worker.run();
            java.util.concurrent.CompletableFuture.allOf(fs).join();
        } else {
            for (int s = 0; s < k; s++) {
                shard.accept(s);
            }
        }
        double[] g = sh.gradient;
        if (k == 1) {
            passes[0].readGradient(g);
            return new Step(withBoundPenalty(model, evs[0]), g);
        }
        Arrays.fill(g, 0);
        MetricMean mean = new MetricMean();
        for (int s = 0; s < k; s++) {
            double wgt = (double) passes[s].batch() / n;
            passes[s].addGradientTo(g, wgt);
            mean.add(evs[s].metrics(), wgt);
        }
        Map<String, Double> metrics = mean.result();
        return new Step(withBoundPenalty(model, new Objective.Evaluation(metrics.get("loss"), metrics)), g);
    }

    /**
     * The evaluation with the soft log-std bound regulariser added to its loss: the gradient back-propagated includes
     * the regulariser's, so the loss reported (and used for plateaus and early stopping) must too.
     */
    private static Objective.Evaluation withBoundPenalty(GaussianMlp model, Objective.Evaluation ev) {
        double penalty = model.boundPenalty();
        if (penalty == 0) {
            return ev;
        }
        Map<String, Double> metrics = new LinkedHashMap<>(ev.metrics());
        metrics.put("loss", ev.loss() + penalty);
        return new Objective.Evaluation(ev.loss() + penalty, metrics);
    }

    /** The objective's loss and metrics of {@code model} on {@code data}, without updating anything. */
    public static Map<String, Double> evaluate(GaussianMlp model, Objective objective, Data data, SplittableRandom rng) {
        GaussianOutput out = model.forward(data.inputs());
        return withBoundPenalty(model, objective.evaluate(out, data.targets(), rng, null, null)).metrics();
    }


    /** Builder for {@link ModelTrainer}. Defaults are the reference's: Adam lr 1e-3, full batch, no clipping. */
    public static final class Builder {
        private int epochs = 200;
        private double lr = 1e-3;
        private double beta1 = 0.9;
        private double beta2 = 0.999;
        private double eps = 1e-8;
        private double weightDecay;
        private double clipGradNorm;
        private int batchSize;
        private int patience;
        private String monitor = "loss";
        private double plateauFactor = 0.5;
        private int plateauPatience;
        private double minLr = 1e-6;
        private long seed;
        private int threads = 1;
        private Consumer<Epoch> listener;

        private Builder() {
        }

        /** Required: the seed of sampling and shuffling. */
        public Builder setSeed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Epochs (default 200). */
        public Builder optEpochs(int e) {
            this.epochs = e;
            return this;
        }

        /** Adam learning rate (default 1e-3). */
        public Builder optLr(double lr) {
            this.lr = lr;
            return this;
        }

        /** Adam betas (default 0.9, 0.999). */
        public Builder optBetas(double b1, double b2) {
            this.beta1 = b1;
            this.beta2 = b2;
            return this;
        }

        /** Adam epsilon (default 1e-8). */
        public Builder optEps(double eps) {
            this.eps = eps;
            return this;
        }

        /** L2 weight decay added to the gradient, as PyTorch's Adam (default 0). */
        public Builder optWeightDecay(double wd) {
            this.weightDecay = wd;
            return this;
        }

        /** Maximum global gradient norm (default 0: no clipping). */
        public Builder optClipGradNorm(double max) {
            this.clipGradNorm = max;
            return this;
        }

        /** Minibatch size (default 0: full batch). */
        public Builder optBatchSize(int b) {
            this.batchSize = b;
            return this;
        }

        /** Early-stopping patience in epochs (default 0: off); the best weights are restored. */
        public Builder optEarlyStopping(int patience) {
            this.patience = patience;
            return this;
        }

        /** Validation metric monitored by early stopping and the plateau schedule (default {@code loss}). */
        public Builder optMonitor(String metric) {
            this.monitor = metric;
            return this;
        }

        /** ReduceLROnPlateau: multiply the rate by {@code factor} after {@code patience} flat epochs, not below minLr. */
        public Builder optReduceLrOnPlateau(double factor, int patience, double minLr) {
            this.plateauFactor = factor;
            this.plateauPatience = patience;
            this.minLr = minLr;
            return this;
        }

        /**
         * Java threads that run the shards of large batches in parallel (default 1). Pair it with one ND4J thread
         * ({@link ModelTrainer#setNd4jThreads}): that measured faster than ND4J's own threads on small layers. Results
         * do not depend on it.
         */
        public Builder optThreads(int threads) {
            this.threads = threads;
            return this;
        }

        /** Called after every epoch. */
        public Builder optListener(Consumer<Epoch> l) {
            this.listener = l;
            return this;
        }

        /** Validates and builds. */
        public ModelTrainer build() {
            require(epochs >= 1, "epochs must be ≥ 1, got " + epochs);
            require(lr > 0 && Double.isFinite(lr), "lr must be > 0, got " + lr);
            require(beta1 >= 0 && beta1 < 1 && beta2 >= 0 && beta2 < 1, "betas must be in [0, 1), got " + beta1 + ", " + beta2);
            require(eps > 0, "eps must be > 0, got " + eps);
            require(weightDecay >= 0, "weight decay must be ≥ 0, got " + weightDecay);
            require(clipGradNorm >= 0, "clip-grad norm must be ≥ 0 (0: off), got " + clipGradNorm);
            require(batchSize >= 0, "batch size must be ≥ 0 (0: full batch), got " + batchSize);
            require(patience >= 0, "early-stopping patience must be ≥ 0, got " + patience);
            require(plateauFactor > 0 && plateauFactor < 1, "plateau factor must be in (0, 1), got " + plateauFactor);
            require(minLr >= 0, "min lr must be ≥ 0, got " + minLr);
            require(threads >= 1, "threads must be ≥ 1, got " + threads);
            return new ModelTrainer(this);
        }

        private static void require(boolean ok, String message) {
            if (!ok) {
                throw new IllegalArgumentException("ModelTrainer " + message);
            }
        }
    }
}
