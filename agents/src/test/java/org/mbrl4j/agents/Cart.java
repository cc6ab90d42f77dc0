package org.mbrl4j.agents;

import java.util.Map;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.mbrl4j.env.Box;
import org.mbrl4j.env.Env;
import org.mbrl4j.env.Reset;
import org.mbrl4j.env.RewardFn;
import org.mbrl4j.env.Space;
import org.mbrl4j.env.Step;
import org.mbrl4j.model.DynamicsModel;

/**
 * A test environment: a cart on a line, observation (x, v), force in [−1, 1]; v' = v + 0.1·a, x' = x + 0.1·v';
 * reward −(x'² + 0.1·v'²); episodes of 30 steps from x ~ U(−1, 1) drawn from the reset seed, so it is deterministic
 * given the seed (mid-episode resume needs that). {@link #TRUE_DYNAMICS} is its exact model.
 */
final class Cart implements Env {
    static final int LENGTH = 30;
    static final RewardFn REWARD = (n, obs, act, next, out) -> {
        for (int i = 0; i < n; i++) {
            out[i] = -(next[2 * i] * next[2 * i] + 0.1 * next[2 * i + 1] * next[2 * i + 1]);
        }
    };
    /** The exact dynamics as a model with zero noise. */
    static final DynamicsModel TRUE_DYNAMICS = new DynamicsModel() {
        @Override
        public int obsDim() {
            return 2;
        }

        @Override
        public int actDim() {
            return 1;
        }

        @Override
        public int size() {
            return 1;
        }

        @Override
        public int[] elites() {
            return new int[] {0};
        }

        @Override
        public Prediction predict(double[] obs, double[] act, int n, Propagation mode, int[] members, RandomGenerator rng) {
            double[] mean = new double[2 * n];
            for (int i = 0; i < n; i++) {
                double[] s = next(obs[2 * i], obs[2 * i + 1], act[i]);
                mean[2 * i] = s[0];
                mean[2 * i + 1] = s[1];
            }
            return new Prediction(n, 2, mean, new double[2 * n]);
        }
    };

    private final Box obsSpace = new Box(new double[] {-10, -10}, new double[] {10, 10});
    private final Box actSpace = new Box(new double[] {-1}, new double[] {1});
    private double x;
    private double v;
    private int t;
    boolean closed;

    static double[] next(double x, double v, double a) {
        double u = Math.max(-1, Math.min(1, a));
        double v2 = v + 0.1 * u;
        return new double[] {x + 0.1 * v2, v2};
    }

    @Override
    public Space observationSpace() {
        return obsSpace;
    }

    @Override
    public Space actionSpace() {
        return actSpace;
    }

    @Override
    public Reset reset(Long seed, Map<String, Object> options) {
        x = new SplittableRandom(seed == null ? 0 : seed).nextDouble(-1, 1);
        v = 0;
        t = 0;
        return new Reset(new double[] {x, v}, Map.of());
    }

    @Override
    public Step step(double[] action) {
        if (action.length != 1) {
            throw new IllegalArgumentException("Cart takes 1 action value, got " + action.length);
        }
        double[] s = next(x, v, action[0]);
        x = s[0];
        v = s[1];
        t++;
        double[] r = new double[1];
        REWARD.compute(1, null, action, s, r);
        return new Step(s, r[0], false, t >= LENGTH, Map.of());
    }

    @Override
    public void close() {
        closed = true;
    }
}
