package org.mbrl4j.envs.gymnasium;

import java.util.Map;
import org.mbrl4j.env.RewardFn;
import org.mbrl4j.env.TerminationFn;

/**
 * Reward and termination functions of Gymnasium 1.x MuJoCo tasks (v5, default arguments), computed from observations
 * so that planners can score imagined transitions. Gymnasium's forward velocity is the x displacement over the frame
 * skip divided by dt, and x is not observed; the mean of the root's x velocity before and after the step (trapezoid
 * rule) stands in. On random actions this is within 0.002 per step of Hopper's reward (0.04 with the next velocity
 * alone) and 0.15 of HalfCheetah's (0.24), whose velocity changes fastest within a frame; terminations are exact.
 */
public final class MujocoTasks {

    /** A task's functions. */
    record Functions(RewardFn reward, TerminationFn termination) {
    }

    /** HalfCheetah-v5: 1.0·v_x − 0.1·‖a‖², v_x from observation 8 (root x velocity); never terminates. */
    static final RewardFn HALF_CHEETAH = (n, obs, act, next, out) -> {
        int o = 17;
        int a = 6;
        for (int i = 0; i < n; i++) {
            out[i] = 0.5 * (obs[i * o + 8] + next[i * o + 8]) - 0.1 * squares(act, i * a, a);
        }
    };

    /** Hopper-v5's health check on an observation (z, angle, joints, velocities). */
    static boolean hopperHealthy(double[] s, int off) {
        double z = s[off];
        double angle = s[off + 1];
        for (int j = 1; j < 11; j++) {
            double v = s[off + j];
            if (!(v > -100 && v < 100)) {
                return false;
            }
        }
        return z > 0.7 && angle > -0.2 && angle < 0.2;
    }

    /** Hopper-v5: 1·healthy + v_x − 0.001·‖a‖², v_x from observation 5; terminates when unhealthy. */
    static final RewardFn HOPPER = (n, obs, act, next, out) -> {
        for (int i = 0; i < n; i++) {
            out[i] = (hopperHealthy(next, i * 11) ? 1 : 0) + 0.5 * (obs[i * 11 + 5] + next[i * 11 + 5])
                    - 1e-3 * squares(act, i * 3, 3);
        }
    };

    /** Hopper-v5 termination: the next observation fails the health check. */
    static final TerminationFn HOPPER_DONE = (n, obs, act, next, out) -> {
        for (int i = 0; i < n; i++) {
            out[i] = !hopperHealthy(next, i * 11);
        }
    };

    private static boolean pendulumUp(double[] s, int off) {
        for (int j = 0; j < 4; j++) {
            if (!Double.isFinite(s[off + j])) {
                return false;
            }
        }
        return Math.abs(s[off + 1]) <= 0.2;
    }

    /** InvertedPendulum-v5: 1 while the pole stays within 0.2 rad (and everything is finite), else 0. */
    static final RewardFn INVERTED_PENDULUM = (n, obs, act, next, out) -> {
        for (int i = 0; i < n; i++) {
            out[i] = pendulumUp(next, i * 4) ? 1 : 0;
        }
    };

    /** InvertedPendulum-v5 termination: the pole left ±0.2 rad. */
    static final TerminationFn INVERTED_PENDULUM_DONE = (n, obs, act, next, out) -> {
        for (int i = 0; i < n; i++) {
            out[i] = !pendulumUp(next, i * 4);
        }
    };

    /** The tasks with functions, by Gymnasium id. */
    static final Map<String, Functions> BY_ID = Map.of(
            "HalfCheetah-v5", new Functions(HALF_CHEETAH, TerminationFn.NEVER),
            "Hopper-v5", new Functions(HOPPER, HOPPER_DONE),
            "InvertedPendulum-v5", new Functions(INVERTED_PENDULUM, INVERTED_PENDULUM_DONE));

    private MujocoTasks() {
    }

    private static double squares(double[] a, int off, int len) {
        double s = 0;
        for (int j = 0; j < len; j++) {
            s += a[off + j] * a[off + j];
        }
        return s;
    }
}
