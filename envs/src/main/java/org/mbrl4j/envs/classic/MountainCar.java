package org.mbrl4j.envs.classic;

import java.util.Map;
import org.mbrl4j.env.Box;
import org.mbrl4j.env.Discrete;
import org.mbrl4j.env.Reset;
import org.mbrl4j.env.Space;
import org.mbrl4j.env.Step;
import org.mbrl4j.env.RewardFn;
import org.mbrl4j.env.TerminationFn;

/** Gymnasium 1.3.0 {@code MountainCar-v0} (three discrete pushes, float64 state, float32 observation). */
public final class MountainCar extends ClassicControlEnv {
    static final String ID = "MountainCar-v0";
    private static final double MIN_POSITION = -1.2;
    private static final double MAX_POSITION = 0.6;
    private static final double MAX_SPEED = 0.07;
    static final double GOAL_POSITION = 0.5;
    private static final double FORCE = 0.001;
    private static final double GRAVITY = 0.0025;
    private static final Box OBS = new Box(new double[] {MIN_POSITION, -MAX_SPEED}, new double[] {MAX_POSITION, MAX_SPEED});
    private static final Discrete ACT = new Discrete(3);

    private final double goalVelocity;
    private double position;
    private double velocity;

    /** Goal velocity 0. */
    public MountainCar() {
        this(0);
    }

    /** With Gymnasium's {@code goal_velocity}. */
    public MountainCar(double goalVelocity) {
        this.goalVelocity = goalVelocity;
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
        double[] b = resetBounds(ID, options, -0.6, -0.4);
        position = uniform(rng, b[0], b[1]);
        velocity = 0;
        return new Reset(f32(position, velocity), Map.of());
    }

    @Override
    public Step step(double[] action) {
        int a = discreteAction(ID, action, 3);
        velocity += (a - 1) * FORCE + Math.cos(3 * position) * -GRAVITY;
        velocity = Math.min(Math.max(velocity, -MAX_SPEED), MAX_SPEED);
        position += velocity;
        position = Math.min(Math.max(position, MIN_POSITION), MAX_POSITION);
        if (position == MIN_POSITION && velocity < 0) {
            velocity = 0;
        }
        boolean terminated = position >= GOAL_POSITION && velocity >= goalVelocity;
        return new Step(f32(position, velocity), -1.0, terminated, false, Map.of());
    }

    @Override
    public double[] getState() {
        return new double[] {position, velocity};
    }

    @Override
    public double[] setState(double[] state) {
        double[] s = checkState(ID, state);
        position = s[0];
        velocity = s[1];
        return f32(position, velocity);
    }

    @Override
    public String[] stateNames() {
        return new String[] {"position", "velocity"};
    }

    /**
     * Planning cost {@code energy-gap}: the mechanical energy per unit mass E = v²/2 + (g/3)·sin(3x) still missing to
     * reach the goal's potential energy, as a fraction of the goal's height above the valley bottom: 1 at rest at the
     * bottom, 0 with enough energy to reach the goal. Position alone would pull the car straight up the right slope,
     * which its engine cannot climb; energy rewards the swinging that gets it there.
     */
    static final RewardFn ENERGY_GAP = (n, obs, act, next, out) -> {
        double goal = GRAVITY / 3 * Math.sin(3 * GOAL_POSITION);
        double bottom = -GRAVITY / 3;
        for (int i = 0; i < n; i++) {
            double x = next[2 * i];
            double v = next[2 * i + 1];
            out[i] = (goal - (0.5 * v * v + GRAVITY / 3 * Math.sin(3 * x))) / (goal - bottom);
        }
    };

    /** −1 per step. */
    static final RewardFn REWARD = (n, obs, act, next, out) -> java.util.Arrays.fill(out, 0, n, -1.0);

    /** Position ≥ 0.5 with non-negative velocity. */
    static final TerminationFn TERMINATION = (n, obs, act, next, out) -> {
        for (int i = 0; i < n; i++) {
            out[i] = next[2 * i] >= GOAL_POSITION && next[2 * i + 1] >= 0;
        }
    };
}
