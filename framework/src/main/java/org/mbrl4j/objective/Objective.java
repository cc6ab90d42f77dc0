package org.mbrl4j.objective;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.mbrl4j.plugin.Plugins;
import java.util.random.RandomGenerator;

/**
 * How a Gaussian model is trained: a loss of the model's head outputs (mean and log σ, in model space) against the
 * targets, and its gradient with respect to those outputs, which the model back-propagates. Implementations are found
 * by name through {@link ObjectiveProvider} services, so a jar on the classpath can add one.
 */
public interface Objective {

    /** The objective's name, e.g. {@code nll}. */
    String name();

    /**
     * Evaluates the loss on a batch.
     *
     * @param out     the model's head outputs for the batch
     * @param targets {@code batch × dim} targets, row-major, in model space
     * @param rng     randomness for sampling objectives
     * @param dMean   when not null, receives dLoss/dmean ({@code batch × dim})
     * @param dLogStd when not null, receives dLoss/dlogσ ({@code batch × dim})
     * @return the loss and the reference's metrics
     */
    Evaluation evaluate(GaussianOutput out, double[] targets, RandomGenerator rng, double[] dMean, double[] dLogStd);

    /**
     * The loss and metrics of one evaluation.
     *
     * @param loss    the objective's value
     * @param metrics at least {@code loss}, {@code rmse}, {@code nll}, {@code entropy}; {@code reward_mean} for PG
     */
    record Evaluation(double loss, Map<String, Double> metrics) {
    }

    /**
     * Creates the objective {@code name} from its options; {@code trainTargets} ({@code n × dim}, model space) are
     * what data-dependent rewards (e.g. Σ̂ of the targets) are computed from.
     */
    static Objective create(String name, Map<String, Object> options, double[] trainTargets, int dim) {
        return create(name, options, ObjectiveContext.of(trainTargets, dim));
    }

    /**
     * Creates the objective {@code name} from its options and {@code context}: the training data and, for objectives
     * that fit something first (PG's {@code conditional} and {@code learned} rewards), the model to fit with.
     */
    static Objective create(String name, Map<String, Object> options, ObjectiveContext context) {
        Map<String, ObjectiveProvider> byName = Plugins.byId(ObjectiveProvider.class,
                ObjectiveProvider::name);
        ObjectiveProvider p = byName.get(name);
        if (p == null) {
            throw new IllegalArgumentException("unknown objective '" + name + "'; available: " + byName.keySet());
        }
        List<String> unknown = new ArrayList<>(options.keySet());
        unknown.removeAll(p.options());
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("objective " + name + " does not accept option(s) " + unknown
                    + "; accepted: " + new java.util.TreeSet<>(p.options()));
        }
        return p.create(options, context);
    }
}
