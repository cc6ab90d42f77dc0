package org.mbrl4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import org.knowm.xchart.internal.chartpart.Chart;
import org.mbrl4j.event.Event;
import org.mbrl4j.plugin.Plugins;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code mbrl4j sweep FILE.yaml}: many runs of one command. The file names the command, a base configuration, a grid
 * (every combination) and/or a list of override sets, and seeds:
 * <pre>
 * command: train-model          # or "run pets", "experiment synthetic", …
 * base: {data: t.csv, epochs: 50}
 * grid: {objective: [nll, pg], lambda: [1, 5]}
 * list: [{objective: mse}]      # extra configurations, appended to the grid's
 * seeds: [0, 1, 2]              # or a count; goes into the command's --seed
 * </pre>
 * Every task is a run directory under {@code DIR/runs/}; the sweep directory gets {@code results.csv} (one row per
 * task: its overrides, status and final metrics), {@code results.md} (mean ± std per configuration), {@code plot.png}
 * (one panel per metric) and its own TensorBoard files; {@code tensorboard --logdir DIR} shows the runs' HParams side
 * by side. {@code --resume DIR} skips the runs that finished. The exit code is 1 when any task failed.
 */
@Command(name = "sweep", mixinStandardHelpOptions = true,
        description = "Run a grid/list of configurations × seeds of one command; merged table, plots and TensorBoard hparams.")
final class SweepCommand implements Callable<Integer> {
    private static final Set<String> KEYS = Set.of("command", "base", "grid", "list", "seeds");
    /** More tasks than this is a typo (a count with extra digits), not a sweep this machine could run. */
    static final int MAX_TASKS = 100_000;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "0..1", paramLabel = "FILE.yaml", description = "The sweep file (not needed with --resume).")
    Path file;

    @Option(names = "--resume", description = "Continue the sweep in this directory, skipping finished runs.")
    Path resume;

    @Option(names = "--engine", defaultValue = "local", description = "Where tasks run: a registered engine id; local (default) or spark (the mbrl4j-spark module: ./mbrl4j adds it when MBRL4J_SPARK=1).")
    String engine;

    @Option(names = "--master", description = "Spark master URL for --engine spark (default local[N], N = --threads or the cores; e.g. spark://host:7077).")
    String master;

    @Option(names = "--threads", description = "Tasks at once (local engine; default: the number of cores).")
    Integer threads;

    @Option(names = "--checkpoints", description = "Spark engine: ship the runs' checkpoints (model.json, buffer.csv; ≤ 64 MB each) back too.")
    boolean checkpoints;

    @CommandLine.Mixin
    RunOptions runOptions = new RunOptions();

    /** A parsed, validated sweep file. */
    record Sweep(List<String> command, Map<String, Object> base, List<Map<String, Object>> configs, List<Long> seeds,
            Map<String, Object> raw) {
    }

    private CommandLine.ParameterException bad(String m) {
        return new CommandLine.ParameterException(spec.commandLine(), m);
    }

    @SuppressWarnings("unchecked")
    Sweep parse(Path f) {
        if (!Files.isRegularFile(f)) {
            throw bad("sweep file " + f + " does not exist");
        }
        Object doc;
        try {
            doc = new ObjectMapper(new YAMLFactory()).readValue(f.toFile(), Object.class);
        } catch (IOException e) {
            throw bad(f + " is not valid YAML: " + e.getMessage());
        }
        if (!(doc instanceof Map<?, ?> m)) {
            throw bad(f + " must be a mapping with keys " + new TreeSet<>(KEYS));
        }
        Map<String, Object> raw = (Map<String, Object>) m;
        for (String k : raw.keySet()) {
            if (!KEYS.contains(k)) {
                throw bad(f + ": unknown key '" + k + "'; accepted: " + new TreeSet<>(KEYS));
            }
        }
        if (!(raw.get("command") instanceof String c) || c.isBlank()) {
            throw bad(f + ": 'command' is required, e.g. command: train-model");
        }
        List<String> command = List.of(c.trim().split("\\s+"));
        CommandLine target = new CommandLine(new Main());
        for (String part : command) {
            CommandLine next = target.getSubcommands().get(part);
            if (next == null || part.equals("sweep") || part.equals("help")) {
                throw bad(f + ": command: unknown command '" + c + "'; accepted: "
                        + new TreeSet<>(target.getSubcommands().keySet()));
            }
            target = next;
        }
        if (!target.getSubcommands().isEmpty()) {
            throw bad(f + ": command: '" + c + "' needs one of " + new TreeSet<>(target.getSubcommands().keySet()));
        }
        Map<String, OptionSpec> options = ConfigFile.options(target.getCommandSpec());
        options.remove("out");
        options.remove("logdir");
        Map<String, Object> base = mapping(f, raw.get("base"), "base");
        for (Map.Entry<String, Object> e : base.entrySet()) {
            check(target, options, "base." + e.getKey(), e.getKey(), e.getValue());
        }
        List<Map<String, Object>> configs = new ArrayList<>();
        Map<String, Object> grid = mapping(f, raw.get("grid"), "grid");
        configs.add(new LinkedHashMap<>());
        for (Map.Entry<String, Object> e : grid.entrySet()) {
            if (!(e.getValue() instanceof List<?> values) || values.isEmpty()) {
                throw bad(f + ": grid." + e.getKey() + " must be a non-empty list of values");
            }
            if ((long) configs.size() * values.size() > MAX_TASKS) {
                throw bad(f + ": grid has more than " + MAX_TASKS + " combinations; at most " + MAX_TASKS + " tasks are accepted");
            }
            List<Map<String, Object>> expanded = new ArrayList<>();
            for (Map<String, Object> partial : configs) {
                for (Object v : values) {
                    check(target, options, "grid." + e.getKey(), e.getKey(), v);
                    Map<String, Object> n = new LinkedHashMap<>(partial);
                    n.put(e.getKey(), v);
                    expanded.add(n);
                }
            }
            configs = expanded;
        }
        if (grid.isEmpty()) {
            configs.clear();
        }
        Object list = raw.get("list");
        if (list != null) {
            if (!(list instanceof List<?> items) || items.isEmpty()) {
                throw bad(f + ": list must be a non-empty list of mappings");
            }
            for (int i = 0; i < items.size(); i++) {
                Map<String, Object> item = mapping(f, items.get(i), "list[" + i + "]");
                for (Map.Entry<String, Object> e : item.entrySet()) {
                    check(target, options, "list[" + i + "]." + e.getKey(), e.getKey(), e.getValue());
                }
                configs.add(item);
            }
        }
        if (configs.isEmpty()) {
            configs.add(new LinkedHashMap<>());
        }
        List<Long> seeds = new ArrayList<>();
        Object s = raw.get("seeds");
        if (s != null) {
            if (!options.containsKey("seed")) {
                throw bad(f + ": seeds: command '" + c + "' has no --seed option; drop 'seeds' (or use its own options)");
            }
            if (s instanceof Number n) {
                if (!integral(n) || n.longValue() > MAX_TASKS) {
                    throw bad(f + ": seeds must be a count of 1.." + MAX_TASKS + " or a list of integers, got " + s);
                }
                for (long i = 0; i < n.longValue(); i++) {
                    seeds.add(i);
                }
            } else if (s instanceof List<?> l && !l.isEmpty()) {
                for (Object o : l) {
                    if (!(o instanceof Number n) || !integral(n)) {
                        throw bad(f + ": seeds must be a count or a list of integers, got " + o);
                    }
                    seeds.add(n.longValue());
                }
            }
            if (seeds.isEmpty()) {
                throw bad(f + ": seeds must be a positive count or a non-empty list of integers");
            }
        }
        if ((long) configs.size() * Math.max(1, seeds.size()) > MAX_TASKS) {
            throw bad(f + ": " + configs.size() + " configurations × " + seeds.size() + " seeds are more than the "
                    + MAX_TASKS + " tasks accepted");
        }
        return new Sweep(command, base, configs, seeds, raw);
    }

    /** A whole number that a long holds exactly (YAML gives Integer, Long, BigInteger or Double). */
    private static boolean integral(Number n) {
        if (n instanceof java.math.BigInteger b) {
            return b.bitLength() < 63;
        }
        double d = n.doubleValue();
        return n instanceof Integer || n instanceof Long || (d == Math.rint(d) && Math.abs(d) < 9e15);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> mapping(Path f, Object v, String key) {
        if (v == null) {
            return new LinkedHashMap<>();
        }
        if (!(v instanceof Map<?, ?> m)) {
            throw bad(f + ": " + key + " must be a mapping of option names to values");
        }
        return new LinkedHashMap<>((Map<String, Object>) m);
    }

    private void check(CommandLine target, Map<String, OptionSpec> options, String path, String key, Object value) {
        if (key.equals("out") || key.equals("logdir")) {
            throw bad(path + ": the sweep places every run itself; drop '" + key + "'");
        }
        OptionSpec o = options.get(key);
        if (o == null) {
            throw bad(path + ": unknown option '" + key + "' for " + target.getCommandName() + "; accepted: "
                    + new TreeSet<>(options.keySet()));
        }
        try {
            ConfigFile.convert(target, path + " ", o, value);
        } catch (CommandLine.ParameterException e) {
            throw bad(e.getMessage());
        }
    }

    /** The tasks of a sweep: configurations × seeds, with stable ids. */
    static List<SweepExecutor.Task> tasks(Sweep s) {
        CommandLine target = new CommandLine(new Main());
        for (String part : s.command()) {
            target = target.getSubcommands().get(part);
        }
        Map<String, OptionSpec> options = ConfigFile.options(target.getCommandSpec());
        List<SweepExecutor.Task> tasks = new ArrayList<>();
        List<Long> seeds = s.seeds().isEmpty() ? java.util.Collections.singletonList(null) : s.seeds();
        int i = 0;
        for (Map<String, Object> cfg : s.configs()) {
            for (Long seed : seeds) {
                Map<String, Object> overrides = new LinkedHashMap<>(cfg);
                if (seed != null) {
                    overrides.put("seed", seed);
                }
                Map<String, Object> all = new LinkedHashMap<>(s.base());
                all.putAll(overrides);
                List<String> args = new ArrayList<>(s.command());
                for (Map.Entry<String, Object> e : all.entrySet()) {
                    OptionSpec o = options.get(e.getKey());
                    String v = ConfigFile.convert(target, e.getKey() + " ", o, e.getValue());
                    if (o.arity().max() == 0) {
                        if (v.equals("true")) {
                            args.add(o.longestName());
                        }
                    } else {
                        args.add(o.longestName());
                        args.add(v);
                    }
                }
                StringBuilder id = new StringBuilder(String.format("t%03d", i++));
                overrides.forEach((k, v) -> id.append('-').append(k).append('=').append(v));
                String safe = id.toString().replaceAll("[^A-Za-z0-9=._-]", "_");
                tasks.add(new SweepExecutor.Task(safe.length() > 120 ? safe.substring(0, 120) : safe, args, overrides));
            }
        }
        return tasks;
    }

    @Override
    public Integer call() throws Exception {
        if (threads != null && threads < 1) {
            throw bad("--threads must be ≥ 1, got " + threads);
        }
        int n = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        SweepExecutor executor = engine(n);
        if ((file == null) == (resume == null)) {
            throw bad("give a sweep file, or --resume DIR of an earlier sweep (not both)");
        }
        Path dir = resume != null ? resume : runOptions.directory("sweep");
        Path sweepFile = resume != null ? resume.resolve("sweep.yaml") : file;
        Sweep sweep = parse(sweepFile);
        List<SweepExecutor.Task> tasks = tasks(sweep);
        Path runs = dir.resolve("runs");
        Files.createDirectories(runs);
        if (resume == null) {
            Files.copy(file, dir.resolve("sweep.yaml"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        Map<String, SweepExecutor.Outcome> outcomes = new java.util.concurrent.ConcurrentHashMap<>();
        List<SweepExecutor.Task> todo = new ArrayList<>();
        for (SweepExecutor.Task t : tasks) {
            Path done = runs.resolve(t.id());
            if (Files.isRegularFile(done.resolve("events.jsonl"))) {
                outcomes.put(t.id(), new SweepExecutor.Outcome(t, 0, LocalSweepExecutor.finalMetrics(done.resolve(
                        "events.jsonl")), done, "", 0));
            } else {
                todo.add(t);
            }
        }
        Map<String, Object> config = new LinkedHashMap<>(sweep.raw());
        config.put("engine", engine);
        config.put("tasks", tasks.size());
        List<String> args = List.of(spec.commandLine().getParseResult().originalArgs().toArray(String[]::new));
        AtomicInteger running = new AtomicInteger();
        AtomicInteger finished = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        long t0 = System.nanoTime();
        // the sweep's own scalars go to progress/, so the root holds only the experiment summary of the runs' hparams
        try (RunContext run = RunContext.start("sweep", dir, dir.resolve("progress"), config, 0, args, System.out)) {
            System.out.printf("sweep: %d tasks (%d finished earlier, %d to run) on the %s engine, %d at once%n",
                    tasks.size(), tasks.size() - todo.size(), todo.size(), executor.name(), n);
            executor.run(todo, runs, t -> running.incrementAndGet(), o -> {
                outcomes.put(o.task().id(), o);
                running.decrementAndGet();
                int k = finished.incrementAndGet();
                if (o.exit() != 0) {
                    failed.incrementAndGet();
                }
                double elapsed = (System.nanoTime() - t0) / 1e9;
                double eta = elapsed / k * (todo.size() - k);
                synchronized (this) {
                    System.out.printf("[%d/%d] %s: %s in %.1f s; running %d, failed %d, ETA %.0f s%n", k, todo.size(),
                            o.task().id(), o.exit() == 0 ? "ok" : "FAILED (exit " + o.exit() + "): " + firstLine(o.error()),
                            o.seconds(), running.get(), failed.get(), eta);
                }
                run.bus().publish(new Event.Scalar("sweep/done", k, k));
                run.bus().publish(new Event.Scalar("sweep/failed", k, failed.get()));
            });
            write(dir, sweep, tasks, outcomes);
            writeExperimentSummary(dir, tasks, outcomes);
            Map<String, Double> end = new LinkedHashMap<>();
            end.put("tasks", (double) tasks.size());
            end.put("failed", (double) failed.get());
            run.end(failed.get() == 0, end, failed.get() + " of " + tasks.size() + " tasks failed");
        }
        System.out.printf("wrote %s; %d of %d tasks failed%n", dir.resolve("results.md"), failed.get(), tasks.size());
        return failed.get() == 0 ? 0 : 1;
    }

    /** The registered engine {@code --engine} names, built for this sweep's settings. */
    private SweepExecutor engine(int n) {
        java.util.TreeMap<String, SweepExecutor.Provider> all = Plugins.byId(SweepExecutor.Provider.class,
                SweepExecutor.Provider::id);
        SweepExecutor.Provider p = all.get(engine);
        if (p == null) {
            throw bad("--engine: '" + engine + "' is unknown; registered: " + String.join(", ", all.keySet())
                    + (engine.equals("spark") ? " (spark is the mbrl4j-spark module: MBRL4J_SPARK=1 ./mbrl4j sweep …)" : ""));
        }
        try {
            return p.create(new SweepExecutor.Settings(n, master, checkpoints));
        } catch (IllegalArgumentException e) {
            throw bad(e.getMessage());
        }
    }

    /**
     * The HParams dashboard's experiment at the sweep's root: the keys the tasks vary and the runs' final metrics, so
     * {@code tensorboard --logdir DIR} lists every run's session under them.
     */
    private static void writeExperimentSummary(Path dir, List<SweepExecutor.Task> tasks,
            Map<String, SweepExecutor.Outcome> outcomes) {
        Map<String, Object> hparams = new LinkedHashMap<>();
        Set<String> tags = new java.util.LinkedHashSet<>();
        for (SweepExecutor.Task t : tasks) {
            t.overrides().forEach(hparams::putIfAbsent);
            SweepExecutor.Outcome o = outcomes.get(t.id());
            if (o != null) {
                o.metrics().keySet().forEach(m -> tags.add("final/" + m));
            }
        }
        try (org.mbrl4j.logging.TensorBoardWriter w = new org.mbrl4j.logging.TensorBoardWriter(dir)) {
            w.hparamsExperiment(hparams.isEmpty() ? Map.of("run", "default") : hparams, new ArrayList<>(tags));
        }
    }

    private static String firstLine(String s) {
        String[] lines = s.strip().split("\n");
        return lines.length == 0 ? "" : lines[0];
    }

    private static void write(Path dir, Sweep sweep, List<SweepExecutor.Task> tasks,
            Map<String, SweepExecutor.Outcome> outcomes) {
        Results results = new Results();
        List<String> keys = new ArrayList<>();
        Set<String> metrics = new java.util.LinkedHashSet<>();
        for (SweepExecutor.Task t : tasks) {
            for (String k : t.overrides().keySet()) {
                if (!keys.contains(k)) {
                    keys.add(k);
                }
            }
            SweepExecutor.Outcome o = outcomes.get(t.id());
            if (o != null) {
                metrics.addAll(o.metrics().keySet());
            }
        }
        for (SweepExecutor.Task t : tasks) {
            SweepExecutor.Outcome o = outcomes.get(t.id());
            List<Object> row = new ArrayList<>(List.of("task", t.id()));
            for (String k : keys) {
                row.add(k);
                row.add(String.valueOf(t.overrides().getOrDefault(k, "")));
            }
            row.addAll(List.of("status", o == null ? "not run" : o.exit() == 0 ? "ok" : "failed", "exit",
                    o == null ? -1 : o.exit(), "seconds", o == null ? Double.NaN : o.seconds()));
            for (String m : metrics) {
                row.add(m);
                row.add(o == null ? Double.NaN : o.metrics().getOrDefault(m, Double.NaN));
            }
            row.add("error");
            row.add(o == null ? "" : firstLine(o.error()));
            results.add(row.toArray());
        }
        results.writeCsv(dir.resolve("results.csv"));
        List<String> group = keys.stream().filter(k -> !k.equals("seed")).toList();
        List<String> shown = new ArrayList<>(metrics);
        String md = "# Sweep of `" + String.join(" ", sweep.command()) + "`\n\n" + tasks.size() + " tasks; mean ± std "
                + "over seeds per configuration (failed tasks excluded).\n\n"
                + (group.isEmpty() ? results.summary(List.of("status"), shown) : results.summary(group, shown));
        Results.writeText(dir.resolve("results.md"), md);
        List<Chart<?, ?>> charts = new ArrayList<>();
        List<Map<String, Object>> configs = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        for (SweepExecutor.Task t : tasks) {
            Map<String, Object> c = new LinkedHashMap<>();
            for (String k : group) {
                c.put(k, String.valueOf(t.overrides().getOrDefault(k, "")));
            }
            if (!configs.contains(c)) {
                configs.add(c);
                labels.add(c.isEmpty() ? "all" : c.toString().replaceAll("[{}]", ""));
            }
        }
        for (String m : shown.subList(0, Math.min(4, shown.size()))) {
            double[] mean = new double[configs.size()];
            double[] err = new double[configs.size()];
            for (int i = 0; i < configs.size(); i++) {
                Map<String, Object> where = new LinkedHashMap<>(configs.get(i));
                where.put("status", "ok");
                double[] v = results.values(m, where);
                mean[i] = Arrays.stream(v).average().orElse(Double.NaN);
                err[i] = Plots.ci95(v);
            }
            charts.add(Plots.bars(m, m, labels, Map.of(m, mean), Map.of(m, err), Math.min(0,
                    Arrays.stream(mean).filter(Double::isFinite).min().orElse(0))));
        }
        if (!charts.isEmpty()) {
            Plots.write(dir.resolve("plot.png"), charts);
        }
    }
}
