package org.mbrl4j.env;

/**
 * An environment's process died or stopped answering. The environment is marked broken; its next {@code reset()}
 * starts a fresh process. Data already collected by the caller is untouched, and the failed step was not retried.
 */
public class EnvCrashedException extends RuntimeException {
    private final String envId;

    /** The failure of {@code envId} described by {@code message}. */
    public EnvCrashedException(String envId, String message, Throwable cause) {
        super(envId + ": " + message, cause);
        this.envId = envId;
    }

    /** The environment that failed. */
    public String envId() {
        return envId;
    }
}
