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
 */
public record Split(TransitionDataset train, TransitionDataset validation, TransitionDataset test) {

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
        List<String> lines;
        try {
            lines = Files.readAllLines(permutation).stream().filter(s -> !s.isBlank()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + permutation + ": " + e.getMessage(), e);
        }
        int n = d.size();
        if (lines.size() != n) {
            throw new IllegalArgumentException(permutation + " has " + lines.size() + " indices but the data has " + n + " rows");
        }
        int[] order = new int[n];
        boolean[] seen = new boolean[n];
        for (int i = 0; i < n; i++) {
            try {
                order[i] = Integer.parseInt(lines.get(i).trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(permutation + ":" + (i + 1) + " is not a row index: '" + lines.get(i) + "'");
            }
            if (order[i] < 0 || order[i] >= n || seen[order[i]]) {
                throw new IllegalArgumentException(permutation + ":" + (i + 1) + " holds " + order[i]
                        + ", not a new row index in 0.." + (n - 1));
            }
            seen[order[i]] = true;
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
                d.select(Arrays.copyOfRange(order, nTrain, nTrain + nVal)), d.select(Arrays.copyOfRange(order, nTrain + nVal, n)));
    }
}
