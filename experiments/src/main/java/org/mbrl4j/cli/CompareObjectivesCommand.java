package org.mbrl4j.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.knowm.xchart.internal.chartpart.Chart;
import org.mbrl4j.agents.Pets;
import org.mbrl4j.bilevel.RewardFlags;
import org.mbrl4j.model.ModelTrainer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code mbrl4j compare-objectives}: the same PETS run with world models trained by different objectives (NLL,
 * PG with the closed-form, conditional or learned U, …) over seeds. Every run is a full run directory of its own under
 * the comparison's directory (so {@code tensorboard --logdir DIR} shows them side by side); the comparison writes
 * {@code results.csv} (every episode), {@code results.md} (mean return of the last 3 episodes per objective) and
 * {@code plot.png} (return vs environment steps, mean and 95 % interval over seeds).
 */
@Command(name = "compare-objectives", mixinStandardHelpOptions = true,
        description = "PETS with NLL vs PG(full) vs PG(conditional) vs PG(learned) world models over seeds: table and "
                + "plot of return vs env steps.")
final class CompareObjectivesCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--env", defaultValue = "Pendulum-v1", description = "Environment id (default ${DEFAULT-VALUE}).")
    String env;

    @Option(names = "--objectives", split = ",", defaultValue = "nll,pg:full,pg:conditional,pg:learned",
            description = "World-model objectives: mse, nll, or pg:REWARD (default ${DEFAULT-VALUE}).")
    List<String> objectives;

    @Option(names = "--seeds", defaultValue = "3", description = "Seeds per objective (default ${DEFAULT-VALUE}).")
    int seeds;

    @Option(names = "--episodes", description = "Planning episodes per run (default 10; --quick: 3).")
    Integer episodes;

    @Option(names = "--lambda", defaultValue = "1.0", description = "PG entropy weight (default ${DEFAULT-VALUE}).")
    double lambda;

    @Option(names = "--planner", defaultValue = "cem", description = "A registered planner id: cem, icem, mppi, random (Box actions), cem-discrete, mppi-discrete, random-discrete (Discrete actions) or a plugin's (default ${DEFAULT-VALUE}).")
    String planner;

    @Option(names = "--threads", description = "Runs in parallel (default: the number of cores).")
    Integer threads;

    @CommandLine.Mixin
    PetsOptions sizes = new PetsOptions();

    @CommandLine.Mixin
    RunOptions runOptions = new RunOptions();

    private Pets pets(String objective, int seed) {
        Map<String, Object> opts = new LinkedHashMap<>();
        String name = objective;
        if (objective.startsWith("pg:")) {
            name = "pg";
            opts.put("reward", objective.substring(3));
            opts.put("lambda", lambda);
        }
        return sizes.apply(Pets.builder().optEnv(env).optObjective(name, opts).optEpisodes(episodeCount())
                .optSeed(seed).optPlanner(planner)).build();
    }

    private int episodeCount() {
        return sizes.episodes(episodes);
    }

    @Override
    public Integer call() throws Exception {
        for (String o : objectives) {
            boolean ok = o.equals("mse") || o.equals("nll");
            if (o.startsWith("pg:")) {
                try {
                    RewardFlags.check(o.substring(3));
                    ok = true;
                } catch (IllegalArgumentException e) {
                    throw new CommandLine.ParameterException(spec.commandLine(), "--objectives: " + e.getMessage());
                }
            }
            if (!ok) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--objectives: '" + o
                        + "' is unknown; accepted: mse, nll, pg:REWARD with REWARD one of " + RewardFlags.ACCEPTED);
            }
        }
        if (seeds < 1 || episodeCount() < 1 || (threads != null && threads < 1)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--seeds, --episodes and --threads must be ≥ 1");
        }
        for (String o : objectives) {
            pets(o, 0); // validates every setting before anything runs
        }
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("env", env);
        config.put("objectives", objectives);
        config.put("seeds", seeds);
        config.put("episodes", episodeCount());
        config.put("lambda", lambda);
        config.put("planner", planner);
        config.put("quick", sizes.quick);
        config.put("run", pets(objectives.get(0), 0).config());
        List<String> args = List.of(spec.commandLine().getParseResult().originalArgs().toArray(String[]::new));
        Results results = new Results();
        try (RunContext run = RunContext.start("compare-objectives", runOptions.directory("compare-objectives"), config,
                0, args, System.out)) {
            int n = threads != null ? threads : Runtime.getRuntime().availableProcessors();
            ModelTrainer.setNd4jThreads(1); // one ND4J thread per model, one model per pool thread
            ExecutorService pool = Executors.newFixedThreadPool(n, ModelTrainer.modelThreads("mbrl4j-compare"));
            List<Future<?>> fs = new ArrayList<>();
            for (String o : objectives) {
                for (int seed = 0; seed < seeds; seed++) {
                    final int s = seed;
                    fs.add(pool.submit(() -> {
                        Pets p = pets(o, s);
                        Path dir = run.dir().resolve(o.replace(':', '-') + "-seed" + s);
                        try (RunContext sub = RunContext.start("run-pets", dir, p.config(), s, args, System.out)) {
                            List<org.mbrl4j.agents.OnlineLoop.EpisodeResult> rs = p.run(sub.bus(), sub.dir());
                            rs = rs.stream().filter(r -> !r.phase().equals("eval")).toList();
                            for (org.mbrl4j.agents.OnlineLoop.EpisodeResult r : rs) {
                                results.add("objective", o, "seed", s, "episode", r.episode(), "env_steps", r.envSteps(),
                                        "return", r.ret(), "wall_seconds", r.seconds(), "phase", r.phase());
                            }
                            int k = rs.size();
                            double last3 = rs.subList(Math.max(0, k - 3), k).stream()
                                    .mapToDouble(org.mbrl4j.agents.OnlineLoop.EpisodeResult::ret).average().orElse(Double.NaN);
                            sub.end(true, Map.of("return_last3", last3), String.format("last-3 mean %.1f", last3));
                        }
                        return null;
                    }));
                }
            }
            try {
                for (Future<?> f : fs) {
                    f.get();
                }
            } finally {
                pool.shutdownNow();
            }
            results.writeCsv(run.dir().resolve("results.csv"));
            Results last = new Results();
            Map<String, Double> out = new LinkedHashMap<>();
            List<Chart<?, ?>> charts = new ArrayList<>();
            List<Plots.Series> curves = new ArrayList<>();
            for (String o : objectives) {
                double[] finals = new double[seeds];
                for (int s = 0; s < seeds; s++) {
                    double[] r = results.values("return", Map.of("objective", o, "seed", s));
                    int k = r.length;
                    finals[s] = Arrays.stream(r, Math.max(0, k - 3), k).average().orElse(Double.NaN);
                    double secs = Arrays.stream(results.values("wall_seconds", Map.of("objective", o, "seed", s))).max()
                            .orElse(Double.NaN);
                    last.add("objective", o, "seed", s, "return_last3", finals[s], "episodes", k, "wall_seconds", secs);
                }
                out.put(o + "/return_last3", Arrays.stream(finals).average().orElse(Double.NaN));
                double[] steps = results.values("env_steps", Map.of("objective", o, "seed", 0));
                double[] mean = new double[steps.length];
                double[] err = new double[steps.length];
                for (int e = 0; e < steps.length; e++) {
                    double[] v = new double[seeds];
                    for (int s = 0; s < seeds; s++) {
                        double[] r = results.values("return", Map.of("objective", o, "seed", s));
                        v[s] = e < r.length ? r[e] : Double.NaN;
                    }
                    mean[e] = Arrays.stream(v).average().orElse(Double.NaN);
                    err[e] = Plots.ci95(v);
                }
                curves.add(new Plots.Series(o, steps, mean, err));
            }
            charts.add(Plots.lines("PETS on " + env + " (mean and 95 % interval over " + seeds + " seeds)",
                    "environment steps", "episode return", curves, false));
            Plots.write(run.dir().resolve("plot.png"), charts);
            last.writeCsv(run.dir().resolve("last3.csv"));
            String md = "# PETS world-model objectives on " + env + "\n\n" + seeds + " seed(s), " + episodeCount()
                    + " planning episodes after one random episode; planner " + planner
                    + "; return = mean of the last 3 episodes (mean ± std over seeds).\n\n"
                    + last.summary(List.of("objective"), List.of("return_last3", "wall_seconds"));
            Results.writeText(run.dir().resolve("results.md"), md);
            System.out.print(md);
            run.end(true, out, "compared " + objectives.size() + " objectives");
        }
        return 0;
    }
}
