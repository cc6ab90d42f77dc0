package org.mbrl4j.objective;

/**
 * A symmetric covariance matrix, e.g. the unbiased covariance Σ̂ of a model's training targets (as {@code torch.cov}),
 * with its trace and its inverse by Cholesky factorisation.
 *
 * @param dim    dimension
 * @param matrix row-major {@code dim × dim}
 */
public record Covariance(int dim, double[] matrix) {

    /** Validates the shape. */
    public Covariance {
        if (matrix.length != dim * dim) {
            throw new IllegalArgumentException("covariance of dimension " + dim + " needs " + dim * dim + " values");
        }
        matrix = matrix.clone();
    }

    /** Unbiased covariance (divisor n − 1) of the rows of a row-major {@code n × dim} array. */
    public static Covariance of(double[] rows, int dim) {
        int n = rows.length / dim;
        if (n < 2 || rows.length != n * dim) {
            throw new IllegalArgumentException("a covariance needs at least 2 rows of " + dim + " values, got "
                    + rows.length + " values");
        }
        double[] mean = new double[dim];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < dim; j++) {
                mean[j] += rows[i * dim + j];
            }
        }
        for (int j = 0; j < dim; j++) {
            mean[j] /= n;
        }
        double[] c = new double[dim * dim];
        double[] d = new double[dim];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < dim; j++) {
                d[j] = rows[i * dim + j] - mean[j];
            }
            for (int a = 0; a < dim; a++) {
                for (int b = a; b < dim; b++) {
                    c[a * dim + b] += d[a] * d[b];
                }
            }
        }
        for (int a = 0; a < dim; a++) {
            for (int b = a; b < dim; b++) {
                c[a * dim + b] /= n - 1;
                c[b * dim + a] = c[a * dim + b];
            }
        }
        return new Covariance(dim, c);
    }

    /** Entry (i, j). */
    public double get(int i, int j) {
        return matrix[i * dim + j];
    }

    /** tr Σ. */
    public double trace() {
        double t = 0;
        for (int i = 0; i < dim; i++) {
            t += matrix[i * dim + i];
        }
        return t;
    }

    /** Σ⁻¹, or an exception explaining that Σ̂ is singular (e.g. a constant target dimension). */
    public double[] inverse() {
        double[] l = cholesky(matrix, dim, "target covariance Σ̂");
        double[] inv = new double[dim * dim];
        double[] e = new double[dim];
        for (int c = 0; c < dim; c++) {
            java.util.Arrays.fill(e, 0);
            e[c] = 1;
            double[] x = solve(l, dim, e);
            for (int r = 0; r < dim; r++) {
                inv[r * dim + c] = x[r];
            }
        }
        return inv;
    }

    /**
     * Lower Cholesky factor of a symmetric positive-definite row-major matrix, or an exception naming {@code what} and
     * the failing pivot.
     */
    static double[] cholesky(double[] a, int n, String what) {
        double[] l = new double[n * n];
        double scale = 0;
        for (int i = 0; i < n; i++) {
            scale = Math.max(scale, Math.abs(a[i * n + i]));
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double s = a[i * n + j];
                for (int k = 0; k < j; k++) {
                    s -= l[i * n + k] * l[j * n + k];
                }
                if (i == j) {
                    if (!(s > 1e-12 * scale) || !Double.isFinite(s)) {
                        throw new IllegalArgumentException(what + " is singular or not positive definite (pivot " + i
                                + " is " + s + "); a constant or perfectly correlated target dimension has no inverse "
                                + "covariance: use the isotropic 'scaled' reward or drop the dimension");
                    }
                    l[i * n + i] = Math.sqrt(s);
                } else {
                    l[i * n + j] = s / l[j * n + j];
                }
            }
        }
        return l;
    }

    private static double[] solve(double[] l, int n, double[] b) {
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            double s = b[i];
            for (int k = 0; k < i; k++) {
                s -= l[i * n + k] * y[k];
            }
            y[i] = s / l[i * n + i];
        }
        double[] x = new double[n];
        for (int i = n - 1; i >= 0; i--) {
            double s = y[i];
            for (int k = i + 1; k < n; k++) {
                s -= l[k * n + i] * x[k];
            }
            x[i] = s / l[i * n + i];
        }
        return x;
    }
}
