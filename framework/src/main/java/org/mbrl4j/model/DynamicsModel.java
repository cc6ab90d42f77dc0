package org.mbrl4j.model;

import org.mbrl4j.random.ZigguratNormal;

import java.util.random.RandomGenerator;
import org.mbrl4j.random.Shuffle;

/**
 * A learned, probabilistic model of the next observation given observation and action, queried in batches of
 * row-major arrays. Implementations handle their own input normalisation and target parameterisation (absolute or
 * delta), so predictions are always of the raw next observation. Models holding native buffers free them on
 * {@link #close}.
 */
public interface DynamicsModel extends AutoCloseable {

    /** Frees what the model holds outside the Java heap (default: nothing); the model must not be used afterwards. */
    @Override
    default void close() {
    }

    /** How particles are propagated through an ensemble (PETS). */
    enum Propagation {
        /** Each row uses a member drawn uniformly from the elites at every call. */
        TS1,
        /** Row i uses member {@code members[i]} (fixed per particle for a whole trajectory). */
        TSINF,
        /** Every row uses the moment-matched mixture of all elites (mean of means). */
        EXPECTATION
    }

    /**
     * A batch of Gaussian predictions of the next observation (then the reward, for a model that
     * {@link #predictsReward()}).
     *
     * @param n    rows
     * @param dim  observation dimension, plus one with a reward
     * @param mean {@code n × dim}, row-major
     * @param std  {@code n × dim}, row-major
     */
    record Prediction(int n, int dim, double[] mean, double[] std) {
    }

    /** Observation dimension. */
    int obsDim();

    /** Action dimension. */
    int actDim();

    /** Whether predictions carry the transition's reward as their last column (a learned reward head). */
    default boolean predictsReward() {
        return false;
    }

    /** Number of members (1 for a single model). */
    int size();

    /** Indices of the members used for prediction (all, or the elites). */
    int[] elites();

    /**
     * The member of each of {@code rows} particles for {@link Propagation#TSINF}: a random but balanced assignment to
     * the elites (row r gets elite r mod k, then the rows are shuffled with {@code rng}), so every member gets the same
     * number of particles at every call and its batch buffers are reused.
     */
    default int[] assignMembers(int rows, RandomGenerator rng) {
        int[] elites = elites();
        int[] members = new int[rows];
        for (int r = 0; r < rows; r++) {
            members[r] = elites[r % elites.length];
        }
        Shuffle.shuffle(members, rng);
        return members;
    }

    /**
     * Predicts the next-observation distribution of {@code n} rows.
     *
     * @param members member per row for {@link Propagation#TSINF}, else ignored (may be null)
     * @param rng     member draws for {@link Propagation#TS1}
     */
    Prediction predict(double[] obs, double[] act, int n, Propagation mode, int[] members, RandomGenerator rng);

    /**
     * Samples the next observations (and rewards, with a reward head) of a fixed number of rows again and again, as a
     * planner's horizon does, into a caller-owned array; implementations keep their buffers between calls. Closing it
     * frees them.
     */
    interface Sampler extends AutoCloseable {
        /**
         * Fills {@code out} ({@code rows × (obsDim, plus one with a reward)}) with a sample of the next step of each
         * row, as {@link DynamicsModel#sample} does.
         *
         * @param members member per row for {@link Propagation#TSINF}, else ignored (may be null)
         */
        void sample(double[] obs, double[] act, int[] members, RandomGenerator rng, double[] out);

        @Override
        default void close() {
        }
    }

    /**
     * A {@link Sampler} of {@code rows} rows in propagation {@code mode}, which may use {@code threads} threads
     * (default: {@link #sample} on the calling thread).
     */
    default Sampler sampler(int rows, Propagation mode, int threads) {
        return (obs, act, members, rng, out) -> {
            double[] s = sample(obs, act, rows, mode, members, rng);
            System.arraycopy(s, 0, out, 0, s.length);
        };
    }

    /** Samples next observations: the prediction's mean plus its std times standard normal noise. */
    default double[] sample(double[] obs, double[] act, int n, Propagation mode, int[] members, RandomGenerator rng) {
        Prediction p = predict(obs, act, n, mode, members, rng);
        ZigguratNormal z = new ZigguratNormal(rng);
        double[] s = new double[p.mean().length];
        for (int i = 0; i < s.length; i++) {
            s[i] = p.mean()[i] + p.std()[i] * z.next();
        }
        return s;
    }
}
