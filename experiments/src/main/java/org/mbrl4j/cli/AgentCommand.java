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
                agent = provider.resume(resume, episodes);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--resume: " + e.getMessage());
            }
            ModelTrainer.setNd4jThreads(1);
            try (RunContext run = RunContext.resume(command, resume, agent.config(), agent.seed(), args, System.out)) {
                finish(run, execute(agent, run, provider.id()));
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
            finish(run, execute(agent, run, provider.id()));
        }
        return 0;
    }

    /**
     * Runs {@code agent}; when it stops on an error (a crashed environment, a diverged model, …) after a checkpoint was
     * written, the error says how to continue from it.
     */
    static List<OnlineLoop.EpisodeResult> execute(AgentRun agent, RunContext run, String id) {
        try {
            return agent.run(run.bus(), run.dir());
        } catch (RuntimeException e) {
            if (!Files.exists(run.dir().resolve("checkpoint/state.json"))) {
                throw e;
            }
            throw new IllegalStateException(e.getMessage() + "; nothing before the last checkpoint is lost: continue with"
                    + " mbrl4j run " + id + " --resume " + run.dir(), e);
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
