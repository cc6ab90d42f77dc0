package org.mbrl4j.data;

import org.mbrl4j.random.Shuffle;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A train/validation/test split of a dataset: by fractions after a seeded shuffle, or by fractions of a
 * permutation file (one row index per line, as the fixtures' {@code split-permutation.txt}).
 *
 * @param train      training rows
 * @param validation validation rows (may be empty)
 * @param test       test rows (may be empty)
 * @param order      the source rows in split order: train's, then validation's, then test's
 */
public record Split(TransitionDataset train, TransitionDataset validation, TransitionDataset test, int[] order) {

    /** The source rows of the test part (to follow an episode on in the source data, for example). */
    public int[] testRows() {
        return Arrays.copyOfRange(order, train.size() + validation.size(), order.length);
    }

    /** Splits by {@code fractions} (train, validation, test; summing to 1) after a shuffle seeded with {@code seed}. */
    public static Split byFractions(TransitionDataset d, double[] fractions, long seed) {
        int n = d.size();
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        SplittableRandom rng = new SplittableRandom(seed ^ 0x9E3779B97F4A7C15L);
        Shuffle.shuffle(order, rng);
        return of(d, order, fractions);
    }

    /** Splits by {@code fractions} of the row order in {@code permutation}, which must hold every row once. */
    public static Split byPermutation(TransitionDataset d, Path permutation, double[] fractions) {
        return byPermutation(d, permutation, d.size(), fractions);
    }

    /**
     * Splits by {@code fractions} of the row order in {@code permutation}, written for a dataset of {@code fileRows}
     * rows of which {@code d} holds the first {@code d.size()} (a dataset cut to its first rows keeps the file's order
     * of the rows it kept). The file must hold every index below {@code fileRows} once.
     */
    public static Split byPermutation(TransitionDataset d, Path permutation, int fileRows, double[] fractions) {
        if (fileRows < d.size()) {
            throw new IllegalArgumentException("a permutation of " + fileRows + " rows cannot order " + d.size() + " rows");
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(permutation).stream().filter(s -> !s.isBlank()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + permutation + ": " + e.getMessage(), e);
        }
        int m = fileRows;
        if (lines.size() != m) {
            throw new IllegalArgumentException(permutation + " has " + lines.size() + " indices but the data has " + m + " rows");
        }
        int[] order = new int[d.size()];
        boolean[] seen = new boolean[m];
        int kept = 0;
        for (int i = 0; i < m; i++) {
            int row;
            try {
                row = Integer.parseInt(lines.get(i).trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(permutation + ":" + (i + 1) + " is not a row index: '" + lines.get(i) + "'");
            }
            if (row < 0 || row >= m || seen[row]) {
                throw new IllegalArgumentException(permutation + ":" + (i + 1) + " holds " + row
                        + ", not a new row index in 0.." + (m - 1));
            }
            seen[row] = true;
            if (row < order.length) {
                order[kept++] = row;
            }
        }
        return of(d, order, fractions);
    }

    private static Split of(TransitionDataset d, int[] order, double[] f) {
        if (f.length != 3 || Arrays.stream(f).anyMatch(x -> x < 0) || Math.abs(f[0] + f[1] + f[2] - 1) > 1e-6 || f[0] <= 0) {
            throw new IllegalArgumentException("split fractions must be three non-negative numbers summing to 1 with a "
                    + "positive train share, got " + Arrays.toString(f));
        }
        int n = order.length;
        int nTrain = (int) Math.round(f[0] * n);
        int nVal = Math.min((int) Math.round(f[1] * n), n - nTrain);
        return new Split(d.select(Arrays.copyOfRange(order, 0, nTrain)),
                d.select(Arrays.copyOfRange(order, nTrain, nTrain + nVal)), d.select(Arrays.copyOfRange(order, nTrain + nVal, n)),
                order.clone());
    }
}
