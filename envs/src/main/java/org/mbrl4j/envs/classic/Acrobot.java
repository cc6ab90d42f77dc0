package org.mbrl4j.envs.classic;

import java.util.Map;
import org.mbrl4j.env.Box;
import org.mbrl4j.env.Discrete;
import org.mbrl4j.env.Reset;
import org.mbrl4j.env.Space;
import org.mbrl4j.env.Step;
import org.mbrl4j.env.RewardFn;
import org.mbrl4j.env.TerminationFn;

/**
 * Gymnasium 1.3.0 {@code Acrobot-v1} ("book" dynamics, one RK4 step of 0.2 s, float64 state rounded to float32 at
 * reset, float32 observation). The dynamics are chaotic: a last-bit difference between Java's and the C library's
 * {@code sin}/{@code cos} grows over long episodes.
 */
public final class Acrobot extends ClassicControlEnv {
    static final String ID = "Acrobot-v1";
    private static final double DT = 0.2;
    private static final double L1 = 1.0;
    private static final double M1 = 1.0;
    private static final double M2 = 1.0;
    private static final double LC1 = 0.5;
    private static final double LC2 = 0.5;
    private static final double I1 = 1.0;
    private static final double I2 = 1.0;
    private static final double MAX_VEL_1 = 4 * Math.PI;
    private static final double MAX_VEL_2 = 9 * Math.PI;
    private static final double[] TORQUE = {-1.0, 0.0, 1.0};
    private static final Box OBS = new Box(new double[] {-1, -1, -1, -1, -MAX_VEL_1, -MAX_VEL_2},
            new double[] {1, 1, 1, 1, MAX_VEL_1, MAX_VEL_2});
    private static final Discrete ACT = new Discrete(3);

    private final double[] s = new double[4];

    @Override
    public Space observationSpace() {
        return OBS;
    }

    @Override
    public Space actionSpace() {
        return ACT;
    }

    @Override
    public Reset reset(Long seed, Map<String, Object> options) {
        var rng = rng(seed);
        double[] b = resetBounds(ID, options, -0.1, 0.1);
        for (int i = 0; i < 4; i++) {
            s[i] = (float) uniform(rng, b[0], b[1]);
        }
        return new Reset(obs(), Map.of());
    }

    @Override
    public Step step(double[] action) {
        double torque = TORQUE[discreteAction(ID, action, 3)];
        double[] ns = rk4(s, torque);
        s[0] = wrap(ns[0], -Math.PI, Math.PI);
        s[1] = wrap(ns[1], -Math.PI, Math.PI);
        s[2] = Math.min(Math.max(ns[2], -MAX_VEL_1), MAX_VEL_1);
        s[3] = Math.min(Math.max(ns[3], -MAX_VEL_2), MAX_VEL_2);
        boolean terminated = -Math.cos(s[0]) - Math.cos(s[1] + s[0]) > 1.0;
        return new Step(obs(), terminated ? 0.0 : -1.0, terminated, false, Map.of());
    }

    private double[] obs() {
        return f32(Math.cos(s[0]), Math.sin(s[0]), Math.cos(s[1]), Math.sin(s[1]), s[2], s[3]);
    }

    private static double[] rk4(double[] y0, double a) {
        double dt2 = DT / 2.0;
        double[] k1 = dsdt(y0, a);
        double[] k2 = dsdt(axpy(y0, dt2, k1), a);
        double[] k3 = dsdt(axpy(y0, dt2, k2), a);
        double[] k4 = dsdt(axpy(y0, DT, k3), a);
        double[] y = new double[4];
        double h = DT / 6.0;
        for (int i = 0; i < 4; i++) {
            y[i] = y0[i] + h * (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i]);
        }
        return y;
    }

    private static double[] axpy(double[] y, double h, double[] k) {
        return new double[] {y[0] + h * k[0], y[1] + h * k[1], y[2] + h * k[2], y[3] + h * k[3]};
    }

    /** The "book" equations, operation order as in the Python original. */
    private static double[] dsdt(double[] s, double a) {
        double g = 9.8;
        double theta1 = s[0];
        double theta2 = s[1];
        double dtheta1 = s[2];
        double dtheta2 = s[3];
        double d1 = M1 * (LC1 * LC1) + M2 * (L1 * L1 + LC2 * LC2 + 2 * L1 * LC2 * Math.cos(theta2)) + I1 + I2;
        double d2 = M2 * (LC2 * LC2 + L1 * LC2 * Math.cos(theta2)) + I2;
        double phi2 = M2 * LC2 * g * Math.cos(theta1 + theta2 - Math.PI / 2.0);
        double phi1 = -M2 * L1 * LC2 * (dtheta2 * dtheta2) * Math.sin(theta2)
                - 2 * M2 * L1 * LC2 * dtheta2 * dtheta1 * Math.sin(theta2)
                + (M1 * LC1 + M2 * L1) * g * Math.cos(theta1 - Math.PI / 2) + phi2;
        double ddtheta2 = (a + d2 / d1 * phi1 - M2 * L1 * LC2 * (dtheta1 * dtheta1) * Math.sin(theta2) - phi2)
                / (M2 * (LC2 * LC2) + I2 - (d2 * d2) / d1);
        double ddtheta1 = -(d2 * ddtheta2 + phi1) / d1;
        return new double[] {dtheta1, dtheta2, ddtheta1, ddtheta2};
    }

    private static double wrap(double x, double m, double big) {
        double diff = big - m;
        while (x > big) {
            x = x - diff;
        }
        while (x < m) {
            x = x + diff;
        }
        return x;
    }

    @Override
    public double[] getState() {
        return s.clone();
    }

    @Override
    public double[] setState(double[] state) {
        System.arraycopy(checkState(ID, state), 0, s, 0, 4);
        return obs();
    }

    @Override
    public String[] stateNames() {
        return new String[] {"theta1", "theta2", "theta1_dot", "theta2_dot"};
    }

    /** −cos θ1 − cos(θ1 + θ2) > 1 from the next observation (cos, sin of both angles). */
    static final TerminationFn TERMINATION = (n, obs, act, next, out) -> {
        for (int i = 0; i < n; i++) {
            int o = 6 * i;
            double c1 = next[o];
            double s1 = next[o + 1];
            double c2 = next[o + 2];
            double s2 = next[o + 3];
            out[i] = -c1 - (c1 * c2 - s1 * s2) > 1.0;
        }
    };

    /**
     * Planning cost {@code tip-depth}: how far the tip is below the goal line, 1 − (−cos θ1 − cos(θ1 + θ2)), from 3
     * hanging down to 0 at the goal (negative beyond it). The −1-per-step reward says nothing until the goal is inside
     * the horizon; this cost ranks every candidate by how high it swings the tip.
     */
    static final RewardFn TIP_DEPTH = (n, obs, act, next, out) -> {
        for (int i = 0; i < n; i++) {
            int o = 6 * i;
            double c1 = next[o];
            out[i] = 1.0 + c1 + (c1 * next[o + 2] - next[o + 1] * next[o + 3]);
        }
    };

    /** 0 on reaching the goal height, −1 otherwise. */
    static final RewardFn REWARD = (n, obs, act, next, out) -> {
        boolean[] t = new boolean[n];
        TERMINATION.compute(n, obs, act, next, t);
        for (int i = 0; i < n; i++) {
            out[i] = t[i] ? 0.0 : -1.0;
        }
    };
}
