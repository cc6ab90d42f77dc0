package org.mbrl4j.objective;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.random.RandomGenerator;
import org.mbrl4j.model.GaussianMlp;

/** Gaussian negative log-likelihood per dimension, averaged over batch and dimensions (the reference's NLL loss). */
public final class Nll implements Objective {

    @Override
    public String name() {
        return "nll";
    }

    @Override
    public Evaluation evaluate(GaussianMlp.Output out, double[] y, RandomGenerator rng, double[] dMean, double[] dLogStd) {
        double[] m = out.mean();
        double[] ls = out.logStd();
        int n = m.length;
        double nll = 0;
        double inv = 1.0 / n;
        for (int k = 0; k < n; k++) {
            double s = Math.exp(-ls[k]);
            double z = (y[k] - m[k]) * s;
            nll += GaussianMetrics.HALF_LOG_2PI + ls[k] + 0.5 * z * z;
            if (dMean != null) {
                dMean[k] = -z * s * inv;
            }
            if (dLogStd != null) {
                dLogStd[k] = (1 - z * z) * inv;
            }
        }
        double loss = nll * inv;
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("loss", loss);
        metrics.putAll(GaussianMetrics.of(out, y));
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
        public Objective create(Map<String, Object> options, double[] trainTargets, int dim) {
            return new Nll();
        }
    }
}
