package org.mbrl4j.env;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Adds {@code info["episode"] = {r: return, l: length, t: seconds}} at the end of every episode, like
 * {@code gymnasium.wrappers.RecordEpisodeStatistics}.
 */
public final class RecordEpisodeStatistics extends Wrapper {
    /** Info key of the episode statistics. */
    public static final String KEY = "episode";

    private double episodeReturn;
    private int length;
    private long startNanos;

    /** Wraps {@code env}. */
    public RecordEpisodeStatistics(Env env) {
        super(env);
    }

    @Override
    public Reset reset(Long seed, java.util.Map<String, Object> options) {
        episodeReturn = 0;
        length = 0;
        startNanos = System.nanoTime();
        return env.reset(seed, options);
    }

    @Override
    public Step step(double[] action) {
        Step s = env.step(action);
        episodeReturn += s.reward();
        length++;
        if (!s.done()) {
            return s;
        }
        Map<String, Object> info = new LinkedHashMap<>(s.info());
        info.put(KEY, Map.of("r", episodeReturn, "l", length, "t", (System.nanoTime() - startNanos) / 1e9));
        return new Step(s.observation(), s.reward(), s.terminated(), s.truncated(), info);
    }
}
