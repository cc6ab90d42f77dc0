package org.mbrl4j.envs.classic;

import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;
import org.mbrl4j.env.StatefulEnv;

/**
 * What the classic-control ports share: the environment's own seeded random stream, reset-bound options, and state
 * validation. Randomness is never global: {@code reset(seed)} reseeds, {@code reset()} continues the stream (drawing
 * an entropy seed only when the environment was never seeded, as Gymnasium does).
 */
abstract class ClassicControlEnv implements StatefulEnv {
    private SplittableRandom rng;

    /** The random stream after applying {@code seed} (null: continue). */
    final SplittableRandom rng(Long seed) {
        if (seed != null) {
            rng = new SplittableRandom(seed);
        } else if (rng == null) {
            rng = new SplittableRandom();
        }
        return rng;
    }

    /** Uniform draw in [low, high). */
    static double uniform(SplittableRandom rng, double low, double high) {
        return low + (high - low) * rng.nextDouble();
    }

    /** Gymnasium's {@code maybe_parse_reset_bounds}: options {@code low}/{@code high} override the defaults. */
    static double[] resetBounds(String id, Map<String, Object> options, double low, double high) {
        EnvSpecs.requireKnownResetOptions(id, options, "low", "high");
        double lo = number(id, options, "low", low);
        double hi = number(id, options, "high", high);
        if (lo > hi) {
            throw new IllegalArgumentException(id + " reset option low (" + lo + ") must not exceed high (" + hi + ")");
        }
        return new double[] {lo, hi};
    }

    static double number(String id, Map<String, Object> options, String key, double def) {
        Object v = options == null ? null : options.get(key);
        if (v == null) {
            return def;
        }
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        try {
            return Double.parseDouble(v.toString());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(id + " option " + key + " must be a number, got '" + v + "'");
        }
    }

    /** The single component of a one-dimensional continuous action, rejecting wrong shapes and NaN. */
    static float continuousAction(String id, double[] action) {
        if (action == null || action.length != 1) {
            throw new IllegalArgumentException(id + " expects an action of 1 component, got "
                    + (action == null ? "null" : Arrays.toString(action)));
        }
        if (Double.isNaN(action[0])) {
            throw new IllegalArgumentException(id + " action is NaN");
        }
        return (float) action[0];
    }

    /** The index of a discrete action in {@code [0, n)}, rejecting anything else. */
    static int discreteAction(String id, double[] action, int n) {
        if (action == null || action.length != 1 || action[0] != Math.rint(action[0]) || action[0] < 0
                || action[0] >= n) {
            throw new IllegalArgumentException(id + " expects one action index in 0.." + (n - 1) + ", got "
                    + (action == null ? "null" : Arrays.toString(action)));
        }
        return (int) action[0];
    }

    /** Validates a state vector's length and finiteness. */
    final double[] checkState(String id, double[] state) {
        if (state == null || state.length != stateNames().length) {
            throw new IllegalArgumentException(id + " state must have " + stateNames().length + " values "
                    + Arrays.toString(stateNames()) + ", got " + (state == null ? "null" : Arrays.toString(state)));
        }
        for (int i = 0; i < state.length; i++) {
            if (!Double.isFinite(state[i])) {
                throw new IllegalArgumentException(id + " state " + stateNames()[i] + " must be finite, got " + state[i]);
            }
        }
        return state.clone();
    }

    static double[] f32(double... x) {
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = (float) x[i];
        }
        return y;
    }
}
