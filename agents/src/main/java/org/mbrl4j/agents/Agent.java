package org.mbrl4j.agents;

import java.nio.file.Path;
import java.util.Map;
import java.util.random.RandomGenerator;
import org.mbrl4j.env.Step;

/**
 * What the {@link OnlineLoop} drives: it asks for actions, shows the agent every collected transition, lets it learn
 * after each collected step, and saves and restores its state with every checkpoint. A new agent is a class
 * implementing this (most methods have no-op defaults) plus an {@link AgentProvider} registration.
 */
public interface Agent {

    /** The action for {@code obs}; {@code rng} is the step's own random stream (a function of seed, episode, step). */
    double[] act(double[] obs, RandomGenerator rng);

    /** Forgets per-episode state (e.g. a warm-started plan); called before every episode. */
    default void reset() {
    }

    /** A collected transition: {@code obs}, the action taken and the environment's reply (not called for evaluations). */
    default void observe(double[] obs, double[] action, Step step) {
    }

    /** Learns after a collected step (e.g. gradient updates of a policy); the model updates have run already. */
    default void update(OnlineLoop.Context context) {
    }

    /**
     * The agent's state for a checkpoint: a JSON-ready map, and any files it writes into {@code dir} (the checkpoint
     * directory being written). With {@link #restore} it must continue exactly: the loop's resume test holds any agent to
     * that.
     */
    default Map<String, Object> state(Path dir) {
        return Map.of();
    }

    /** Continues from what {@link #state} returned and wrote into {@code dir}. */
    default void restore(Map<String, Object> state, Path dir) {
    }
}
