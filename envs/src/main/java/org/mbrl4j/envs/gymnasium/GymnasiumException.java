package org.mbrl4j.envs.gymnasium;

/** An exception raised in Python by Gymnasium (bad action, unknown id, environment error); the bridge stays usable. */
public final class GymnasiumException extends RuntimeException {
    private final String traceback;

    GymnasiumException(String envId, String traceback, Throwable cause) {
        super(envId + ": Python raised " + lastLine(traceback), cause);
        this.traceback = traceback;
    }

    /** The Python traceback. */
    public String traceback() {
        return traceback;
    }

    private static String lastLine(String tb) {
        String[] lines = tb.strip().split("\n");
        return lines[lines.length - 1];
    }
}
