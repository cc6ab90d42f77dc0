package org.mbrl4j.planning;

/**
 * Per-dimension action bounds of a planner, validated once: finite, low < high. Sequences are time-major, so value j
 * of a sequence is action dimension {@code j % dim()}.
 *
 * @param low  lower bounds
 * @param high upper bounds
 */
public record ActionBounds(double[] low, double[] high) {

    /** Validates and copies. */
    public ActionBounds {
        if (low == null || high == null || low.length != high.length || low.length == 0) {
            throw new IllegalArgumentException("action bounds are required (setActionBounds) with equal, non-zero lengths");
        }
        for (int j = 0; j < low.length; j++) {
            if (!(low[j] < high[j]) || Double.isInfinite(low[j]) || Double.isInfinite(high[j])) {
                throw new IllegalArgumentException("action bounds must be finite with low < high; dimension " + j + " is ["
                        + low[j] + ", " + high[j] + "]");
            }
        }
        low = low.clone();
        high = high.clone();
    }

    /** Action dimension. */
    public int dim() {
        return low.length;
    }

    /** Value j of a sequence clipped to its dimension's bounds. */
    public double clip(int j, double v) {
        int d = j % low.length;
        return Math.min(Math.max(v, low[d]), high[d]);
    }

    /** Width of value j's dimension. */
    public double width(int j) {
        int d = j % low.length;
        return high[d] - low[d];
    }

    /** Midpoint of value j's dimension. */
    public double mid(int j) {
        int d = j % low.length;
        return 0.5 * (low[d] + high[d]);
    }

    /** The warm start, or the midpoints, clipped; checks the length. */
    double[] start(double[] initial, int len) {
        double[] mean = new double[len];
        if (initial != null && initial.length != len) {
            throw new IllegalArgumentException("initial sequence must have " + len + " values, got " + initial.length);
        }
        for (int j = 0; j < len; j++) {
            mean[j] = initial == null ? mid(j) : clip(j, initial[j]);
        }
        return mean;
    }
}
