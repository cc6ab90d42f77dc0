package org.mbrl4j.envs.classic;

import java.util.Map;
import org.mbrl4j.env.Box;
import org.mbrl4j.env.Reset;
import org.mbrl4j.env.Space;
import org.mbrl4j.env.Step;
import org.mbrl4j.env.RewardFn;
import org.mbrl4j.env.TerminationFn;

/**
 * Gymnasium 1.3.0 {@code MountainCarContinuous-v0}. The Python original mixes float64 (the state after reset),
 * float32 (the state after a step, the action) and Python floats (clipped values) under NumPy 2's promotion rules; this
 * port reproduces each operation's precision, which is what keeps it within float32 rounding of the original.
 */
public final class MountainCarContinuous extends ClassicControlEnv {
    static final String ID = "MountainCarContinuous-v0";
    private static final double MIN_POSITION = -1.2;
    private static final double MAX_POSITION = 0.6;
    private static final double MAX_SPEED = 0.07;
    static final double GOAL_POSITION = 0.45;
    private static final double POWER = 0.0015;
    private static final Box OBS = new Box(new double[] {MIN_POSITION, -MAX_SPEED}, new double[] {MAX_POSITION, MAX_SPEED});
    private static final Box ACT = Box.uniform(-1.0, 1.0, 1);

    private final double goalVelocity;
    private double position;
    private double velocity;
    /** Whether the state is float32 (after a step) rather than float64 (after reset or setState). */
    private boolean stateF32;

    /** Goal velocity 0. */
    public MountainCarContinuous() {
        this(0);
    }

    /** With Gymnasium's {@code goal_velocity}. */
    public MountainCarContinuous(double goalVelocity) {
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
        stateF32 = false;
        return new Reset(f32(position, velocity), Map.of());
    }

    @Override
    public Step step(double[] action) {
        float a = continuousAction(ID, action);
        boolean f32 = stateF32;
        // force = min(max(a, -1.0), 1.0): a clipped force is a Python float, an unclipped one float32
        boolean forceWeak = false;
        double force = a;
        if (-1.0 > a) {
            force = -1.0;
            forceWeak = true;
        }
        if (1.0 < force) {
            force = 1.0;
            forceWeak = true;
        }
        double cosTerm = 0.0025 * Math.cos(f32 ? (double) (3f * (float) position) : 3.0 * position);
        double delta = forceWeak ? force * POWER - cosTerm : (double) ((float) (a * (float) POWER) - (float) cosTerm);
        double vel = f32 ? (double) ((float) velocity + (float) delta) : velocity + delta;
        // a value compared with a Python float is compared in its own precision
        if (f32 ? (float) vel > (float) MAX_SPEED : vel > MAX_SPEED) {
            vel = MAX_SPEED;
        }
        if (f32 ? (float) vel < (float) -MAX_SPEED : vel < -MAX_SPEED) {
            vel = -MAX_SPEED;
        }
        double pos = f32 ? (double) ((float) position + (float) vel) : position + vel;
        boolean posPy = false;
        if (f32 ? (float) pos > (float) MAX_POSITION : pos > MAX_POSITION) {
            pos = MAX_POSITION;
            posPy = true;
        }
        if (f32 ? (float) pos < (float) MIN_POSITION : pos < MIN_POSITION) {
            pos = MIN_POSITION;
            posPy = true;
        }
        boolean atMin = posPy || !f32 ? pos == MIN_POSITION : (float) pos == (float) MIN_POSITION;
        if (atMin && vel < 0) {
            vel = 0;
        }
        boolean cmpF32 = f32 && !posPy;
        boolean terminated = (cmpF32 ? (float) pos >= (float) GOAL_POSITION : pos >= GOAL_POSITION)
                && (f32 ? (float) vel >= (float) goalVelocity : vel >= goalVelocity);
        double reward = terminated ? 100.0 : 0;
        reward -= (double) a * (double) a * 0.1;
        position = (float) pos;
        velocity = (float) vel;
        stateF32 = true;
        return new Step(new double[] {position, velocity}, reward, terminated, false, Map.of());
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
        // NumPy would keep the dtype of the array assigned to env.state; a state read by getState() after a step is
        // float32-exact and must step the same way again, a float64 state (as after reset) must not
        stateF32 = (float) position == position && (float) velocity == velocity;
        return f32(position, velocity);
    }

    @Override
    public String[] stateNames() {
        return new String[] {"position", "velocity"};
    }

    /** +100 on reaching the goal, minus 0.1·a² of the unclipped action. */
    static final RewardFn REWARD = (n, obs, act, next, out) -> {
        for (int i = 0; i < n; i++) {
            boolean done = next[2 * i] >= GOAL_POSITION && next[2 * i + 1] >= 0;
            out[i] = (done ? 100.0 : 0.0) - 0.1 * act[i] * act[i];
        }
    };

    /** Position ≥ 0.45 with non-negative velocity. */
    static final TerminationFn TERMINATION = (n, obs, act, next, out) -> {
        for (int i = 0; i < n; i++) {
            out[i] = next[2 * i] >= GOAL_POSITION && next[2 * i + 1] >= 0;
        }
    };
}
