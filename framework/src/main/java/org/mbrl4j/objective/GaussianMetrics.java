package org.mbrl4j.objective;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The reference implementation's metrics of a Gaussian prediction: RMSE of the mean ({@code mean_error}), the
 * per-dimension Gaussian NLL, and the mean per-dimension entropy.
 */
public final class GaussianMetrics {
    /** ½·log(2π). */
    public static final double HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

    private GaussianMetrics() {
    }

    /** Sums of squared error, NLL and entropy, accumulated inside an objective's own loop (one exp per element). */
    static final class Sums {
        double se;
        double nll;
        double ent;

        /** Adds one element with mean m, log σ ls, 1/σ invSigma and target y. */
        void add(double m, double ls, double invSigma, double y) {
            double d = y - m;
            double z = d * invSigma;
            se += d * d;
            nll += ls + 0.5 * z * z;
            ent += ls;
        }

        /** Writes rmse, nll and entropy for {@code count} elements. */
        void into(Map<String, Double> metrics, long count) {
            metrics.put("rmse", Math.sqrt(se / count));
            metrics.put("nll", HALF_LOG_2PI + nll / count);
            metrics.put("entropy", 0.5 + HALF_LOG_2PI + ent / count);
        }
    }

    /** {@code rmse}, {@code nll} and {@code entropy} of {@code out} against {@code targets}. */
    public static Map<String, Double> of(GaussianOutput out, double[] targets) {
        double[] m = out.mean();
        double[] ls = out.logStd();
        double se = 0;
        double nll = 0;
        double ent = 0;
        for (int k = 0; k < m.length; k++) {
            double d = targets[k] - m[k];
            double z = d * Math.exp(-ls[k]);
            se += d * d;
            nll += HALF_LOG_2PI + ls[k] + 0.5 * z * z;
            ent += 0.5 + HALF_LOG_2PI + ls[k];
        }
        Map<String, Double> r = new LinkedHashMap<>();
        r.put("rmse", Math.sqrt(se / m.length));
        r.put("nll", nll / m.length);
        r.put("entropy", ent / m.length);
        return r;
    }
}
