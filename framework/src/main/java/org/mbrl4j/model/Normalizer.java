package org.mbrl4j.model;

import java.util.Arrays;

/**
 * Per-dimension standardisation {@code (x − mean) / std}, fitted on data and stored with the model. Dimensions whose
 * standard deviation is below {@code 1e-8 · (1 + |mean|)} (constant columns) get std 1, so they never produce NaN or
 * infinities (a known crash of mbrl-lib).
 *
 * @param mean per-dimension mean
 * @param std  per-dimension standard deviation (never 0)
 */
public record Normalizer(double[] mean, double[] std) {

    /** Validates matching lengths and positive stds. */
    public Normalizer {
        if (mean.length != std.length) {
            throw new IllegalArgumentException("Normalizer mean has " + mean.length + " entries, std " + std.length);
        }
        for (double s : std) {
            if (!(s > 0) || !Double.isFinite(s)) {
                throw new IllegalArgumentException("Normalizer std must be positive and finite: " + Arrays.toString(std));
            }
        }
        mean = mean.clone();
        std = std.clone();
    }

    /** Identity normalisation of {@code d} dimensions. */
    public static Normalizer identity(int d) {
        double[] one = new double[d];
        Arrays.fill(one, 1);
        return new Normalizer(new double[d], one);
    }

    /** Fits mean and (population) std of the rows of a row-major {@code n × d} array. */
    public static Normalizer fit(double[] rows, int n, int d) {
        if (n <= 0 || rows.length < (long) n * d) {
            throw new IllegalArgumentException("cannot fit a normalizer on " + n + " rows of " + d + " values");
        }
        double[] mean = new double[d];
        double[] m2 = new double[d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                double x = rows[i * d + j];
                if (!Double.isFinite(x)) {
                    throw new IllegalArgumentException("cannot fit a normalizer: row " + i + ", column " + j + " is " + x);
                }
                double delta = x - mean[j];
                mean[j] += delta / (i + 1);
                m2[j] += delta * (x - mean[j]);
            }
        }
        double[] std = new double[d];
        for (int j = 0; j < d; j++) {
            double s = Math.sqrt(m2[j] / n);
            std[j] = s > 1e-8 * (1 + Math.abs(mean[j])) ? s : 1.0;
        }
        return new Normalizer(mean, std);
    }

    /** Number of dimensions. */
    public int dim() {
        return mean.length;
    }

    /** Normalises a row-major array in place. */
    public void apply(double[] rows) {
        int d = mean.length;
        for (int i = 0; i < rows.length; i++) {
            int j = i % d;
            rows[i] = (rows[i] - mean[j]) / std[j];
        }
    }

    /** Inverts {@link #apply} in place. */
    public void invert(double[] rows) {
        int d = mean.length;
        for (int i = 0; i < rows.length; i++) {
            int j = i % d;
            rows[i] = rows[i] * std[j] + mean[j];
        }
    }
}
