package org.mbrl4j.agents;

/** Chooses actions from observations. */
public interface Agent {

    /** The action for {@code obs}. */
    double[] act(double[] obs);

    /** Forgets per-episode state (e.g. a warm-started plan). */
    default void reset() {
    }
}
