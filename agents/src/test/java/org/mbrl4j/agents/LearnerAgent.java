package org.mbrl4j.agents;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.random.RandomGenerator;
import org.mbrl4j.env.Step;

/**
 * A small learning agent for loop tests, with state in both forms a checkpoint holds: a linear feedback policy
 * a = −k·x − c·v + exploration noise, whose gains move by random-search updates (every collected step, from the
 * update stream, toward higher observed reward), a transition counter (JSON state), and a history of its gains in a file
 * of its own in the checkpoint directory. Its {@code act} may sleep, so a test can kill its process mid-episode.
 */
final class LearnerAgent implements Agent {
    private final long sleepMillis;
    double k = 0.2;
    double c = 0.1;
    long observed;
    double lastReward;
    StringBuilder history = new StringBuilder();
    /** From this checkpoint on (counted from 1) writing the agent's file fails as on a full disk. */
    int diskFullFrom = Integer.MAX_VALUE;
    private int checkpoints;

    LearnerAgent(long sleepMillis) {
        this.sleepMillis = sleepMillis;
    }

    @Override
    public double[] act(double[] obs, RandomGenerator rng) {
        if (sleepMillis > 0) {
            try {
                Thread.sleep(sleepMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return new double[] {Math.max(-1, Math.min(1, -k * obs[0] - c * obs[1] + 0.05 * rng.nextGaussian()))};
    }

    @Override
    public void observe(double[] obs, double[] action, Step step) {
        observed++;
        lastReward = step.reward();
    }

    @Override
    public void update(OnlineLoop.Context ctx) {
        double dk = 0.05 * ctx.rng().nextGaussian();
        double dc = 0.05 * ctx.rng().nextGaussian();
        if (lastReward < -0.05) {
            k += Math.abs(dk);
            c += dc;
        }
        history.append(ctx.envSteps()).append(',').append(k).append(',').append(c).append('\n');
    }

    @Override
    public Map<String, Object> state(Path dir) {
        try {
            if (++checkpoints >= diskFullFrom) {
                throw new java.nio.file.FileSystemException(dir.resolve("learner-history.csv").toString(), null,
                        "No space left on device");
            }
            Files.writeString(dir.resolve("learner-history.csv"), history);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("k", k);
        m.put("c", c);
        m.put("observed", observed);
        m.put("last_reward", lastReward);
        return m;
    }

    @Override
    public void restore(Map<String, Object> state, Path dir) {
        k = RunCheckpointer.number(state, "k").doubleValue();
        c = RunCheckpointer.number(state, "c").doubleValue();
        observed = RunCheckpointer.number(state, "observed").longValue();
        lastReward = RunCheckpointer.number(state, "last_reward").doubleValue();
        try {
            history = new StringBuilder(Files.readString(dir.resolve("learner-history.csv")));
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("cannot read the learner's history in " + dir + ": " + e.getMessage());
        }
    }

    /** The loop every test of this agent runs: 2 random + 4 learning episodes of the cart, a checkpoint every 7 steps. */
    static OnlineLoop.Builder loop(Cart env, LearnerAgent agent) {
        return OnlineLoop.builder().setEnv(env).setAgent(agent).setEpisodes(4).optRandomEpisodes(2).optEvalEpisodes(1)
                .optCheckpointEvery(7).optSeed(11).optSettings(Map.of("agent", "learner"));
    }

    /** Runs the loop into {@code args[0]}, sleeping 10 ms per action (the process a test kills). */
    public static void main(String[] args) {
        loop(new Cart(), new LearnerAgent(10)).build().run(org.mbrl4j.event.EventBus.create(), Path.of(args[0]));
    }
}
