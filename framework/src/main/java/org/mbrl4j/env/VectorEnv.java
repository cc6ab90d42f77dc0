package org.mbrl4j.env;

import java.util.List;
import java.util.Map;

/**
 * N copies of an environment stepped together, with Gymnasium 1.x autoreset semantics. Planners and data collection
 * work on batches.
 */
public interface VectorEnv extends AutoCloseable {

    /** How an environment whose episode ended is reset, as Gymnasium's {@code AutoresetMode}. */
    enum AutoresetMode {
        /**
         * Gymnasium's default: the step after an episode ended resets that environment and returns the reset
         * observation with reward 0; its action is ignored and the step is not a transition.
         */
        NEXT_STEP,
        /**
         * The ending step resets at once: it returns the reset observation, and the true final observation and info
         * go into {@code info["final_obs"]} and {@code info["final_info"]}.
         */
        SAME_STEP
    }

    /** Info key of the final observation of an ended episode (SAME_STEP). */
    String FINAL_OBS = "final_obs";
    /** Info key of the final info of an ended episode (SAME_STEP). */
    String FINAL_INFO = "final_info";

    /** Number of environments. */
    int numEnvs();

    /** Observation space of one environment. */
    Space singleObservationSpace();

    /** Action space of one environment. */
    Space singleActionSpace();

    /** The autoreset mode. */
    AutoresetMode autoresetMode();

    /** Resets all environments; environment i is seeded with {@code seed + i} when the seed is not null. */
    VectorReset reset(Long seed);

    /** Steps every environment with its row of {@code actions}. */
    VectorStep step(double[][] actions);

    @Override
    void close();

    /**
     * Result of {@link #reset}.
     *
     * @param observations one row per environment
     * @param infos        one map per environment
     */
    record VectorReset(double[][] observations, List<Map<String, Object>> infos) {
    }

    /**
     * Result of {@link #step}.
     *
     * @param observations one row per environment (after autoreset where one happened in SAME_STEP mode)
     * @param rewards      per environment
     * @param terminated   per environment
     * @param truncated    per environment
     * @param resetStep    per environment: true when this step only reset it (NEXT_STEP mode); not a transition
     * @param infos        one map per environment
     */
    record VectorStep(double[][] observations, double[] rewards, boolean[] terminated, boolean[] truncated,
            boolean[] resetStep, List<Map<String, Object>> infos) {

        /** Whether row i is a real transition of its environment (false for NEXT_STEP reset steps). */
        public boolean isTransition(int i) {
            return !resetStep[i];
        }

        /**
         * The next observation of the transition in row i: the final observation for an episode that ended in
         * SAME_STEP mode, the returned observation otherwise. Never crosses an episode boundary.
         */
        public double[] transitionNextObs(int i) {
            if (resetStep[i]) {
                throw new IllegalStateException("row " + i + " is an autoreset step, not a transition");
            }
            Object f = infos.get(i).get(FINAL_OBS);
            return f instanceof double[] d ? d : observations[i];
        }
    }
}
