package org.mbrl4j.planning;

import java.util.random.RandomGenerator;

/** Finds a good action sequence for a {@link SequenceObjective} (CEM, random shooting, …). */
public interface TrajectoryOptimizer {

    /**
     * One planner iteration, for events and dashboards.
     *
     * @param iteration iteration within this optimisation
     * @param best      best value seen so far
     * @param mean      mean value of the population
     * @param eliteMean mean value of the elites
     * @param std       mean standard deviation of the sampling distribution
     */
    record Iteration(int iteration, double best, double mean, double eliteMean, double std) {
    }

    /**
     * Optimises from {@code initial} (a warm start, e.g. the previous plan shifted by one step).
     *
     * @return the chosen sequence, {@code horizon · actDim} values
     */
    double[] optimize(SequenceObjective objective, double[] initial, RandomGenerator rng);

    /** Length of the sequences in values ({@code horizon · actDim}). */
    int sequenceLength();
}
