package org.mbrl4j.env;

import java.util.Map;

/**
 * The result of {@link Env#step}: Gymnasium's {@code (obs, reward, terminated, truncated, info)}.
 *
 * @param observation the next observation
 * @param reward      the reward for this transition
 * @param terminated  whether a terminal state of the MDP was reached (no bootstrapping past it)
 * @param truncated   whether the episode was cut short, e.g. by a time limit
 * @param info        auxiliary diagnostics; never null
 */
public record Step(double[] observation, double reward, boolean terminated, boolean truncated, Map<String, Object> info) {

    /** Normalises a null info to an empty map. */
    public Step {
        info = info == null ? Map.of() : info;
    }

    /** Whether the episode ended (terminated or truncated). */
    public boolean done() {
        return terminated || truncated;
    }
}
