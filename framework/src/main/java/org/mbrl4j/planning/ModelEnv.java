package org.mbrl4j.planning;

import org.mbrl4j.env.TerminationFn;

import org.mbrl4j.env.RewardFn;

import java.util.random.RandomGenerator;
import org.mbrl4j.model.DynamicsModel;
import org.mbrl4j.model.DynamicsModel.Propagation;

/**
 * Imagined rollouts through a learned {@link DynamicsModel}: every candidate sequence is rolled out by
 * {@code particles} particles, all candidates × particles batched into one model call per time step. Rewards come
 * from the environment's {@link RewardFn}, or from the model itself when it {@link DynamicsModel#predictsReward()
 * predicts rewards} and no function is given; a particle that terminated stops accumulating reward. A sequence's value is
 * the mean return over its particles. With {@link Propagation#TSINF} each particle keeps one ensemble member (drawn
 * from the elites) for the whole horizon.
 */
public final class ModelEnv {
    private final DynamicsModel model;
    private final RewardFn reward;
    private final TerminationFn termination;
    private final Propagation propagation;
    private final int particles;

    /**
     * Rollouts of {@code model} scored by {@code reward} (null: the model's own reward predictions) and
     * {@code termination} (null: never terminates).
     */
    public ModelEnv(DynamicsModel model, RewardFn reward, TerminationFn termination, Propagation propagation, int particles) {
        if (particles < 1) {
            throw new IllegalArgumentException("particles must be ≥ 1, got " + particles);
        }
        if (reward == null && !model.predictsReward()) {
            throw new IllegalArgumentException("imagined rollouts need a reward function or a model with a reward head");
        }
        this.model = model;
        this.reward = reward;
        this.termination = termination == null ? TerminationFn.NEVER : termination;
        this.propagation = propagation;
        this.particles = particles;
    }

    /** A {@link SequenceObjective} of sequences starting from {@code obs}. */
    public SequenceObjective objective(double[] obs, RandomGenerator rng) {
        return (n, sequences, values) -> evaluate(obs, n, sequences, rng, values);
    }

    /** Mean particle return of each of {@code n} sequences from observation {@code obs0}. */
    public void evaluate(double[] obs0, int n, double[] sequences, RandomGenerator rng, double[] values) {
        int d = model.obsDim();
        int m = model.actDim();
        int len = sequences.length / n;
        int horizon = len / m;
        int rows = n * particles;
        double[] obs = new double[rows * d];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(obs0, 0, obs, r * d, d);
        }
        int[] members = propagation == Propagation.TSINF ? model.assignMembers(rows, rng) : null;
        double[] act = new double[rows * m];
        double[] rew = new double[rows];
        boolean[] term = new boolean[rows];
        boolean[] done = new boolean[rows];
        double[] ret = new double[rows];
        for (int t = 0; t < horizon; t++) {
            for (int r = 0; r < rows; r++) {
                System.arraycopy(sequences, (r / particles) * len + t * m, act, r * m, m);
            }
            double[] next = advance(obs, act, rows, members, rng, rew, term);
            for (int r = 0; r < rows; r++) {
                if (!done[r]) {
                    ret[r] += rew[r];
                    done[r] = term[r];
                }
            }
            obs = next;
        }
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int p = 0; p < particles; p++) {
                double v = ret[i * particles + p];
                s += Double.isFinite(v) ? v : -1e300;
            }
            values[i] = s / particles;
        }
    }

    /**
     * One imagined step of {@code rows} particles: samples the next observations, fills {@code rew} (the task reward,
     * or the model's reward head) and {@code term}.
     */
    private double[] advance(double[] obs, double[] act, int rows, int[] members, RandomGenerator rng, double[] rew,
            boolean[] term) {
        int d = model.obsDim();
        double[] next = model.sample(obs, act, rows, propagation, members, rng);
        if (model.predictsReward()) {
            // the sampled reward is the last column; the rest is the next observation
            double[] nextObs = new double[rows * d];
            for (int r = 0; r < rows; r++) {
                System.arraycopy(next, r * (d + 1), nextObs, r * d, d);
                rew[r] = next[r * (d + 1) + d];
            }
            next = nextObs;
        }
        if (reward != null) {
            reward.compute(rows, obs, act, next, rew);
        }
        termination.compute(rows, obs, act, next, term);
        return next;
    }

    /**
     * Starts {@code n} imagined trajectories from {@code observations} ({@code n × obsDim}) for a policy to step
     * (MBPO-style model rollouts); with {@link Propagation#TSINF} each row keeps the member
     * {@link DynamicsModel#assignMembers assigned} here for all its steps.
     */
    public Rollout reset(double[] observations, int n, RandomGenerator rng) {
        if (n < 1 || observations.length != n * model.obsDim()) {
            throw new IllegalArgumentException("expected n ≥ 1 rows of " + model.obsDim() + " observation values, got n = "
                    + n + " and " + observations.length + " values");
        }
        return new Rollout(observations.clone(), n, propagation == Propagation.TSINF ? model.assignMembers(n, rng) : null,
                rng);
    }

    /**
     * One imagined step of every row.
     *
     * @param observations the observations stepped from ({@code n × obsDim})
     * @param actions      the actions taken ({@code n × actDim})
     * @param next         the sampled next observations ({@code n × obsDim})
     * @param rewards      the rewards of the step
     * @param terminated   whether the row's trajectory ended (a row that ended before is marked again)
     */
    public record Transition(double[] observations, double[] actions, double[] next, double[] rewards,
            boolean[] terminated) {
    }

    /** A batch of imagined trajectories, stepped by {@link #step}; rows stay in the batch after they terminate. */
    public final class Rollout {
        private double[] obs;
        private final int n;
        private final int[] members;
        private final RandomGenerator rng;
        private final boolean[] ended;

        private Rollout(double[] obs, int n, int[] members, RandomGenerator rng) {
            this.obs = obs;
            this.n = n;
            this.members = members;
            this.rng = rng;
            this.ended = new boolean[n];
        }

        /** The current observations ({@code n × obsDim}, a copy). */
        public double[] observations() {
            return obs.clone();
        }

        /** Whether row {@code i} has terminated. */
        public boolean ended(int i) {
            return ended[i];
        }

        /** Steps every row with {@code actions} ({@code n × actDim}). */
        public Transition step(double[] actions) {
            if (actions.length != n * model.actDim()) {
                throw new IllegalArgumentException("expected " + n + " rows of " + model.actDim() + " action values, got "
                        + actions.length);
            }
            double[] rew = new double[n];
            boolean[] term = new boolean[n];
            double[] from = obs;
            double[] next = advance(from, actions.clone(), n, members, rng, rew, term);
            for (int i = 0; i < n; i++) {
                ended[i] |= term[i];
                term[i] = ended[i];
            }
            obs = next;
            return new Transition(from, actions.clone(), next.clone(), rew, term);
        }
    }
}
