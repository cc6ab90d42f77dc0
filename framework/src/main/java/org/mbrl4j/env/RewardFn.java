package org.mbrl4j.env;

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

    /**
     * This reward minus a quadratic cost on next-observation dimensions, r − Σ wᵢ·s'ᵢ². For survival-only rewards
     * (InvertedPendulum: +1 per step alive) every surviving candidate scores the same, so nothing keeps the cart off
     * its rail until a crash shows inside the planning horizon; a small cost on the cart position breaks the tie
     * while survival still dominates.
     *
     * @param weights weight ≥ 0 per observation index (empty: this function itself)
     * @param obsDim  observation dimensions; every index must be below it
     */
    default RewardFn withStateCost(java.util.Map<Integer, Double> weights, int obsDim) {
        if (weights.isEmpty()) {
            return this;
        }
        int[] dims = new int[weights.size()];
        double[] w = new double[dims.length];
        int k = 0;
        for (java.util.Map.Entry<Integer, Double> e : new java.util.TreeMap<>(weights).entrySet()) {
            if (e.getKey() < 0 || e.getKey() >= obsDim || !(e.getValue() >= 0) || Double.isInfinite(e.getValue())) {
                throw new IllegalArgumentException("state cost " + e.getKey() + "=" + e.getValue() + " is not accepted: "
                        + "the index must be an observation dimension 0.." + (obsDim - 1) + " and the weight finite ≥ 0");
            }
            dims[k] = e.getKey();
            w[k++] = e.getValue();
        }
        RewardFn reward = this;
        return (n, obs, act, next, out) -> {
            reward.compute(n, obs, act, next, out);
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < dims.length; j++) {
                    double s = next[i * obsDim + dims[j]];
                    out[i] -= w[j] * s * s;
                }
            }
        };
    }
}
