package org.mbrl4j.random;

import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Fisher–Yates shuffles with the caller's generator: from the last element down, element i swaps with one drawn
 * uniformly from 0..i ({@code nextInt(i + 1)}), so a seed gives the same order wherever it is used.
 */
public final class Shuffle {
    private Shuffle() {
    }

    /** Shuffles {@code a} in place. */
    public static void shuffle(int[] a, RandomGenerator rng) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    /** Shuffles {@code list} in place. */
    public static <T> void shuffle(List<T> list, RandomGenerator rng) {
        for (int i = list.size() - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            T t = list.get(i);
            list.set(i, list.get(j));
            list.set(j, t);
        }
    }
}
