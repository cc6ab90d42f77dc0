package org.mbrl4j.env;

/**
 * An environment whose simulator state can be read and written, for planning with the true dynamics and for golden
 * tests. The state vector follows Gymnasium's {@code env.unwrapped.state} order for each environment.
 */
public interface StatefulEnv extends Env {

    /** A copy of the full simulator state. */
    double[] getState();

    /**
     * Replaces the simulator state and returns the observation that corresponds to it.
     *
     * @throws IllegalArgumentException when the state has the wrong length or invalid values
     */
    double[] setState(double[] state);

    /** Names of the state components, in order (for messages and documentation). */
    String[] stateNames();

    /** The stateful environment beneath {@code env}'s wrappers, or an exception saying that it has none. */
    static StatefulEnv of(Env env) {
        if (env.unwrapped() instanceof StatefulEnv s) {
            return s;
        }
        throw new UnsupportedOperationException(env.unwrapped().getClass().getSimpleName()
                + " cannot get or set its simulator state");
    }
}
