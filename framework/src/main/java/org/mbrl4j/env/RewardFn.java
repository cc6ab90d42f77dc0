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
     * This reward minus planning costs on next observations, r − Σ wᵢ·s'ᵢ² − Σ w_c·c(s'). For survival-only rewards
     * (InvertedPendulum, CartPole: +1 per step alive) every surviving candidate scores the same, so nothing keeps the
     * cart off its rail until a crash shows inside the planning horizon; a small cost on the cart position breaks the
     * tie while survival still dominates. For sparse rewards (Acrobot, MountainCar: −1 per step until the goal) a
     * named cost of the environment's (its {@link EnvSpec#planningCosts()}: tip depth, missing energy) gives the
     * planner a gradient toward the goal.
     *
     * @param terms  weight ≥ 0 per term: an observation index ({@code "2"}, quadratic) or a name of {@code named}
     *               (empty: this function itself)
     * @param obsDim observation dimensions; every index must be below it
     * @param named  the environment's named costs (each writes a cost per row)
     */
    default RewardFn withStateCost(java.util.Map<String, Double> terms, int obsDim, java.util.Map<String, RewardFn> named) {
        if (terms.isEmpty()) {
            return this;
        }
        java.util.List<Integer> dims = new java.util.ArrayList<>();
        java.util.List<Double> dimWeights = new java.util.ArrayList<>();
        java.util.List<RewardFn> costs = new java.util.ArrayList<>();
        java.util.List<Double> costWeights = new java.util.ArrayList<>();
        for (java.util.Map.Entry<String, Double> e : new java.util.TreeMap<>(terms).entrySet()) {
            String key = e.getKey().trim();
            Integer dim = key.matches("\\d{1,9}") ? Integer.valueOf(key) : null;
            boolean known = dim != null ? dim < obsDim : named.containsKey(key);
            if (!known || !(e.getValue() >= 0) || Double.isInfinite(e.getValue())) {
                throw new IllegalArgumentException("state cost " + key + "=" + e.getValue() + " is not accepted: a term is "
                        + "an observation dimension 0.." + (obsDim - 1)
                        + (named.isEmpty() ? "" : " or a named cost (" + String.join(", ", new java.util.TreeSet<>(named.keySet())) + ")")
                        + ", its weight finite ≥ 0");
            }
            if (dim != null) {
                dims.add(dim);
                dimWeights.add(e.getValue());
            } else {
                costs.add(named.get(key));
                costWeights.add(e.getValue());
            }
        }
        int[] d = dims.stream().mapToInt(Integer::intValue).toArray();
        double[] w = dimWeights.stream().mapToDouble(Double::doubleValue).toArray();
        RewardFn[] c = costs.toArray(RewardFn[]::new);
        double[] cw = costWeights.stream().mapToDouble(Double::doubleValue).toArray();
        RewardFn reward = this;
        return (n, obs, act, next, out) -> {
            reward.compute(n, obs, act, next, out);
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < d.length; j++) {
                    double s = next[i * obsDim + d[j]];
                    out[i] -= w[j] * s * s;
                }
            }
            if (c.length > 0) {
                double[] cost = new double[n];
                for (int j = 0; j < c.length; j++) {
                    c[j].compute(n, obs, act, next, cost);
                    for (int i = 0; i < n; i++) {
                        out[i] -= cw[j] * cost[i];
                    }
                }
            }
        };
    }
}
