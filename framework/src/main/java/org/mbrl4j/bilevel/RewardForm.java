package org.mbrl4j.bilevel;

import org.mbrl4j.objective.MahalanobisReward;

/**
 * How a reward learner parametrises U by a vector φ, and the chain rule from dL/dU to dL/dφ. Scales are floored at
 * {@link #MIN_SCALE} so that U stays positive definite whatever step the outer optimiser takes.
 */
public enum RewardForm {
    /** U = u·I, φ = (u). */
    SCALAR,
    /** U = diag(φ). */
    DIAGONAL,
    /** U = L Lᵀ with L lower triangular, φ = L's entries row by row (diagonal floored at √{@link #MIN_SCALE}). */
    FULL;

    /** Smallest scale (u, U_ii or L_ii²) a learner moves to. */
    public static final double MIN_SCALE = 1e-6;

    /** φ of U = u0·I. */
    double[] initial(double u0, int n) {
        return switch (this) {
            case SCALAR -> new double[] {u0};
            case DIAGONAL -> filled(n, u0);
            case FULL -> {
                double[] phi = new double[n * (n + 1) / 2];
                for (int i = 0; i < n; i++) {
                    phi[i * (i + 1) / 2 + i] = Math.sqrt(u0);
                }
                yield phi;
            }
        };
    }

    /** Projects φ back into the admissible set. */
    void project(double[] phi, int n) {
        switch (this) {
            case SCALAR, DIAGONAL -> {
                for (int i = 0; i < phi.length; i++) {
                    phi[i] = Math.max(MIN_SCALE, phi[i]);
                }
            }
            case FULL -> {
                for (int i = 0; i < n; i++) {
                    int k = i * (i + 1) / 2 + i;
                    phi[k] = Math.max(Math.sqrt(MIN_SCALE), phi[k]);
                }
            }
        }
    }

    /** U(φ) as a reward. */
    MahalanobisReward reward(double[] phi, int n) {
        return switch (this) {
            case SCALAR -> MahalanobisReward.isotropic(phi[0], n);
            case DIAGONAL -> {
                double[] u = new double[n * n];
                for (int i = 0; i < n; i++) {
                    u[i * n + i] = phi[i];
                }
                yield MahalanobisReward.matrix(u, n);
            }
            case FULL -> {
                double[] l = lower(phi, n);
                double[] u = new double[n * n];
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j <= i; j++) {
                        double s = 0;
                        for (int k = 0; k <= j; k++) {
                            s += l[i * n + k] * l[j * n + k];
                        }
                        u[i * n + j] = s;
                        u[j * n + i] = s;
                    }
                }
                yield MahalanobisReward.matrix(u, n);
            }
        };
    }

    /** dL/dφ from dL/dU ({@code n × n}, row-major, U treated as having independent entries). */
    double[] chain(double[] dU, double[] phi, int n) {
        return switch (this) {
            case SCALAR -> {
                double t = 0;
                for (int i = 0; i < n; i++) {
                    t += dU[i * n + i];
                }
                yield new double[] {t};
            }
            case DIAGONAL -> {
                double[] g = new double[n];
                for (int i = 0; i < n; i++) {
                    g[i] = dU[i * n + i];
                }
                yield g;
            }
            case FULL -> {
                // U = LLᵀ: dL/dL = (G + Gᵀ) L, restricted to the lower triangle
                double[] l = lower(phi, n);
                double[] g = new double[phi.length];
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j <= i; j++) {
                        double s = 0;
                        for (int k = 0; k < n; k++) {
                            s += (dU[i * n + k] + dU[k * n + i]) * l[k * n + j];
                        }
                        g[i * (i + 1) / 2 + j] = s;
                    }
                }
                yield g;
            }
        };
    }

    private static double[] lower(double[] phi, int n) {
        double[] l = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                l[i * n + j] = phi[i * (i + 1) / 2 + j];
            }
        }
        return l;
    }

    private static double[] filled(int n, double v) {
        double[] a = new double[n];
        java.util.Arrays.fill(a, v);
        return a;
    }
}
