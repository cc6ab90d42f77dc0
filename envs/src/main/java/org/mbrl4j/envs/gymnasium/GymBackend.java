package org.mbrl4j.envs.gymnasium;

/**
 * The Python entry point of the Gymnasium server, called through a Py4J proxy. Only strings, primitives and byte
 * arrays cross: observations, actions and states are little-endian float64 arrays.
 */
public interface GymBackend {

    /** sha256(token + ":" + nonce) in hex: proves the server knows this bridge's token. */
    String handshake(String nonce);

    /** Makes {@code n} copies of {@code id} with keyword arguments (JSON); returns the spec as JSON. */
    String make(String id, String kwargsJson, int n);

    /** Resets the (first) environment; returns the observation. */
    byte[] reset(long seed, boolean seeded);

    /** Steps the (first) environment; returns observation, reward, terminated (0/1), truncated (0/1). */
    byte[] step(byte[] action);

    /** Resets every copy (copy i with seed + i); returns the observations row after row. */
    byte[] vectorReset(long seed, boolean seeded);

    /**
     * Steps every copy (NEXT_STEP autoreset); returns per copy: observation, reward, terminated, truncated, and 1 when
     * the step only reset that copy.
     */
    byte[] vectorStep(byte[] actions);

    /** The simulator state (MuJoCo qpos ⊕ qvel, or classic {@code state}). */
    byte[] getState();

    /** Sets the simulator state; returns the matching observation. */
    byte[] setState(byte[] state);

    /** The current frame of the first environment: height, width, channels as little-endian int32, then the bytes. */
    byte[] render();

    /**
     * Maps the lane file at {@code path} ({@link SharedMemoryLane}) and serves steps through it from now on, next to
     * these calls.
     */
    boolean openLane(String path, int requestCapacity, int replyCapacity);

    /** Closes the environments. */
    void close();

    /** Failure injection for tests: {@code hang}, {@code exit}, or anything else to raise. */
    void fault(String kind);
}
