package org.mbrl4j.envs.classic;

import java.util.Map;
import org.mbrl4j.env.Box;
import org.mbrl4j.env.Reset;
import org.mbrl4j.env.Space;
import org.mbrl4j.env.Step;
import org.mbrl4j.env.RewardFn;

/**
 * Gymnasium 1.3.0 {@code Pendulum-v1}: swing a pendulum up and keep it upright. State (θ, θ̇) in float64, observation
 * float32 (cos θ, sin θ, θ̇). The torque is float32 (as the action space's dtype), so the torque terms are computed in
 * float32 exactly as NumPy 2 does.
 */
public final class Pendulum extends ClassicControlEnv {
    static final String ID = "Pendulum-v1";
    private static final double MAX_SPEED = 8;
    private static final float MAX_TORQUE = 2.0f;
    private static final double DT = 0.05;
    private static final Box OBS = new Box(new double[] {-1, -1, -MAX_SPEED}, new double[] {1, 1, MAX_SPEED});
    private static final Box ACT = Box.uniform(-MAX_TORQUE, MAX_TORQUE, 1);

    private final double g;
    private double th;
    private double thdot;

    /** Standard gravity g = 10. */
    public Pendulum() {
        this(10.0);
    }

    /** Gravity {@code g} (Gymnasium's {@code g} keyword). */
    public Pendulum(double g) {
        this.g = g;
    }

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
        EnvSpecs.requireKnownResetOptions(ID, options, "x_init", "y_init");
        double x = number(ID, options, "x_init", Math.PI);
        double y = number(ID, options, "y_init", 1.0);
        th = uniform(rng, -x, x);
        thdot = uniform(rng, -y, y);
        return new Reset(obs(), Map.of());
    }

    @Override
    public Step step(double[] action) {
        float u = Math.min(Math.max(continuousAction(ID, action), -MAX_TORQUE), MAX_TORQUE);
        double costs = sq(angleNormalize(th)) + 0.1 * sq(thdot) + (double) (0.001f * (u * u));
        double newthdot = thdot + (3 * g / (2 * 1.0) * Math.sin(th) + (double) (3.0f * u)) * DT;
        newthdot = Math.min(Math.max(newthdot, -MAX_SPEED), MAX_SPEED);
        th = th + newthdot * DT;
        thdot = newthdot;
        return new Step(obs(), -costs, false, false, Map.of());
    }

    private double[] obs() {
        return f32(Math.cos(th), Math.sin(th), thdot);
    }

    @Override
    public double[] getState() {
        return new double[] {th, thdot};
    }

    @Override
    public double[] setState(double[] state) {
        double[] s = checkState(ID, state);
        th = s[0];
        thdot = s[1];
        return obs();
    }

    @Override
    public String[] stateNames() {
        return new String[] {"theta", "theta_dot"};
    }

    /** NumPy's float modulo: the result takes the sign of the divisor. */
    static double angleNormalize(double x) {
        double m = 2 * Math.PI;
        double r = (x + Math.PI) % m;
        if (r != 0 && r < 0) {
            r += m;
        }
        return r - Math.PI;
    }

    private static double sq(double x) {
        return x * x;
    }

    /** Reward of imagined transitions: the cost is a function of the pre-step observation and the clipped torque. */
    static final RewardFn REWARD = (n, obs, act, next, out) -> {
        for (int i = 0; i < n; i++) {
            double theta = Math.atan2(obs[3 * i + 1], obs[3 * i]);
            double td = obs[3 * i + 2];
            float u = Math.min(Math.max((float) act[i], -MAX_TORQUE), MAX_TORQUE);
            out[i] = -(sq(angleNormalize(theta)) + 0.1 * td * td + 0.001 * u * u);
        }
    };
}
