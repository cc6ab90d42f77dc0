package org.mbrl4j.env;

import java.util.random.RandomGenerator;

/**
 * A Gymnasium-style space. Elements cross the API as flat {@code double[]}: a {@link Box} element holds one value per
 * component, a {@link Discrete} element holds the index in its single entry.
 */
public sealed interface Space permits Box, Discrete {

    /** Number of doubles an element of this space occupies. */
    int flatDim();

    /** A uniformly (or, for unbounded boxes, normally) distributed element, drawn from {@code rng}. */
    double[] sample(RandomGenerator rng);

    /** Whether {@code x} is an element of this space (length, bounds, integrality). */
    boolean contains(double[] x);

    /**
     * Throws {@link IllegalArgumentException} naming {@code what} and the accepted values when {@code x} is not
     * an element of this space.
     */
    default void requireContains(String what, double[] x) {
        if (x == null) {
            throw new IllegalArgumentException(what + " is null; expected an element of " + this);
        }
        if (!contains(x)) {
            throw new IllegalArgumentException(what + " " + java.util.Arrays.toString(x) + " is not in " + this);
        }
    }
}
