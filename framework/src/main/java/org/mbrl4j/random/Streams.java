package org.mbrl4j.random;

import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * Independent random streams derived from a run's seed: the seed of the stream for (purpose, episode, evaluation, step)
 * is a pure function of those numbers, so a resumed run draws exactly the numbers the uninterrupted one would have,
 * with no generator state to save.
 */
public final class Streams {
    private Streams() {
    }

    /** The seed of one stream of the run seeded {@code seed}. */
    public static long seed(long seed, int purpose, int episode, int eval, int step) {
        long h = seed;
        for (long part : new long[] {purpose, episode, eval, step}) {
            h = mix(h ^ mix(part + 0x9E3779B97F4A7C15L));
        }
        return h;
    }

    /** SplitMix64's finaliser. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /**
     * A generator whose stream is replaced by {@link #reseed}: one object handed to every consumer of a step's
     * randomness, re-seeded with {@link Streams#seed} before each step. Draws are {@link SplittableRandom}'s.
     */
    public static final class Reseedable implements RandomGenerator {
        private SplittableRandom r = new SplittableRandom(0);

        /** Starts the stream seeded {@code seed}. */
        public void reseed(long seed) {
            r = new SplittableRandom(seed);
        }

        @Override
        public long nextLong() {
            return r.nextLong();
        }

        @Override
        public int nextInt(int bound) {
            return r.nextInt(bound);
        }

        @Override
        public double nextDouble() {
            return r.nextDouble();
        }

        @Override
        public double nextGaussian() {
            return r.nextGaussian();
        }
    }
}
