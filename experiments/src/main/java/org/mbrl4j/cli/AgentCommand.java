package org.mbrl4j.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.mbrl4j.agents.AgentProvider;
import org.mbrl4j.agents.AgentRun;
import org.mbrl4j.agents.OnlineLoop;
import org.mbrl4j.data.AtomicFile;
import org.mbrl4j.model.ModelTrainer;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * {@code mbrl4j run ID}: any registered agent ({@link AgentProvider}) with its settings from {@code --config FILE}
 * (a YAML map of the agent's settings) and {@code --set KEY=VALUE}; {@code --resume DIR} continues a run. The shared
 * end of every agent run lives here too: {@code returns.csv}, {@code eval.csv} and the last-3 mean.
 */
@CommandLine.Command(mixinStandardHelpOptions = true)
final class AgentCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "A setting (a YAML value), overriding the config file.")
    List<String> set = List.of();

    @Option(names = "--resume", paramLabel = "RUN_DIR", description = "Continue the run in RUN_DIR from its last checkpoint.")
    Path resume;

    @Option(names = "--episodes", description = "With --resume: the number of agent episodes (to extend a run).")
    Integer episodes;

    @CommandLine.Mixin
    RunOptions runOptions = new RunOptions();

    /** Set by {@link ConfigFile}: the agent's settings file. */
    Path configFile;

    private final AgentProvider provider;

    AgentCommand(AgentProvider provider) {
        this.provider = provider;
    }

    /** The agent this command runs. */
    AgentProvider provider() {
        return provider;
    }

    /** The command line of {@code provider}, to add under {@code run}. */
    static CommandLine of(AgentProvider provider) {
        CommandLine cl = new CommandLine(new AgentCommand(provider));
        cl.getCommandSpec().usageMessage().description(provider.description() + " Settings (--config FILE, --set KEY=VALUE): "
                + provider.defaults().keySet());
        return cl;
    }

    @Override
    public Integer call() {
        String command = "run-" + provider.id();
        List<String> args = List.of(spec.commandLine().getParseResult().originalArgs().toArray(String[]::new));
        AgentRun agent;
        if (resume != null) {
            try {
                announceFallback(resume);
                agent = provider.resume(resume, episodes);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--resume: " + e.getMessage());
            }
            ModelTrainer.setNd4jThreads(1);
            try (RunContext run = RunContext.resume(command, resume, agent.config(), agent.seed(), args, System.out)) {
                finish(run, execute(agent, run, provider.id(), true));
            }
            return 0;
        }
        Map<String, Object> settings = new LinkedHashMap<>();
        if (configFile != null) {
            try {
                Object v = RunContext.YAML.readValue(Files.readAllBytes(configFile), Object.class);
                if (!(v instanceof Map<?, ?> m)) {
                    throw new IllegalArgumentException(configFile + " must hold a map of settings, got " + v);
                }
                m.forEach((k, x) -> settings.put(String.valueOf(k), x));
            } catch (java.io.IOException e) {
                throw new IllegalArgumentException("cannot read the config file " + configFile + ": " + e.getMessage());
            }
        }
        for (String kv : set) {
            int eq = kv.indexOf('=');
            if (eq < 1) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--set '" + kv + "' is not KEY=VALUE");
            }
            try {
                settings.put(kv.substring(0, eq), RunContext.YAML.readValue(kv.substring(eq + 1), Object.class));
            } catch (java.io.IOException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--set '" + kv + "': " + e.getMessage());
            }
        }
        agent = provider.create(settings);
        ModelTrainer.setNd4jThreads(1);
        try (RunContext run = RunContext.start(command, runOptions.directory(command), agent.config(), agent.seed(), args,
                System.out)) {
            finish(run, execute(agent, run, provider.id(), false));
        }
        return 0;
    }

    /**
     * Says on standard error when the newest checkpoint generation of {@code runDir} is damaged and the resume falls
     * back to the previous one; fails like {@link org.mbrl4j.agents.RunCheckpointer#latest} when none is intact.
     */
    static void announceFallback(Path runDir) {
        String note = org.mbrl4j.agents.RunCheckpointer.latest(runDir).fallbackNote();
        if (note != null) {
            System.err.println("mbrl4j: " + note);
        }
    }

    /**
     * A run that stopped on an error; its message says what is kept and, when that helps, how to continue, and the
     * stack trace is in {@link #log}.
     */
    static final class RunFailure extends IllegalStateException {
        private final transient Path log;

        RunFailure(String message, Throwable cause, Path log) {
            super(message, cause);
            this.log = log;
        }

        /** The run's error.log. */
        Path log() {
            return log;
        }
    }

    /**
     * Runs {@code agent}; when it stops on an error (a crashed environment, a diverged model, a checkpoint that cannot
     * be written, …) the stack trace goes to the run's {@code error.log} and the message says what is kept: after a
     * checkpoint written by this run, how to continue from it; when none was written since a resume, that the
     * checkpoint resumed from is unchanged (resuming again repeats what just failed unless the cause is removed).
     */
    static List<OnlineLoop.EpisodeResult> execute(AgentRun agent, RunContext run, String id, boolean resumed) {
        boolean[] written = {false};
        run.bus().subscribe(org.mbrl4j.event.Event.CheckpointWritten.class, c -> written[0] = true);
        try {
            return agent.run(run.bus(), run.dir());
        } catch (RuntimeException e) {
            Path log = run.dir().resolve("error.log");
            try {
                java.io.StringWriter trace = new java.io.StringWriter();
                e.printStackTrace(new java.io.PrintWriter(trace));
                Files.writeString(log, java.time.Instant.now() + " " + String.join(" ", "mbrl4j", "run", id) + "\n" + trace,
                        java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
            } catch (java.io.IOException | RuntimeException logFailed) {
                e.addSuppressed(logFailed);
            }
            String kept;
            if (written[0]) {
                kept = "nothing before the last checkpoint is lost: continue with mbrl4j run " + id + " --resume " + run.dir();
            } else if (resumed) {
                kept = "no checkpoint was written since the resume; the checkpoint resumed from is unchanged";
            } else if (e instanceof IllegalArgumentException) {
                throw e;
            } else {
                kept = "it stopped before its first checkpoint";
            }
            throw new RunFailure(e.getMessage() + "; " + kept, e, log);
        }
    }

    /** Writes returns.csv (and eval.csv) and ends the run with the mean return of the last 3 episodes. */
    static void finish(RunContext run, List<OnlineLoop.EpisodeResult> all) {
        List<OnlineLoop.EpisodeResult> rs = all.stream().filter(r -> !r.phase().equals("eval")).toList();
        writeReturns(run.dir().resolve("returns.csv"), rs);
        if (all.stream().anyMatch(r -> r.phase().equals("eval"))) {
            writeReturns(run.dir().resolve("eval.csv"), all.stream().filter(r -> r.phase().equals("eval")).toList());
        }
        int n = rs.size();
        double last3 = rs.subList(Math.max(0, n - 3), n).stream().mapToDouble(OnlineLoop.EpisodeResult::ret).average()
                .orElse(Double.NaN);
        run.end(true, Map.of("return_last3", last3, "return_final", rs.get(n - 1).ret()),
                String.format("mean return of the last 3 episodes %.1f", last3));
    }

    /** {@code episode,env_steps,return,wall_seconds}, one row per episode. */
    private static void writeReturns(Path file, List<OnlineLoop.EpisodeResult> rs) {
        StringBuilder csv = new StringBuilder("episode,env_steps,return,wall_seconds\n");
        for (OnlineLoop.EpisodeResult r : rs) {
            csv.append(r.episode()).append(',').append(r.envSteps()).append(',').append(r.ret()).append(',')
                    .append(String.format("%.3f", r.seconds())).append('\n');
        }
        AtomicFile.write(file, o -> o.write(csv.toString().getBytes(StandardCharsets.UTF_8)));
    }
}
