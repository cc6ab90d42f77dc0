package org.mbrl4j.cli;

import org.mbrl4j.optim.Adam;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import org.mbrl4j.data.AtomicFile;
import org.mbrl4j.data.Split;
import org.mbrl4j.data.TransitionDataset;
import org.mbrl4j.event.Event;
import org.mbrl4j.event.Provenance;
import org.mbrl4j.model.Ensemble;
import org.mbrl4j.model.GaussianMlp;
import org.mbrl4j.model.ModelTrainer;
import org.mbrl4j.bilevel.RewardFlags;
import org.mbrl4j.bilevel.TrainingContext;
import org.mbrl4j.objective.MahalanobisReward;
import org.mbrl4j.objective.Objective;
import org.mbrl4j.objective.ObjectiveContext;
import org.mbrl4j.objective.PolicyGradient;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code mbrl4j train-model}: train one dynamics model on a transitions CSV with MSE, NLL or PG. */
@Command(name = "train-model", mixinStandardHelpOptions = true,
        description = "Train one Gaussian dynamics model (obs ⊕ act → next obs) on a transitions CSV and write "
                + "metrics.json and the checkpoint model.json into --out.")
final class TrainModelCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--data", required = true, description = "Transitions CSV (obs_*, act_*, next_obs_*, ...).")
    Path data;

    @Option(names = "--objective", required = true, description = "mse, nll or pg (or any registered objective).")
    String objective;

    @Option(names = "--reward", defaultValue = "identity", description = "PG reward U: identity, scaled, full, conditional, u=VALUE or learned (default ${DEFAULT-VALUE}).")
    String reward;

    @Option(names = "--lambda", defaultValue = "1.0", description = "PG entropy weight λ (default ${DEFAULT-VALUE}).")
    double lambda;

    @Option(names = "--generations", defaultValue = "5", description = "PG samples per input G (default ${DEFAULT-VALUE}).")
    int generations;

    @Option(names = "--transform", defaultValue = "none", description = "PG reward transform: none, normalize, rbf (default ${DEFAULT-VALUE}).")
    String transform;

    @Option(names = "--epochs", defaultValue = "200", description = "Epochs (default ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--lr", defaultValue = "1e-3", description = "Adam learning rate (default ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = "--hidden", defaultValue = "64,64", split = ",", description = "Hidden layer sizes (default ${DEFAULT-VALUE}).")
    int[] hidden;

    @Option(names = "--batch", defaultValue = "full", description = "Batch size: full or N (default ${DEFAULT-VALUE}).")
    String batch;

    @Option(names = "--split", defaultValue = "0.5,0.2,0.3", description = "Train, validation, test fractions (default ${DEFAULT-VALUE}).")
    String split;

    @Option(names = "--split-permutation", description = "File with one row index per line: the split takes rows in this order instead of a seeded shuffle.")
    Path permutation;

    @Option(names = "--clip-grad", defaultValue = "10", description = "Maximum global gradient norm, 0 for none (default ${DEFAULT-VALUE}).")
    double clipGrad;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of initial weights, split shuffle and PG samples (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--threads", defaultValue = "1", description = "Threads running the shards of large batches, one ND4J thread each; results do not depend on it (default ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--init", description = "Initial weights saved from the reference PyTorch model (state_dict as JSON).")
    Path init;

    @Option(names = "--normalize-inputs", description = "Standardise inputs (off by default, as the reference).")
    boolean normalizeInputs;

    @Option(names = "--drop-invalid-rows", description = "Drop rows with a cell that is not a finite number, a wrong "
            + "field count or a bad flag, and report how many, instead of rejecting the file (off by default).")
    boolean dropInvalidRows;

    @Option(names = "--delta-targets", description = "Predict next − current observation (off by default, as the reference).")
    boolean deltaTargets;

    @CommandLine.Mixin
    RunOptions runOptions = new RunOptions();

    @Override
    public Integer call() throws IOException {
        validate();
        ModelTrainer.setNd4jThreads(1);
        TransitionDataset.Loaded loaded = TransitionDataset.read(data, dropInvalidRows);
        TransitionDataset all = loaded.data();
        if (!loaded.dropped().isEmpty()) {
            System.err.printf("dropped %d invalid row(s) of %s (%d kept); the first: %s%n", loaded.dropped().size(), data,
                    all.size(), loaded.dropped().get(0));
        }
        TransitionDataset[] parts = split(all);
        Ensemble model = Ensemble.builder().setObsDim(all.obsDim()).setActDim(all.actDim()).optHidden(hidden)
                .optNormalizeInputs(normalizeInputs).optDeltaTargets(deltaTargets).setRandom(new SplittableRandom(seed))
                .build();
        GaussianMlp net = model.member(0);
        if (init != null) {
            loadInit(net);
        }
        model.fitNormalizers(parts[0]);
        ModelTrainer.Data train = model.data(0, parts[0]);
        ModelTrainer.Data val = parts[1].size() > 0 ? model.data(0, parts[1]) : null;
        ModelTrainer.Data test = parts[2].size() > 0 ? model.data(0, parts[2]) : null;
        Objective obj = null;
        try {
            RewardFlags.check(reward);
            // options checked before the run starts; a reward fitted with the model is fitted in the run
            obj = Objective.create(objective, objectiveOptions(), ObjectiveContext.of(train.targets(), all.obsDim()));
        } catch (ObjectiveContext.NeedsModel later) {
            // conditional/learned: fitted below with the trainer and the run's event bus
        } catch (IllegalArgumentException e) {
            String m = e.getMessage();
            String flag = m.startsWith("transform") ? "--transform" : m.startsWith("reward") || m.contains("covariance") ? "--reward"
                    : m.startsWith("PolicyGradient generations") ? "--generations" : m.startsWith("PolicyGradient lambda") ? "--lambda"
                    : "--objective";
            throw bad(flag + ": " + m);
        }
        Map<String, Object> config = config();
        List<String> args = List.of(spec.commandLine().getParseResult().originalArgs().toArray(String[]::new));
        try (RunContext run = RunContext.start("train-model", runOptions.directory("train-model"), config,
                seed, args, System.out)) {
            ModelTrainer trainer = ModelTrainer.builder().setSeed(seed).optEpochs(epochs).optLr(lr).optClipGradNorm(clipGrad)
                    .optThreads(threads).optBatchSize(batch.equals("full") ? 0 : Integer.parseInt(batch))
                    .optListener(e -> run.bus().publish(new Event.ModelEpoch("dynamics", e.epoch(), epochs, e.train(),
                            e.val(), e.lr(), e.gradNorm(), e.stepMillis())))
                    .build();
            if (obj == null) {
                obj = Objective.create(objective, objectiveOptions(), TrainingContext.builder().setModel(net)
                        .setTrain(train).optVal(val).optTrainer(trainer).setSeed(seed).optBus(run.bus()).build());
                MahalanobisReward u = ((PolicyGradient) obj).reward();
                System.out.printf("reward %s fitted: %s%n", reward, u.isIsotropic() ? "u = " + u.scale() : u);
            }
            System.out.printf("train-model: %s on %s (%d train, %d val, %d test rows), %s%n", obj, data.getFileName(),
                    parts[0].size(), parts[1].size(), parts[2].size(), net);
            ModelTrainer.Result r = trainer.train(net, obj, train, val, test);
            run.bus().publish(new Event.ModelTrained("dynamics", r.epochs().size(), r.train(), r.val(), r.test(),
                    r.stopReason()));
            Path checkpoint = run.dir().resolve("model.json");
            model.save(checkpoint, Provenance.capture(seed, args, config));
            run.bus().publish(new Event.CheckpointWritten(checkpoint, r.epochs().size()));
            writeMetrics(run.dir(), r, loaded.dropped().size());
            Map<String, Double> fin = new LinkedHashMap<>();
            r.test().forEach((k, v) -> fin.put("test_" + k, v));
            r.val().forEach((k, v) -> fin.put("val_" + k, v));
            fin.put("step_ms_median", r.stepMsMedian());
            run.end(true, fin, r.stopReason());
            System.out.printf("%s; test rmse %s nll %s; wrote %s%n", r.stopReason(), fmt(r.test().get("rmse")),
                    fmt(r.test().get("nll")), run.dir().resolve("metrics.json"));
        }
        return 0;
    }

    private static String fmt(Double v) {
        return v == null ? "-" : String.format("%.4f", v);
    }

    private void validate() {
        if (epochs < 1) {
            throw bad("--epochs must be ≥ 1, got " + epochs);
        }
        if (!(lr > 0)) {
            throw bad("--lr must be > 0, got " + lr);
        }
        if (threads < 1) {
            throw bad("--threads must be ≥ 1, got " + threads);
        }
        if (!batch.equals("full")) {
            try {
                if (Integer.parseInt(batch) < 1) {
                    throw new NumberFormatException();
                }
            } catch (NumberFormatException e) {
                throw bad("--batch must be 'full' or a positive integer, got '" + batch + "'");
            }
        }
        if (!Files.isRegularFile(data)) {
            throw bad("--data: file " + data + " does not exist");
        }
        if (permutation != null && !Files.isRegularFile(permutation)) {
            throw bad("--split-permutation: file " + permutation + " does not exist");
        }
        if (init != null && !Files.isRegularFile(init)) {
            throw bad("--init: file " + init + " does not exist");
        }
        if (!objective.equals("pg") && (!reward.equals("identity") || !transform.equals("none"))) {
            throw bad("--reward and --transform apply to --objective pg only");
        }
    }

    private Map<String, Object> objectiveOptions() {
        if (!objective.equals("pg")) {
            return Map.of();
        }
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("reward", reward);
        o.put("lambda", lambda);
        o.put("generations", generations);
        o.put("transform", transform);
        return o;
    }

    private TransitionDataset[] split(TransitionDataset all) {
        double[] f;
        try {
            f = Arrays.stream(split.split(",")).mapToDouble(Double::parseDouble).toArray();
        } catch (NumberFormatException e) {
            throw bad("--split must be three fractions like 0.5,0.2,0.3, got '" + split + "'");
        }
        if (f.length != 3) {
            throw bad("--split must be three fractions like 0.5,0.2,0.3, got '" + split + "'");
        }
        try {
            Split s = permutation != null ? Split.byPermutation(all, permutation, f) : Split.byFractions(all, f, seed);
            return new TransitionDataset[] {s.train(), s.validation(), s.test()};
        } catch (IllegalArgumentException e) {
            throw bad((permutation != null && !e.getMessage().startsWith("split") ? "--split-permutation: " : "--split: ")
                    + e.getMessage());
        }
    }

    @SuppressWarnings("unchecked")
    private void loadInit(GaussianMlp net) throws IOException {
        Map<String, Object> state;
        try {
            state = new ObjectMapper().readValue(init.toFile(), Map.class);
        } catch (IOException e) {
            throw bad("--init: " + init + " is not valid JSON: " + e.getMessage());
        }
        try {
            net.loadTorchState(state);
        } catch (IllegalArgumentException e) {
            throw bad("--init: " + e.getMessage());
        }
    }

    private Map<String, Object> config() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("data", data.toString());
        c.put("objective", objective);
        c.putAll(objectiveOptions());
        c.put("epochs", epochs);
        c.put("lr", lr);
        c.put("hidden", Arrays.stream(hidden).boxed().toList());
        c.put("batch", batch);
        c.put("split", split);
        c.put("split_permutation", permutation == null ? null : permutation.toString());
        c.put("clip_grad", clipGrad);
        c.put("seed", seed);
        c.put("threads", threads);
        c.put("init", init == null ? null : init.toString());
        c.put("normalize_inputs", normalizeInputs);
        c.put("delta_targets", deltaTargets);
        return c;
    }

    private static void writeMetrics(Path out, ModelTrainer.Result r, int droppedRows) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("test", r.test());
        m.put("val", r.val());
        m.put("train", r.train());
        Map<String, Object> curves = new LinkedHashMap<>();
        for (String key : r.epochs().get(0).train().keySet()) {
            curves.put("train_" + key, r.curve("train", key));
        }
        if (!r.epochs().get(0).val().isEmpty()) {
            for (String key : r.epochs().get(0).val().keySet()) {
                curves.put("val_" + key, r.curve("val", key));
            }
        }
        curves.put("grad_norm", r.epochs().stream().mapToDouble(ModelTrainer.Epoch::gradNorm).toArray());
        curves.put("lr", r.epochs().stream().mapToDouble(ModelTrainer.Epoch::lr).toArray());
        m.put("curves", curves);
        m.put("step_ms_median", r.stepMsMedian());
        m.put("epochs_run", r.epochs().size());
        m.put("best_epoch", r.bestEpoch());
        m.put("stop_reason", r.stopReason());
        m.put("dropped_rows", droppedRows);
        AtomicFile.write(out.resolve("metrics.json"), o -> new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                .writeValue(o, m));
    }

    private CommandLine.ParameterException bad(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }
}
