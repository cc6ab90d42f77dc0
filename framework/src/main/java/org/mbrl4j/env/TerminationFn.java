package org.mbrl4j.env;

/** Whether each of a batch of (imagined) transitions ends in a terminal state; same layout as {@link RewardFn}. */
@FunctionalInterface
public interface TerminationFn {

    /** Termination function of environments that never terminate (only time limits end them). */
    TerminationFn NEVER = (n, obs, action, nextObs, out) -> java.util.Arrays.fill(out, 0, n, false);

    /**
     * Writes whether rows {@code 0..n-1} terminated into {@code out}.
     *
     * @param n       number of transitions
     * @param obs     {@code n × obsDim} observations, row-major
     * @param action  {@code n × actDim} actions, row-major
     * @param nextObs {@code n × obsDim} next observations, row-major
     * @param out     at least {@code n} entries
     */
    void compute(int n, double[] obs, double[] action, double[] nextObs, boolean[] out);
}
