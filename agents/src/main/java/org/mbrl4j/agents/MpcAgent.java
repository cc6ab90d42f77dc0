package org.mbrl4j.agents;

import java.util.function.Function;
import java.util.random.RandomGenerator;
import org.mbrl4j.planning.SequenceObjective;
import org.mbrl4j.planning.TrajectoryOptimizer;

/**
 * Model-predictive control: plan an action sequence for the current observation, execute its first action, replan
 * every {@code replanEvery} steps from the previous plan shifted by the executed steps (warm start).
 */
public final class MpcAgent implements Agent {
    private final TrajectoryOptimizer optimizer;
    private final Function<double[], SequenceObjective> objectiveAt;
    private final int actDim;
    private final int replanEvery;
    private final RandomGenerator rng;
    private final java.util.function.Consumer<double[]> onPlan;
    private double[] plan;
    private int sinceReplan;

    /**
     * @param optimizer   the trajectory optimiser
     * @param objectiveAt the sequence objective from an observation (e.g. imagined rollouts through a model)
     * @param actDim      action dimension
     * @param replanEvery steps between plans (≥ 1)
     * @param rng         randomness of the optimiser
     * @param onPlan      called with every new plan (may be null)
     */
    public MpcAgent(TrajectoryOptimizer optimizer, Function<double[], SequenceObjective> objectiveAt, int actDim,
            int replanEvery, RandomGenerator rng, java.util.function.Consumer<double[]> onPlan) {
        if (replanEvery < 1) {
            throw new IllegalArgumentException("replanEvery must be ≥ 1, got " + replanEvery);
        }
        this.optimizer = optimizer;
        this.objectiveAt = objectiveAt;
        this.actDim = actDim;
        this.replanEvery = replanEvery;
        this.rng = rng;
        this.onPlan = onPlan;
        reset();
    }

    @Override
    public double[] act(double[] obs) {
        if (sinceReplan % replanEvery == 0) {
            double[] warm = new double[plan.length];
            int shift = Math.min(sinceReplan, plan.length / actDim) * actDim;
            System.arraycopy(plan, shift, warm, 0, plan.length - shift);
            plan = optimizer.optimize(objectiveAt.apply(obs), warm, rng);
            sinceReplan = 0;
            if (onPlan != null) {
                onPlan.accept(plan);
            }
        }
        double[] a = new double[actDim];
        System.arraycopy(plan, sinceReplan * actDim, a, 0, actDim);
        sinceReplan++;
        return a;
    }

    /** The current plan (a copy) and the steps executed from it: the state a checkpoint needs to continue exactly. */
    public double[] plan() {
        return plan.clone();
    }

    /** Steps executed since the last plan. */
    public int sinceReplan() {
        return sinceReplan;
    }

    /** Continues from a state read by {@link #plan()} and {@link #sinceReplan()}. */
    public void restore(double[] plan, int sinceReplan) {
        if (plan.length != optimizer.sequenceLength() || sinceReplan < 0) {
            throw new IllegalArgumentException("a plan of " + optimizer.sequenceLength() + " values and steps ≥ 0 expected, got "
                    + plan.length + " values and " + sinceReplan + " steps");
        }
        this.plan = plan.clone();
        this.sinceReplan = sinceReplan;
    }

    @Override
    public void reset() {
        plan = new double[optimizer.sequenceLength()];
        sinceReplan = 0;
    }
}
