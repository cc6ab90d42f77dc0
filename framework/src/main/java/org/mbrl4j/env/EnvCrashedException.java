package org.mbrl4j.env;

/**
 * An environment's process died or stopped answering. The environment is marked broken; its next {@code reset()}
 * starts a fresh process. Data already collected by the caller is untouched, and the failed step was not retried.
 */
public class EnvCrashedException extends RuntimeException {
    private final String envId;
    private final String reason;

    /** The failure of {@code envId} described by {@code message}. */
    public EnvCrashedException(String envId, String message, Throwable cause) {
        super(envId + ": " + message, cause);
        this.envId = envId;
        this.reason = message;
    }

    /**
     * This failure with where it happened put first, for a caller that sees more than this environment (a vector:
     * "sub-environment 3 of 8").
     */
    public EnvCrashedException in(String where) {
        return new EnvCrashedException(envId, where + ": " + reason, this);
    }

    /** The environment that failed. */
    public String envId() {
        return envId;
    }
}
