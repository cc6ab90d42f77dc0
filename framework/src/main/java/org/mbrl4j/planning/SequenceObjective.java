package org.mbrl4j.planning;

/**
 * The value of action sequences (higher is better), evaluated in batches so a model can score every candidate of a
 * planner iteration in one pass. Planners depend only on this, never on models.
 */
@FunctionalInterface
public interface SequenceObjective {

    /**
     * Writes the value of each of {@code n} sequences into {@code values}.
     *
     * @param n         number of sequences
     * @param sequences {@code n × (horizon · actDim)}, row-major, time-major within a row
     * @param values    at least {@code n} entries
     */
    void evaluate(int n, double[] sequences, double[] values);
}
