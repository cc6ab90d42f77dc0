package org.mbrl4j.env;

import java.util.Map;

/**
 * A reinforcement-learning environment with Gymnasium 1.x semantics. Observations and actions are flat
 * {@code double[]}; a {@link Discrete} action is one element holding its index.
 *
 * <p>Randomness is the environment's own: {@code reset(seed)} reseeds it, {@code reset()} continues it.
 */
public interface Env extends AutoCloseable {

    /** The space every observation belongs to. */
    Space observationSpace();

    /** The space of valid actions. */
    Space actionSpace();

    /**
     * Starts a new episode.
     *
     * @param seed    reseeds the environment's random generator when not null
     * @param options environment-specific reset options (e.g. {@code low}/{@code high} bounds); may be empty
     */
    Reset reset(Long seed, Map<String, Object> options);

    /** Starts a new episode, continuing the current random stream. */
    default Reset reset() {
        return reset(null, Map.of());
    }

    /** Starts a new episode after reseeding with {@code seed}. */
    default Reset reset(long seed) {
        return reset(seed, Map.of());
    }

    /** Advances the environment by one step. */
    Step step(double[] action);

    /**
     * The current frame as RGB pixels, for environments with a renderer (Gymnasium environments made with
     * {@code render_mode="rgb_array"}).
     *
     * @throws UnsupportedOperationException when the environment cannot render
     */
    default Frame render() {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " has no renderer");
    }

    /** The innermost environment beneath any wrappers. */
    default Env unwrapped() {
        return this;
    }

    /** Releases resources (processes, sockets); idempotent. */
    @Override
    default void close() {
    }
}
