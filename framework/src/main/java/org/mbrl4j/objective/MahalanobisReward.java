package org.mbrl4j.objective;

import java.util.Arrays;

/**
 * The reward r(ŷ, y) = −(ŷ − y)ᵀ U (ŷ − y) with U symmetric positive definite: isotropic (U = u·I, the fast path),
 * or a full matrix evaluated through its Cholesky factor (r = −‖Lᵀd‖², half the work of Ud).
 */
public final class MahalanobisReward {
    private final int dim;
    private final double u;
    private final double[] matrix;
    private final double[] upper;
    private final String description;

    private MahalanobisReward(int dim, double u, double[] matrix, String description) {
        this.dim = dim;
        this.u = u;
        this.matrix = matrix;
        this.description = description;
        if (matrix != null) {
            double[] l = Covariance.cholesky(matrix, dim, "reward matrix U");
            upper = new double[dim * dim];
            for (int i = 0; i < dim; i++) {
                for (int j = 0; j <= i; j++) {
                    upper[j * dim + i] = l[i * dim + j];
                }
            }
        } else {
            upper = null;
        }
    }

    /** U = I. */
    public static MahalanobisReward identity(int dim) {
        return new MahalanobisReward(dim, 1.0, null, "identity");
    }

    /** U = u·I for a given u > 0. */
    public static MahalanobisReward isotropic(double u, int dim) {
        if (!(u > 0) || !Double.isFinite(u)) {
            throw new IllegalArgumentException("reward scale u must be positive and finite, got " + u);
        }
        return new MahalanobisReward(dim, u, null, "u=" + u);
    }

    /** The isotropic heuristic U = (λ n / (2 tr Σ̂))·I. */
    public static MahalanobisReward scaled(double lambda, Covariance cov) {
        double uStar = lambda * cov.dim() / (2 * cov.trace());
        return new MahalanobisReward(cov.dim(), uStar, null, "scaled(u=" + uStar + ")");
    }

    /** The full heuristic U = (λ/2)·Σ̂⁻¹; fails when Σ̂ is singular. */
    public static MahalanobisReward full(double lambda, Covariance cov) {
        double[] inv = cov.inverse();
        for (int i = 0; i < inv.length; i++) {
            inv[i] *= lambda / 2;
        }
        symmetrize(inv, cov.dim());
        return new MahalanobisReward(cov.dim(), Double.NaN, inv, "full((λ/2)Σ̂⁻¹)");
    }

    /** Any symmetric positive-definite U (row-major {@code dim × dim}). */
    public static MahalanobisReward matrix(double[] u, int dim) {
        if (u.length != dim * dim) {
            throw new IllegalArgumentException("reward matrix must be " + dim + "×" + dim);
        }
        for (int i = 0; i < dim; i++) {
            for (int j = 0; j < i; j++) {
                if (Math.abs(u[i * dim + j] - u[j * dim + i]) > 1e-9 * (Math.abs(u[i * dim + j]) + 1e-300)) {
                    throw new IllegalArgumentException("reward matrix U must be symmetric; U[" + i + "][" + j + "] = "
                            + u[i * dim + j] + " but U[" + j + "][" + i + "] = " + u[j * dim + i]);
                }
            }
        }
        return new MahalanobisReward(dim, Double.NaN, u.clone(), "matrix");
    }

    private static void symmetrize(double[] a, int n) {
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < i; j++) {
                double m = 0.5 * (a[i * n + j] + a[j * n + i]);
                a[i * n + j] = m;
                a[j * n + i] = m;
            }
        }
    }

    /** Dimension of ŷ and y. */
    public int dim() {
        return dim;
    }

    /** Whether U = u·I. */
    public boolean isIsotropic() {
        return matrix == null;
    }

    /** u for an isotropic reward, NaN otherwise. */
    public double scale() {
        return u;
    }

    /** U, row-major (a copy). */
    public double[] matrix() {
        if (matrix != null) {
            return matrix.clone();
        }
        double[] m = new double[dim * dim];
        for (int i = 0; i < dim; i++) {
            m[i * dim + i] = u;
        }
        return m;
    }

    /** ‖U‖_F. */
    public double frobeniusNorm() {
        double s = 0;
        for (double v : matrix()) {
            s += v * v;
        }
        return Math.sqrt(s);
    }

    /** r = −dᵀUd for d = {@code diff[off .. off + dim)}. */
    public double value(double[] diff, int off) {
        double s = 0;
        if (matrix == null) {
            for (int i = 0; i < dim; i++) {
                double d = diff[off + i];
                s += d * d;
            }
            return -u * s;
        }
        for (int i = 0; i < dim; i++) {
            double v = 0;
            int row = i * dim;
            for (int j = i; j < dim; j++) {
                v += upper[row + j] * diff[off + j];
            }
            s += v * v;
        }
        return -s;
    }

    /** Writes U·d into {@code out[0 .. dim)} (dr/dŷ = −2Ud). */
    public void apply(double[] diff, int off, double[] out) {
        if (matrix == null) {
            for (int i = 0; i < dim; i++) {
                out[i] = u * diff[off + i];
            }
            return;
        }
        for (int i = 0; i < dim; i++) {
            double v = 0;
            for (int j = 0; j < dim; j++) {
                v += matrix[i * dim + j] * diff[off + j];
            }
            out[i] = v;
        }
    }

    @Override
    public String toString() {
        return "MahalanobisReward[" + description + ", dim " + dim + "]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MahalanobisReward r && Arrays.equals(matrix(), r.matrix());
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(matrix());
    }
}
