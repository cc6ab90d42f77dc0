package org.mbrl4j.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.mbrl4j.agents.Pets;
import org.mbrl4j.model.ModelTrainer;
import org.mbrl4j.data.AtomicFile;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code mbrl4j run AGENT}: online model-based RL runs. */
@Command(name = "run", mixinStandardHelpOptions = true, description = "Run an agent online.",
        subcommands = {RunCommand.PetsCommand.class})
final class RunCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "an agent is required; registered: "
                + String.join(", ", org.mbrl4j.agents.AgentProvider.registered().keySet()));
    }

    /** {@code mbrl4j run pets}: PETS with the world model trained by MSE, NLL or PG. */
    @Command(name = "pets", mixinStandardHelpOptions = true,
            description = "PETS (probabilistic ensemble, TS∞ particles, CEM) with the world model trained by the chosen objective.")
    static final class PetsCommand implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--env", defaultValue = "Pendulum-v1", description = "Environment id (default ${DEFAULT-VALUE}).")
        String env;

        @Option(names = "--objective", defaultValue = "nll", description = "World-model objective: mse, nll, pg (default ${DEFAULT-VALUE}).")
        String objective;

        @Option(names = "--reward", defaultValue = "full", description = "PG reward: identity, scaled, full, conditional, u=VALUE or learned (default ${DEFAULT-VALUE}).")
        String reward;

        @Option(names = "--lambda", defaultValue = "1.0", description = "PG entropy weight (default ${DEFAULT-VALUE}).")
        double lambda;

        @Option(names = "--episodes", description = "Planning episodes after the random ones (default 10; --quick: 3).")
        Integer episodes;

        @Option(names = "--seed", defaultValue = "0", description = "Seed (default ${DEFAULT-VALUE}).")
        long seed;

        @Option(names = "--eval-episodes", defaultValue = "0", description = "Evaluation episodes after each training episode, not collected; returns in eval.csv (default ${DEFAULT-VALUE}).")
        int evalEpisodes;

        @Option(names = "--planner", description = "Trajectory optimiser: any registered planner id (built in: cem, icem, mppi, random over Box actions; cem-discrete, mppi-discrete, random-discrete over Discrete actions; default: cem, or cem-discrete for Discrete actions).")
        String planner;

        @CommandLine.Mixin
        PetsOptions sizes = new PetsOptions();

        @Option(names = "--resume", paramLabel = "RUN_DIR", description = "Continue the run in RUN_DIR from its last checkpoint "
                + "(its settings are kept; only --episodes may change them).")
        Path resume;

        @CommandLine.Mixin
        RunOptions runOptions = new RunOptions();

        @Override
        public Integer call() {
            if (episodes != null && episodes < 1) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--episodes must be ≥ 1, got " + episodes);
            }
            Map<String, Object> opts = new LinkedHashMap<>();
            if (objective.equals("pg")) {
                try {
                    org.mbrl4j.bilevel.RewardFlags.check(reward);
                } catch (IllegalArgumentException e) {
                    throw new CommandLine.ParameterException(spec.commandLine(), "--reward: " + e.getMessage());
                }
                opts.put("reward", reward);
                opts.put("lambda", lambda);
            }
            if (resume != null) {
                return resume();
            }
            Pets pets = sizes.apply(Pets.builder().optEnv(env).optObjective(objective, opts)
                    .optEpisodes(sizes.episodes(episodes)).optSeed(seed).optPlanner(planner).optEvalEpisodes(evalEpisodes))
                    .build();
            Map<String, Object> config = pets.config();
            config.put("quick", sizes.quick);
            List<String> args = List.of(spec.commandLine().getParseResult().originalArgs().toArray(String[]::new));
            try (RunContext run = RunContext.start("run-pets", runOptions.directory("run-pets"), config, seed,
                    args, System.out)) {
                ModelTrainer.setNd4jThreads(1);
                AgentCommand.finish(run, AgentCommand.execute(pets, run, "pets", false));
            }
            return 0;
        }

        private int resume() {
            List<String> others = spec.commandLine().getParseResult().matchedOptions().stream().map(o -> o.longestName())
                    .filter(n -> !n.equals("--resume") && !n.equals("--episodes") && !n.equals("--debug")).toList();
            if (!others.isEmpty()) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--resume continues a run with its own settings; "
                        + "only --episodes may be given with it, got " + others);
            }
            Pets pets;
            try {
                AgentCommand.announceFallback(resume);
                pets = Pets.fromCheckpoint(resume, episodes);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--resume: " + e.getMessage());
            }
            List<String> args = List.of(spec.commandLine().getParseResult().originalArgs().toArray(String[]::new));
            try (RunContext run = RunContext.resume("run-pets", resume, pets.config(), ((Number) pets.config().get("seed")).longValue(),
                    args, System.out)) {
                ModelTrainer.setNd4jThreads(1);
                AgentCommand.finish(run, AgentCommand.execute(pets, run, "pets", true));
            }
            return 0;
        }
    }
}
