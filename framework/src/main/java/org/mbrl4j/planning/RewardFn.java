package org.mbrl4j.planning;

/**
 * The reward of a batch of (imagined) transitions, computed from plain row-major arrays so planners can score
 * thousands of model predictions without objects per row.
 */
@FunctionalInterface
public interface RewardFn {

    /**
     * Writes the reward of rows {@code 0..n-1} into {@code out}.
     *
     * @param n       number of transitions
     * @param obs     {@code n × obsDim} observations, row-major
     * @param action  {@code n × actDim} actions, row-major
     * @param nextObs {@code n × obsDim} next observations, row-major
     * @param out     at least {@code n} entries
     */
    void compute(int n, double[] obs, double[] action, double[] nextObs, double[] out);
}
