package org.mbrl4j.envs.classic;

import java.util.Map;
import org.mbrl4j.env.Box;
import org.mbrl4j.env.Discrete;
import org.mbrl4j.env.Reset;
import org.mbrl4j.env.Space;
import org.mbrl4j.env.Step;
import org.mbrl4j.env.RewardFn;
import org.mbrl4j.env.TerminationFn;

/** Gymnasium 1.3.0 {@code CartPole-v1} (Euler integration, float64 state, float32 observation). */
public final class CartPole extends ClassicControlEnv {
    static final String ID = "CartPole-v1";
    private static final double GRAVITY = 9.8;
    private static final double MASSCART = 1.0;
    private static final double MASSPOLE = 0.1;
    private static final double TOTAL_MASS = MASSPOLE + MASSCART;
    private static final double LENGTH = 0.5;
    private static final double POLEMASS_LENGTH = MASSPOLE * LENGTH;
    private static final double FORCE_MAG = 10.0;
    private static final double TAU = 0.02;
    static final double THETA_THRESHOLD = 12 * 2 * Math.PI / 360;
    static final double X_THRESHOLD = 2.4;
    private static final Box OBS = new Box(
            new double[] {-X_THRESHOLD * 2, Double.NEGATIVE_INFINITY, -THETA_THRESHOLD * 2, Double.NEGATIVE_INFINITY},
            new double[] {X_THRESHOLD * 2, Double.POSITIVE_INFINITY, THETA_THRESHOLD * 2, Double.POSITIVE_INFINITY});
    private static final Discrete ACT = new Discrete(2);

    private final boolean suttonBartoReward;
    private final double[] s = new double[4];
    private Integer stepsBeyondTerminated;

    /** The default reward (+1 per step). */
    public CartPole() {
        this(false);
    }

    /** With {@code suttonBartoReward}: 0 per step and −1 at termination. */
    public CartPole(boolean suttonBartoReward) {
        this.suttonBartoReward = suttonBartoReward;
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
        double[] b = resetBounds(ID, options, -0.05, 0.05);
        for (int i = 0; i < 4; i++) {
            s[i] = uniform(rng, b[0], b[1]);
        }
        stepsBeyondTerminated = null;
        return new Reset(f32(s), Map.of());
    }

    @Override
    public Step step(double[] action) {
        int a = discreteAction(ID, action, 2);
        double x = s[0];
        double xDot = s[1];
        double theta = s[2];
        double thetaDot = s[3];
        double force = a == 1 ? FORCE_MAG : -FORCE_MAG;
        double costheta = Math.cos(theta);
        double sintheta = Math.sin(theta);
        double temp = (force + POLEMASS_LENGTH * (thetaDot * thetaDot) * sintheta) / TOTAL_MASS;
        double thetaacc = (GRAVITY * sintheta - costheta * temp)
                / (LENGTH * (4.0 / 3.0 - MASSPOLE * (costheta * costheta) / TOTAL_MASS));
        double xacc = temp - POLEMASS_LENGTH * thetaacc * costheta / TOTAL_MASS;
        s[0] = x + TAU * xDot;
        s[1] = xDot + TAU * xacc;
        s[2] = theta + TAU * thetaDot;
        s[3] = thetaDot + TAU * thetaacc;
        boolean terminated = s[0] < -X_THRESHOLD || s[0] > X_THRESHOLD || s[2] < -THETA_THRESHOLD
                || s[2] > THETA_THRESHOLD;
        double reward;
        if (!terminated) {
            reward = suttonBartoReward ? 0.0 : 1.0;
        } else if (stepsBeyondTerminated == null) {
            stepsBeyondTerminated = 0;
            reward = suttonBartoReward ? -1.0 : 1.0;
        } else {
            stepsBeyondTerminated++;
            reward = suttonBartoReward ? -1.0 : 0.0;
        }
        return new Step(f32(s), reward, terminated, false, Map.of());
    }

    @Override
    public double[] getState() {
        return s.clone();
    }

    @Override
    public double[] setState(double[] state) {
        System.arraycopy(checkState(ID, state), 0, s, 0, 4);
        stepsBeyondTerminated = null;
        return f32(s);
    }

    @Override
    public String[] stateNames() {
        return new String[] {"x", "x_dot", "theta", "theta_dot"};
    }

    /** +1 for every transition, including the terminating one. */
    static final RewardFn REWARD = (n, obs, act, next, out) -> java.util.Arrays.fill(out, 0, n, 1.0);

    /** Cart outside ±2.4 or pole beyond ±12°, judged on the next observation. */
    static final TerminationFn TERMINATION = (n, obs, act, next, out) -> {
        for (int i = 0; i < n; i++) {
            double x = next[4 * i];
            double th = next[4 * i + 2];
            out[i] = x < -X_THRESHOLD || x > X_THRESHOLD || th < -THETA_THRESHOLD || th > THETA_THRESHOLD;
        }
    };
}
