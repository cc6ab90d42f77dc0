package org.mbrl4j.env;

import java.util.Arrays;
import java.util.Map;

/**
 * Normalises observations by a running mean and variance, like {@code gymnasium.wrappers.NormalizeObservation}
 * (parallel-update moments with initial count 1e-4, {@code (obs − mean) / sqrt(var + 1e-8)}). Updating can be frozen
 * for evaluation.
 */
public final class NormalizeObservation extends Wrapper {
    private static final double EPSILON = 1e-8;
    private final double[] mean;
    private final double[] var;
    private double count = 1e-4;
    private boolean updating = true;
    private final Box space;

    /** Wraps {@code env}, whose observation space must be a {@link Box}. */
    public NormalizeObservation(Env env) {
        super(env);
        int n = env.observationSpace().flatDim();
        mean = new double[n];
        var = new double[n];
        Arrays.fill(var, 1.0);
        space = Box.uniform(Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, n);
    }

    /** Whether the statistics are updated by new observations. */
    public void setUpdating(boolean updating) {
        this.updating = updating;
    }

    /** The running mean, a copy. */
    public double[] mean() {
        return mean.clone();
    }

    /** The running variance, a copy. */
    public double[] variance() {
        return var.clone();
    }

    @Override
    public Space observationSpace() {
        return space;
    }

    @Override
    public Reset reset(Long seed, Map<String, Object> options) {
        Reset r = env.reset(seed, options);
        return new Reset(normalize(r.observation()), r.info());
    }

    @Override
    public Step step(double[] action) {
        Step s = env.step(action);
        return new Step(normalize(s.observation()), s.reward(), s.terminated(), s.truncated(), s.info());
    }

    private double[] normalize(double[] obs) {
        if (updating) {
            double total = count + 1;
            for (int i = 0; i < obs.length; i++) {
                double delta = obs[i] - mean[i];
                mean[i] += delta / total;
                double m2 = var[i] * count + delta * delta * count / total;
                var[i] = m2 / total;
            }
            count = total;
        }
        double[] out = new double[obs.length];
        for (int i = 0; i < obs.length; i++) {
            out[i] = (obs[i] - mean[i]) / Math.sqrt(var[i] + EPSILON);
        }
        return out;
    }
}
