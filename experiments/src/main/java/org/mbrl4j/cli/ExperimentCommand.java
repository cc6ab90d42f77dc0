package org.mbrl4j.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code mbrl4j experiment …}: the paper's experiments, one command each. */
@Command(name = "experiment", mixinStandardHelpOptions = true,
        description = "Reproduce the experiments of arXiv 2510.07624 (each writes results.csv, results.md, plot.png and "
                + "TensorBoard logs into its run directory).",
        subcommands = {GaussianTheoryExperiment.class, SyntheticExperiment.class, ImplicitDiffExperiment.class,
            ClassificationExperiment.class, DynamicsExperiment.class})
final class ExperimentCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "an experiment is required: "
                + String.join(", ", spec.subcommands().keySet()));
    }

    /**
     * What every experiment shares: {@code --quick}, {@code --seeds}, the run directory options, the run context with
     * its event bus, and the end of the run with the experiment's headline metrics.
     */
    abstract static class Base implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--quick", description = "A small configuration that runs in under a minute (tests, demos).")
        boolean quick;

        @Option(names = "--seeds", description = "Number of seeds (repetitions); the default depends on the experiment "
                + "and on --quick.")
        Integer seeds;

        @CommandLine.Mixin
        RunOptions runOptions = new RunOptions();

        /** The experiment's name, e.g. {@code synthetic}. */
        abstract String name();

        /** Default seeds (full, quick). */
        abstract int[] defaultSeeds();

        /** The resolved settings, for config.yaml. */
        abstract Map<String, Object> settings();

        /** Runs the experiment into {@code run}; returns the headline metrics of the run's end. */
        abstract Map<String, Double> run(RunContext run) throws Exception;

        /** Fails with a usage error naming the option. */
        CommandLine.ParameterException bad(String message) {
            return new CommandLine.ParameterException(spec.commandLine(), message);
        }

        int seedCount() {
            int n = seeds != null ? seeds : defaultSeeds()[quick ? 1 : 0];
            if (n < 1) {
                throw bad("--seeds must be ≥ 1, got " + n);
            }
            return n;
        }

        @Override
        public Integer call() throws Exception {
            Map<String, Object> config = new LinkedHashMap<>();
            config.put("experiment", name());
            config.put("quick", quick);
            config.put("seeds", seedCount());
            config.putAll(settings());
            List<String> args = List.of(spec.commandLine().getParseResult().originalArgs().toArray(String[]::new));
            String command = "experiment-" + name();
            try (RunContext run = RunContext.start(command, runOptions.directory(command), config, 0, args,
                    System.out)) {
                Map<String, Double> metrics = run(run);
                run.end(true, metrics, "done");
                System.out.printf("wrote %s and %s%n", run.dir().resolve("results.md"), run.dir().resolve("plot.png"));
            }
            return 0;
        }
    }
}
