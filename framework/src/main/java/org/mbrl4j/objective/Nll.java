package org.mbrl4j.objective;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.random.RandomGenerator;

/** Gaussian negative log-likelihood per dimension, averaged over batch and dimensions (the reference's NLL loss). */
public final class Nll implements Objective {

    @Override
    public String toString() {
        return "NLL";
    }

    @Override
    public String name() {
        return "nll";
    }

    @Override
    public Evaluation evaluate(GaussianOutput out, double[] y, RandomGenerator rng, double[] dMean, double[] dLogStd) {
        double[] m = out.mean();
        double[] ls = out.logStd();
        int n = m.length;
        double inv = 1.0 / n;
        GaussianMetrics.Sums sums = new GaussianMetrics.Sums();
        for (int k = 0; k < n; k++) {
            double s = Math.exp(-ls[k]);
            double z = (y[k] - m[k]) * s;
            sums.add(m[k], ls[k], s, y[k]);
            if (dMean != null) {
                dMean[k] = -z * s * inv;
            }
            if (dLogStd != null) {
                dLogStd[k] = (1 - z * z) * inv;
            }
        }
        Map<String, Double> metrics = new LinkedHashMap<>();
        sums.into(metrics, n);
        double loss = metrics.get("nll");
        metrics.put("loss", loss);
        return new Evaluation(loss, metrics);
    }

    /** Provider of {@code nll}. */
    public static final class Provider implements ObjectiveProvider {
        @Override
        public String name() {
            return "nll";
        }

        @Override
        public Set<String> options() {
            return Set.of();
        }

        @Override
        public Objective create(Map<String, Object> options, ObjectiveContext context) {
            return new Nll();
        }
    }
}
