package org.mbrl4j.objective;

/**
 * A Gaussian model's head outputs for a batch, in model space: what an {@link Objective} scores.
 *
 * @param batch  number of rows
 * @param dim    output dimension
 * @param mean   {@code batch × dim} means, row-major
 * @param logStd {@code batch × dim} log standard deviations, row-major
 */
public record GaussianOutput(int batch, int dim, double[] mean, double[] logStd) {
}
