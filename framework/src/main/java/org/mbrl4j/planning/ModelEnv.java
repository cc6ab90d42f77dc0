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
    /** Sizes of evaluation kept with their buffers: every population size of an iCEM plan (~6) and more. */
    private static final int CACHED_SIZES = 16;
    private final DynamicsModel model;
    private final RewardFn reward;
    private final TerminationFn termination;
    private final Propagation propagation;
    private final int particles;
    private final int threads;
    /** Buffers per row count, least recently used first. */
    private final java.util.Map<Integer, Work> work = new java.util.LinkedHashMap<>(8, 0.75f, true);

    /**
     * Rollouts of {@code model} scored by {@code reward} (null: the model's own reward predictions) and
     * {@code termination} (null: never terminates), on the calling thread.
     */
    public ModelEnv(DynamicsModel model, RewardFn reward, TerminationFn termination, Propagation propagation, int particles) {
        this(model, reward, termination, propagation, particles, 1);
    }

    /**
     * Rollouts whose model evaluations may use {@code threads} Java threads (an ensemble spreads its members over
     * them; ND4J should then run one thread each). The results do not depend on {@code threads}.
     */
    public ModelEnv(DynamicsModel model, RewardFn reward, TerminationFn termination, Propagation propagation, int particles,
            int threads) {
        if (particles < 1) {
            throw new IllegalArgumentException("particles must be ≥ 1, got " + particles);
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be ≥ 1, got " + threads);
        }
        if (reward == null && !model.predictsReward()) {
            throw new IllegalArgumentException("imagined rollouts need a reward function or a model with a reward head");
        }
        this.model = model;
        this.reward = reward;
        this.termination = termination == null ? TerminationFn.NEVER : termination;
        this.propagation = propagation;
        this.particles = particles;
        this.threads = threads;
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
        Work w = work(rows);
        for (int r = 0; r < rows; r++) {
            System.arraycopy(obs0, 0, w.obs, r * d, d);
        }
        int[] members = propagation == Propagation.TSINF ? model.assignMembers(rows, rng) : null;
        java.util.Arrays.fill(w.done, false);
        java.util.Arrays.fill(w.ret, 0);
        for (int t = 0; t < horizon; t++) {
            for (int r = 0; r < rows; r++) {
                System.arraycopy(sequences, (r / particles) * len + t * m, w.act, r * m, m);
            }
            w.advance(members, rng);
            for (int r = 0; r < rows; r++) {
                if (!w.done[r]) {
                    w.ret[r] += w.rew[r];
                    w.done[r] = w.term[r];
                }
            }
            w.swap();
        }
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int p = 0; p < particles; p++) {
                double v = w.ret[i * particles + p];
                s += Double.isFinite(v) ? v : -1e300;
            }
            values[i] = s / particles;
        }
    }

    private Work work(int rows) {
        Work w = work.get(rows);
        if (w == null) {
            w = new Work(rows);
            work.put(rows, w);
            if (work.size() > CACHED_SIZES) {
                work.remove(work.keySet().iterator().next()).sampler.close();
            }
        }
        return w;
    }

    /**
     * The buffers of imagined steps of a fixed number of rows, reused across steps and calls: observations stepped
     * from and to (swapped after each step), actions, the model's samples, rewards and terminations.
     */
    private final class Work {
        final int rows;
        final DynamicsModel.Sampler sampler;
        double[] obs;
        double[] next;
        final double[] act;
        /** With a reward head: the model's samples, observation then reward; else null (it samples into next). */
        final double[] sampled;
        final double[] rew;
        final boolean[] term;
        final boolean[] done;
        final double[] ret;

        Work(int rows) {
            this.rows = rows;
            int d = model.obsDim();
            sampler = model.sampler(rows, propagation, threads);
            obs = new double[rows * d];
            next = new double[rows * d];
            act = new double[rows * model.actDim()];
            sampled = model.predictsReward() ? new double[rows * (d + 1)] : null;
            rew = new double[rows];
            term = new boolean[rows];
            done = new boolean[rows];
            ret = new double[rows];
        }

        /** One imagined step from {@link #obs} with {@link #act}: fills {@link #next}, {@link #rew} and {@link #term}. */
        void advance(int[] members, RandomGenerator rng) {
            int d = model.obsDim();
            sampler.sample(obs, act, members, rng, sampled != null ? sampled : next);
            if (sampled != null) {
                // the sampled reward is the last column; the rest is the next observation
                for (int r = 0; r < rows; r++) {
                    System.arraycopy(sampled, r * (d + 1), next, r * d, d);
                    rew[r] = sampled[r * (d + 1) + d];
                }
            }
            if (reward != null) {
                reward.compute(rows, obs, act, next, rew);
            }
            termination.compute(rows, obs, act, next, term);
        }

        void swap() {
            double[] t = obs;
            obs = next;
            next = t;
        }
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
        return new Rollout(observations, n, propagation == Propagation.TSINF ? model.assignMembers(n, rng) : null, rng);
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
        private final Work w;
        private final int n;
        private final int[] members;
        private final RandomGenerator rng;
        private final boolean[] ended;

        private Rollout(double[] obs, int n, int[] members, RandomGenerator rng) {
            this.w = new Work(n);
            System.arraycopy(obs, 0, w.obs, 0, obs.length);
            this.n = n;
            this.members = members;
            this.rng = rng;
            this.ended = new boolean[n];
        }

        /** The current observations ({@code n × obsDim}, a copy). */
        public double[] observations() {
            return w.obs.clone();
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
            System.arraycopy(actions, 0, w.act, 0, actions.length);
            double[] from = w.obs.clone();
            w.advance(members, rng);
            boolean[] term = new boolean[n];
            for (int i = 0; i < n; i++) {
                ended[i] |= w.term[i];
                term[i] = ended[i];
            }
            w.swap();
            return new Transition(from, actions.clone(), w.obs.clone(), w.rew.clone(), term);
        }
    }
}
