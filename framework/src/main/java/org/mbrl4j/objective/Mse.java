package org.mbrl4j.objective;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.random.RandomGenerator;

/** Mean squared error of the mean head, averaged over batch and dimensions; the log-σ head gets no gradient. */
public final class Mse implements Objective {

    @Override
    public String toString() {
        return "MSE";
    }

    @Override
    public String name() {
        return "mse";
    }

    @Override
    public Evaluation evaluate(GaussianOutput out, double[] y, RandomGenerator rng, double[] dMean, double[] dLogStd) {
        double[] m = out.mean();
        double[] ls = out.logStd();
        double se = 0;
        double scale = 2.0 / m.length;
        GaussianMetrics.Sums sums = new GaussianMetrics.Sums();
        for (int k = 0; k < m.length; k++) {
            double d = m[k] - y[k];
            se += d * d;
            sums.add(m[k], ls[k], Math.exp(-ls[k]), y[k]);
            if (dMean != null) {
                dMean[k] = scale * d;
            }
        }
        if (dLogStd != null) {
            java.util.Arrays.fill(dLogStd, 0);
        }
        double loss = se / m.length;
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("loss", loss);
        sums.into(metrics, m.length);
        return new Evaluation(loss, metrics);
    }

    /** Provider of {@code mse}. */
    public static final class Provider implements ObjectiveProvider {
        @Override
        public String name() {
            return "mse";
        }

        @Override
        public Set<String> options() {
            return Set.of();
        }

        @Override
        public Objective create(Map<String, Object> options, ObjectiveContext context) {
            return new Mse();
        }
    }
}
