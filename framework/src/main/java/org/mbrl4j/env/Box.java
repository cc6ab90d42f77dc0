package org.mbrl4j.env;

import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * A box in R^n with float32 semantics, like {@code gymnasium.spaces.Box(dtype=np.float32)}: bounds are rounded to
 * float32 and membership is tested on the float32 value. Bounds may be infinite.
 */
public final class Box implements Space {
    private final double[] low;
    private final double[] high;
    private final int[] shape;

    /** A box with per-component bounds; the shape is {@code [low.length]}. */
    public Box(double[] low, double[] high) {
        this(low, high, new int[] {low.length});
    }

    /** A box with per-component bounds laid out row-major in {@code shape}. */
    public Box(double[] low, double[] high, int[] shape) {
        if (low.length != high.length) {
            throw new IllegalArgumentException("Box low has " + low.length + " entries but high has " + high.length);
        }
        int n = 1;
        for (int s : shape) {
            if (s <= 0) {
                throw new IllegalArgumentException("Box shape " + Arrays.toString(shape) + " must be positive");
            }
            n *= s;
        }
        if (n != low.length) {
            throw new IllegalArgumentException("Box shape " + Arrays.toString(shape) + " holds " + n
                    + " values but the bounds have " + low.length);
        }
        this.low = new double[n];
        this.high = new double[n];
        for (int i = 0; i < n; i++) {
            this.low[i] = (float) low[i];
            this.high[i] = (float) high[i];
            if (Double.isNaN(low[i]) || Double.isNaN(high[i]) || this.low[i] > this.high[i]) {
                throw new IllegalArgumentException("Box bound " + i + " is invalid: low " + low[i] + ", high " + high[i]);
            }
        }
        this.shape = shape.clone();
    }

    /** A box of {@code n} components all with the same bounds. */
    public static Box uniform(double low, double high, int n) {
        double[] lo = new double[n];
        double[] hi = new double[n];
        Arrays.fill(lo, low);
        Arrays.fill(hi, high);
        return new Box(lo, hi);
    }

    /** Lower bounds (float32-rounded), a copy. */
    public double[] low() {
        return low.clone();
    }

    /** Upper bounds (float32-rounded), a copy. */
    public double[] high() {
        return high.clone();
    }

    /** Lower bound of component {@code i}. */
    public double low(int i) {
        return low[i];
    }

    /** Upper bound of component {@code i}. */
    public double high(int i) {
        return high[i];
    }

    /** The shape, a copy. */
    public int[] shape() {
        return shape.clone();
    }

    /** Whether every bound is finite. */
    public boolean isBounded() {
        for (int i = 0; i < low.length; i++) {
            if (Double.isInfinite(low[i]) || Double.isInfinite(high[i])) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int flatDim() {
        return low.length;
    }

    /** Uniform in bounded components; normal, shifted exponential or negated exponential in unbounded ones (as Gymnasium). */
    @Override
    public double[] sample(RandomGenerator rng) {
        double[] x = new double[low.length];
        for (int i = 0; i < x.length; i++) {
            boolean lo = !Double.isInfinite(low[i]);
            boolean hi = !Double.isInfinite(high[i]);
            double v;
            if (lo && hi) {
                v = low[i] + (high[i] - low[i]) * rng.nextDouble();
            } else if (lo) {
                v = low[i] + rng.nextExponential();
            } else if (hi) {
                v = high[i] - rng.nextExponential();
            } else {
                v = rng.nextGaussian();
            }
            float f = (float) v;
            // float rounding may step just outside a finite bound
            x[i] = Math.min(Math.max(f, (float) low[i]), (float) high[i]);
        }
        return x;
    }

    @Override
    public boolean contains(double[] x) {
        if (x == null || x.length != low.length) {
            return false;
        }
        for (int i = 0; i < x.length; i++) {
            float f = (float) x[i];
            if (Float.isNaN(f) || f < low[i] || f > high[i]) {
                return false;
            }
        }
        return true;
    }

    /** Clips {@code x} into the box, returning a new array. */
    public double[] clip(double[] x) {
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = Math.min(Math.max(x[i], low[i]), high[i]);
        }
        return y;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Box b && Arrays.equals(low, b.low) && Arrays.equals(high, b.high)
                && Arrays.equals(shape, b.shape);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(low) + Arrays.hashCode(high);
    }

    @Override
    public String toString() {
        return "Box(" + Arrays.toString(low) + ", " + Arrays.toString(high) + ", " + Arrays.toString(shape)
                + ", float32)";
    }
}
