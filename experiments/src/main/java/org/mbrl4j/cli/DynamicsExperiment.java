package org.mbrl4j.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.mbrl4j.bilevel.TrainingContext;
import org.mbrl4j.data.Split;
import org.mbrl4j.data.TransitionDataset;
import org.mbrl4j.event.Event;
import org.mbrl4j.model.DynamicsModel;
import org.mbrl4j.model.Ensemble;
import org.mbrl4j.model.GaussianMlp;
import org.mbrl4j.model.ModelTrainer;
import org.mbrl4j.objective.GaussianOutput;
import org.mbrl4j.objective.MahalanobisReward;
import org.mbrl4j.objective.Mse;
import org.mbrl4j.objective.Nll;
import org.mbrl4j.objective.Objective;
import org.mbrl4j.objective.PolicyGradient;
import org.mbrl4j.optim.Adam;
import org.mbrl4j.random.Shuffle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code experiment dynamics}: the paper's MBRL table (Table 3) on a transitions CSV: one-step models of the next
 * observation trained by MSE, NLL and PG with the rewards identity, scaled, full, conditional and learned, over seeds
 * and λ; test RMSE and NLL, and what the paper did not report: open-loop k-step prediction error and σ calibration.
 * Tasks (method × λ × seed) run in parallel threads, one model and one ND4J thread each.
 */
@Command(name = "dynamics", mixinStandardHelpOptions = true,
        description = "Table 3: MSE, NLL and PG(identity|scaled|full|conditional|learned) dynamics models on a transitions "
                + "CSV; test RMSE/NLL, k-step open-loop error, σ calibration.")
final class DynamicsExperiment extends ExperimentCommand.Base {
    static final List<String> METHODS = List.of("mse", "nll", "pg:identity", "pg:scaled", "pg:full", "pg:conditional",
            "pg:learned");
    static final int[] K = {1, 5, 10, 25};

    @Option(names = "--data", required = true, description = "Transitions CSV (obs_*, act_*, next_obs_*, reward, terminated, truncated, episode).")
    Path data;

    @Option(names = "--split-permutation", description = "Row order for the split (one index per line); default: a shuffle per seed.")
    Path permutation;

    @Option(names = "--split", split = ",", defaultValue = "0.5,0.2,0.3", description = "Train, validation, test fractions (default ${DEFAULT-VALUE}, the paper's).")
    double[] split;

    @Option(names = "--methods", split = ",", description = "Subset of mse, nll, pg:identity, pg:scaled, pg:full, pg:conditional, pg:learned (default: all).")
    List<String> methods;

    @Option(names = "--lambdas", split = ",", description = "Entropy weights of the PG methods (default 1,5; --quick: 1).")
    double[] lambdas;

    @Option(names = "--epochs", description = "Full-batch Adam steps (default 200, the fixture's reference; --quick: 30).")
    Integer epochs;

    @Option(names = "--lr", defaultValue = "1e-3", description = "Adam learning rate (default ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = "--max-rows", description = "Use only the first N rows of the file (default: all; --quick: 3000).")
    Integer maxRows;

    @Option(names = "--threads", description = "Parallel tasks (default: the number of cores).")
    Integer threads;

    @Override
    String name() {
        return "dynamics";
    }

    @Override
    int[] defaultSeeds() {
        return new int[] {3, 1};
    }

    private List<String> methodList() {
        return methods != null ? methods : METHODS;
    }

    private double[] lambdaList() {
        return lambdas != null ? lambdas : quick ? new double[] {1} : new double[] {1, 5};
    }

    private int epochCount() {
        return epochs != null ? epochs : quick ? 30 : 200;
    }

    private int threadCount() {
        return threads != null ? threads : Runtime.getRuntime().availableProcessors();
    }

    @Override
    Map<String, Object> settings() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("data", data.toString());
        m.put("split_permutation", permutation == null ? null : permutation.toString());
        m.put("split", split);
        m.put("methods", methodList());
        m.put("lambdas", lambdaList());
        m.put("epochs", epochCount());
        m.put("lr", lr);
        m.put("max_rows", maxRows != null ? maxRows : quick ? 3000 : null);
        m.put("model", "MLP [64, 64] ReLU, raw inputs, absolute next observation, full batch, grad-norm clip 10, PG G = 5");
        return m;
    }

    private void validate() {
        if (!Files.isRegularFile(data)) {
            throw bad("--data: file " + data + " does not exist");
        }
        if (permutation != null && !Files.isRegularFile(permutation)) {
            throw bad("--split-permutation: file " + permutation + " does not exist");
        }
        for (String m : methodList()) {
            if (!METHODS.contains(m)) {
                throw bad("--methods: unknown method '" + m + "'; accepted: " + String.join(", ", METHODS));
            }
        }
        if (split.length != 3 || Math.abs(split[0] + split[1] + split[2] - 1) > 1e-9 || split[0] <= 0 || split[2] <= 0
                || split[1] < 0) {
            throw bad("--split needs three fractions (train, validation, test) summing to 1 with train and test > 0, got "
                    + Arrays.toString(split));
        }
        for (double l : lambdaList()) {
            if (!(l > 0)) {
                throw bad("--lambdas must be > 0, got " + l);
            }
        }
        if (epochCount() < 1 || !(lr > 0) || threadCount() < 1 || (maxRows != null && maxRows < 10)) {
            throw bad("--epochs and --threads must be ≥ 1, --lr > 0, --max-rows ≥ 10");
        }
    }

    /** One task: method × λ × seed. */
    private record Task(String method, double lambda, int seed) {
        String label() {
            return method.startsWith("pg:") ? method + " λ=" + lambda : method;
        }
    }

    @Override
    Map<String, Double> run(RunContext run) throws Exception {
        validate();
        TransitionDataset all = TransitionDataset.read(data);
        int fileRows = all.size();
        int limit = maxRows != null ? maxRows : quick ? 3000 : all.size();
        if (limit < all.size()) {
            all = all.select(java.util.stream.IntStream.range(0, limit).toArray());
        }
        TransitionDataset dataset = all;
        Split fixed;
        try {
            // the permutation file's split is the same for every seed: read and checked once, before any task runs
            fixed = permutation != null ? Split.byPermutation(dataset, permutation, fileRows, split) : null;
        } catch (IllegalArgumentException e) {
            throw bad("--split-permutation: " + e.getMessage());
        }
        List<Task> tasks = new ArrayList<>();
        for (int seed = 0; seed < seedCount(); seed++) {
            for (String m : methodList()) {
                if (m.startsWith("pg:")) {
                    for (double l : lambdaList()) {
                        tasks.add(new Task(m, l, seed));
                    }
                } else {
                    tasks.add(new Task(m, Double.NaN, seed));
                }
            }
        }
        System.out.printf("dynamics: %d rows of %s, %d tasks on %d threads%n", dataset.size(), data.getFileName(),
                tasks.size(), threadCount());
        ModelTrainer.setNd4jThreads(1);
        Results results = new Results();
        ExecutorService pool = Executors.newFixedThreadPool(threadCount(), ModelTrainer.modelThreads("mbrl4j-experiment"));
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (Task t : tasks) {
                fs.add(pool.submit(() -> {
                    runTask(t, dataset, fixed != null ? fixed : Split.byFractions(dataset, split, t.seed()), results, run);
                    return null;
                }));
            }
            for (Future<?> f : fs) {
                try {
                    f.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    Throwable c = e.getCause();
                    throw c instanceof Exception ex ? ex : new RuntimeException(c);
                }
            }
        } finally {
            pool.shutdownNow();
        }
        results.writeCsv(run.dir().resolve("results.csv"));
        List<String> metrics = new ArrayList<>(List.of("test_rmse", "test_nll"));
        for (int k : K) {
            metrics.add("rmse_k" + k);
        }
        metrics.add("cover_1sigma");
        metrics.add("cover_2sigma");
        metrics.add("u");
        StringBuilder md = new StringBuilder("# One-step dynamics models (Table 3)\n\n").append(String.format(
                "%s: %d rows, split %s; MLP [64, 64], %d full-batch Adam steps of lr %s, grad-norm clip 10; mean ± std "
                        + "over %d seed(s). `rmse_kK`: open-loop K-step RMSE of the mean prediction from test start rows; "
                        + "`cover_1sigma`/`cover_2sigma`: share of test targets within the predicted ±1σ/±2σ (ideal 0.683 "
                        + "/ 0.954); `u`: the reward's scale (isotropic) or ‖U‖_F.%n%n", data.getFileName(),
                dataset.size(), Arrays.toString(split), epochCount(), lr, seedCount()))
                .append(results.summary(List.of("method", "lambda"), metrics));
        Results.writeText(run.dir().resolve("results.md"), md.toString());
        List<String> labels = new ArrayList<>();
        Map<String, double[]> rmse = new LinkedHashMap<>();
        Map<String, double[]> nll = new LinkedHashMap<>();
        List<Map<String, Object>> groups = new ArrayList<>();
        for (Task t : tasks) {
            if (t.seed() == 0) {
                labels.add(t.label());
                groups.add(Map.of("method", t.method(), "lambda", lambdaCell(t.lambda())));
            }
        }
        double[] r = new double[labels.size()];
        double[] nl = new double[labels.size()];
        double[] re = new double[labels.size()];
        double[] ne = new double[labels.size()];
        for (int i = 0; i < labels.size(); i++) {
            double[] v = results.values("test_rmse", groups.get(i));
            double[] w = results.values("test_nll", groups.get(i));
            r[i] = Arrays.stream(v).average().orElse(Double.NaN);
            nl[i] = Arrays.stream(w).average().orElse(Double.NaN);
            re[i] = Plots.ci95(v);
            ne[i] = Plots.ci95(w);
        }
        rmse.put("test RMSE", r);
        nll.put("test NLL", nl);
        List<Plots.Series> kSeries = new ArrayList<>();
        double[] ks = Arrays.stream(K).asDoubleStream().toArray();
        for (int i = 0; i < labels.size(); i++) {
            double[] y = new double[K.length];
            for (int j = 0; j < K.length; j++) {
                y[j] = Arrays.stream(results.values("rmse_k" + K[j], groups.get(i))).average().orElse(Double.NaN);
            }
            kSeries.add(new Plots.Series(labels.get(i), ks, y, null));
        }
        Plots.write(run.dir().resolve("plot.png"), List.of(
                Plots.bars("test RMSE", "RMSE", labels, rmse, Map.of("test RMSE", re), 0),
                Plots.bars("test NLL (per dimension)", "NLL", labels, nll, Map.of("test NLL", ne), Math.min(0,
                        Arrays.stream(nl).filter(Double::isFinite).min().orElse(0))),
                Plots.lines("open-loop k-step RMSE", "k", "RMSE", kSeries, true)));
        System.out.print(md);
        Map<String, Double> out = new LinkedHashMap<>();
        for (int i = 0; i < labels.size(); i++) {
            out.put(labels.get(i) + "/test_rmse", r[i]);
            out.put(labels.get(i) + "/test_nll", nl[i]);
        }
        return out;
    }

    private static String lambdaCell(double lambda) {
        return Double.isNaN(lambda) ? "–" : Double.toString(lambda);
    }

    private void runTask(Task t, TransitionDataset all, Split parts, Results results, RunContext run) throws IOException {
        long t0 = System.nanoTime();
        int[] testRows = parts.testRows();
        TransitionDataset trainD = parts.train();
        TransitionDataset valD = parts.validation();
        TransitionDataset testD = parts.test();
        int nVal = valD.size();
        Ensemble model = Ensemble.builder().setObsDim(all.obsDim()).setActDim(all.actDim()).optHidden(64, 64)
                .setRandom(new SplittableRandom(t.seed())).build();
        model.fitNormalizers(trainD);
        GaussianMlp net = model.member(0);
        ModelTrainer.Data train = model.data(0, trainD);
        ModelTrainer.Data val = nVal > 1 ? model.data(0, valD) : null;
        ModelTrainer.Data test = model.data(0, testD);
        int epochsN = epochCount();
        ModelTrainer trainer = ModelTrainer.builder().setSeed(t.seed()).optEpochs(epochsN).optLr(lr).optClipGradNorm(10)
                .optListener(t.seed() == 0 ? e -> run.bus().publish(new Event.ModelEpoch(t.label(), e.epoch(), epochsN,
                        e.train(), e.val(), e.lr(), e.gradNorm(), e.stepMillis())) : null)
                .build();
        Objective objective;
        MahalanobisReward reward = null;
        if (t.method().equals("mse")) {
            objective = new Mse();
        } else if (t.method().equals("nll")) {
            objective = new Nll();
        } else {
            TrainingContext context = TrainingContext.builder().setModel(net).setTrain(train).optVal(val)
                    .optTrainer(trainer).setSeed(t.seed()).optLearnedSteps(quick ? 5 : 0, quick ? 10 : 0).build();
            objective = Objective.create("pg", Map.of("reward", t.method().substring(3), "lambda", t.lambda()), context);
            reward = ((PolicyGradient) objective).reward();
        }
        ModelTrainer.Result r = trainer.train(net, objective, train, val, test);
        double[] kErr = openLoop(model, all, testRows, t.seed());
        double[] cover = coverage(net, test);
        List<Object> row = new ArrayList<>(List.of("method", t.method(), "lambda", lambdaCell(t.lambda()), "seed",
                t.seed(), "test_rmse", r.test().get("rmse"), "test_nll", r.test().get("nll")));
        for (int j = 0; j < K.length; j++) {
            row.add("rmse_k" + K[j]);
            row.add(kErr[j]);
        }
        row.addAll(List.of("cover_1sigma", cover[0], "cover_2sigma", cover[1], "u", reward == null ? Double.NaN
                : reward.isIsotropic() ? reward.scale() : reward.frobeniusNorm(), "seconds",
                (System.nanoTime() - t0) / 1e9));
        results.add(row.toArray());
        run.bus().publish(new Event.Scalar(t.label() + "/test_rmse", t.seed(), r.test().get("rmse")));
        run.bus().publish(new Event.Scalar(t.label() + "/test_nll", t.seed(), r.test().get("nll")));
        System.out.printf("  %-22s seed %d: test RMSE %.4f NLL %.4f (%.0f s)%n", t.label(), t.seed(),
                r.test().get("rmse"), r.test().get("nll"), (System.nanoTime() - t0) / 1e9);
    }

    /**
     * Open-loop k-step RMSE: from test start rows whose next k − 1 rows continue the same episode, the model's mean
     * prediction is fed back as the next observation with the recorded actions; the error is taken against the
     * recorded observation after k steps. At most 1000 start rows per k.
     */
    static double[] openLoop(Ensemble model, TransitionDataset all, int[] testRows, long seed) {
        double[] out = new double[K.length];
        int o = all.obsDim();
        int a = all.actDim();
        for (int j = 0; j < K.length; j++) {
            int k = K[j];
            List<Integer> starts = new ArrayList<>();
            for (int i : testRows) {
                if (i + k - 1 < all.size() && continues(all, i, k)) {
                    starts.add(i);
                }
            }
            if (starts.isEmpty()) {
                out[j] = Double.NaN;
                continue;
            }
            Shuffle.shuffle(starts, new SplittableRandom(seed));
            List<Integer> use = starts.subList(0, Math.min(1000, starts.size()));
            int n = use.size();
            double[] s = new double[n * o];
            for (int b = 0; b < n; b++) {
                System.arraycopy(all.obs(use.get(b)), 0, s, b * o, o);
            }
            for (int step = 0; step < k; step++) {
                double[] act = new double[n * a];
                for (int b = 0; b < n; b++) {
                    System.arraycopy(all.action(use.get(b) + step), 0, act, b * a, a);
                }
                s = model.predict(s, act, n, DynamicsModel.Propagation.EXPECTATION, null, null).mean();
            }
            double se = 0;
            for (int b = 0; b < n; b++) {
                double[] truth = all.nextObs(use.get(b) + k - 1);
                for (int d = 0; d < o; d++) {
                    double e = s[b * o + d] - truth[d];
                    se += e * e;
                }
            }
            out[j] = Math.sqrt(se / ((double) n * o));
        }
        return out;
    }

    private static boolean continues(TransitionDataset d, int i, int k) {
        for (int t = 1; t < k; t++) {
            if (d.episode(i + t) != d.episode(i) || d.terminated(i + t - 1)) {
                return false;
            }
            double[] prev = d.nextObs(i + t - 1);
            double[] next = d.obs(i + t);
            for (int q = 0; q < prev.length; q++) {
                if (Math.abs(prev[q] - next[q]) > 1e-6 * (1 + Math.abs(prev[q]))) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Shares of target elements within ±1σ and ±2σ of the predicted mean. */
    static double[] coverage(GaussianMlp net, ModelTrainer.Data d) {
        GaussianOutput out = net.forward(d.inputs());
        double[] y = d.targets();
        int in1 = 0;
        int in2 = 0;
        for (int i = 0; i < y.length; i++) {
            double z = Math.abs(y[i] - out.mean()[i]) / Math.exp(out.logStd()[i]);
            in1 += z <= 1 ? 1 : 0;
            in2 += z <= 2 ? 1 : 0;
        }
        return new double[] {(double) in1 / y.length, (double) in2 / y.length};
    }
}
