package org.mbrl4j.env;

import java.util.Map;

/** Truncates episodes after a fixed number of steps, like {@code gymnasium.wrappers.TimeLimit}. */
public final class TimeLimit extends Wrapper {
    private final int maxEpisodeSteps;
    private int elapsed;

    /** Wraps {@code env} with a limit of {@code maxEpisodeSteps} (positive). */
    public TimeLimit(Env env, int maxEpisodeSteps) {
        super(env);
        if (maxEpisodeSteps <= 0) {
            throw new IllegalArgumentException("maxEpisodeSteps must be positive, got " + maxEpisodeSteps);
        }
        this.maxEpisodeSteps = maxEpisodeSteps;
    }

    /** The step limit. */
    public int maxEpisodeSteps() {
        return maxEpisodeSteps;
    }

    /** Steps taken in the current episode. */
    public int elapsedSteps() {
        return elapsed;
    }

    @Override
    public Reset reset(Long seed, Map<String, Object> options) {
        elapsed = 0;
        return env.reset(seed, options);
    }

    @Override
    public Step step(double[] action) {
        Step s = env.step(action);
        elapsed++;
        if (elapsed >= maxEpisodeSteps && !s.truncated()) {
            return new Step(s.observation(), s.reward(), s.terminated(), true, s.info());
        }
        return s;
    }
}
