package org.mbrl4j.env;

import java.util.random.RandomGenerator;

/** The integers {@code start, …, start + n − 1}, like {@code gymnasium.spaces.Discrete}. An element is a one-entry array. */
public record Discrete(int n, int start) implements Space {

    /** Validates {@code n > 0}. */
    public Discrete {
        if (n <= 0) {
            throw new IllegalArgumentException("Discrete n must be positive, got " + n);
        }
    }

    /** {@code Discrete(n)} starting at 0. */
    public Discrete(int n) {
        this(n, 0);
    }

    @Override
    public int flatDim() {
        return 1;
    }

    @Override
    public double[] sample(RandomGenerator rng) {
        return new double[] {start + rng.nextInt(n)};
    }

    @Override
    public boolean contains(double[] x) {
        if (x == null || x.length != 1) {
            return false;
        }
        double v = x[0];
        return v == Math.rint(v) && v >= start && v < start + (long) n;
    }

    /** The index held by a valid element, or an exception naming the accepted range. */
    public int index(double[] x) {
        requireContains("action", x);
        return (int) x[0];
    }

    @Override
    public String toString() {
        return start == 0 ? "Discrete(" + n + ")" : "Discrete(" + n + ", start=" + start + ")";
    }
}
