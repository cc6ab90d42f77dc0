package org.mbrl4j.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import org.mbrl4j.data.TransitionDataset;
import org.mbrl4j.env.Env;
import org.mbrl4j.env.EnvRegistry;
import org.mbrl4j.env.StatefulEnv;
import org.mbrl4j.env.Step;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code mbrl4j rollout}: run episodes and write their transitions in the dataset format. */
@Command(name = "rollout", mixinStandardHelpOptions = true,
        description = "Run episodes of an environment and write the transitions as CSV "
                + "(obs_*, act_*, next_obs_*, reward, terminated, truncated, episode).")
final class RolloutCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--env", required = true, description = "Environment id (see `mbrl4j envs`).")
    String envId;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of episode 0; episode k uses seed + k (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--state", split = ",", description = "Initial simulator state set after every reset, "
            + "in Gymnasium's env.unwrapped.state order (e.g. Pendulum: theta,theta_dot).")
    double[] state;

    @CommandLine.ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    static final class Source {
        @Option(names = "--actions", description = "CSV with columns act_0.. (one row per step) replayed in every episode.")
        Path actions;

        @Option(names = "--policy", description = "Action policy: ${COMPLETION-CANDIDATES}.")
        Policy policy;
    }

    enum Policy { random }

    @Option(names = "--episodes", defaultValue = "1", description = "Number of episodes (default ${DEFAULT-VALUE}).")
    int episodes;

    @Option(names = "--steps", description = "Maximum number of steps per episode (default: until the episode ends).")
    Integer steps;

    @Option(names = "--out", required = true, description = "Output CSV file.")
    Path out;

    @Override
    public Integer call() throws IOException {
        if (episodes <= 0) {
            throw bad("--episodes must be positive, got " + episodes);
        }
        if (steps != null && steps <= 0) {
            throw bad("--steps must be positive, got " + steps);
        }
        EnvRegistry registry = EnvRegistry.load();
        if (!registry.contains(envId)) {
            throw bad("--env: unknown environment '" + envId + "'; closest registered: " + registry.closest(envId, 5));
        }
        try (Env env = registry.make(envId)) {
            int actDim = env.actionSpace().flatDim();
            List<double[]> replay = source.actions == null ? null : readActions(source.actions, actDim);
            SplittableRandom rng = new SplittableRandom(seed);
            StatefulEnv stateful = null;
            if (state != null) {
                try {
                    stateful = StatefulEnv.of(env);
                } catch (UnsupportedOperationException e) {
                    throw bad("--state: " + e.getMessage());
                }
                if (state.length != stateful.stateNames().length) {
                    throw bad("--state: " + envId + " has " + stateful.stateNames().length + " state values "
                            + String.join(",", stateful.stateNames()) + ", got " + state.length);
                }
            }
            try (TransitionDataset.Writer w = TransitionDataset.writer(out, env.observationSpace().flatDim(), actDim)) {
                for (int ep = 0; ep < episodes; ep++) {
                    double[] obs = env.reset(seed + ep).observation();
                    if (stateful != null) {
                        obs = stateful.setState(state);
                    }
                    int limit = steps == null ? Integer.MAX_VALUE : steps;
                    if (replay != null) {
                        limit = Math.min(limit, replay.size());
                    }
                    for (int t = 0; t < limit; t++) {
                        double[] a = replay != null ? replay.get(t) : env.actionSpace().sample(rng);
                        if (!env.actionSpace().contains(a)) {
                            throw bad("--actions row " + (t + 1) + ": action " + java.util.Arrays.toString(a)
                                    + " is not in " + env.actionSpace());
                        }
                        Step s = env.step(a);
                        w.add(obs, a, s.observation(), s.reward(), s.terminated(), s.truncated(), ep);
                        obs = s.observation();
                        if (s.done()) {
                            break;
                        }
                    }
                    w.flush();
                }
                w.commit();
                System.err.printf("wrote %d transitions of %d episode(s) to %s%n", w.rows(), episodes, out);
            }
        }
        return 0;
    }

    private List<double[]> readActions(Path file, int actDim) {
        org.mbrl4j.data.NumericCsv csv;
        try {
            csv = org.mbrl4j.data.NumericCsv.read(file, "--actions", false);
        } catch (IllegalArgumentException e) {
            throw bad(e.getMessage().startsWith("--actions") ? e.getMessage() : "--actions: " + e.getMessage());
        }
        int[] col = new int[actDim];
        for (int j = 0; j < actDim; j++) {
            col[j] = csv.column("act_" + j);
            if (col[j] < 0) {
                throw bad("--actions: " + file + " has no column act_" + j + " (header: " + String.join(",", csv.header())
                        + "); expected act_0..act_" + (actDim - 1));
            }
        }
        List<double[]> actions = new ArrayList<>();
        for (double[] row : csv.rows()) {
            double[] a = new double[actDim];
            for (int j = 0; j < actDim; j++) {
                a[j] = row[col[j]];
            }
            actions.add(a);
        }
        return actions;
    }

    private CommandLine.ParameterException bad(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }
}
