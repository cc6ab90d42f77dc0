package org.mbrl4j.agents;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;
import org.mbrl4j.planning.SequenceObjective;
import org.mbrl4j.planning.TrajectoryOptimizer;

/**
 * Model-predictive control: plan an action sequence for the current observation, execute its first action, replan
 * every {@code replanEvery} steps from the previous plan shifted by the executed steps (warm start). Its state (the
 * plan and the steps executed from it) is checkpointed, so a resumed run continues mid-plan exactly.
 */
public final class MpcAgent implements Agent {
    private final TrajectoryOptimizer optimizer;
    private final BiFunction<double[], RandomGenerator, SequenceObjective> objectiveAt;
    private final int actDim;
    private final int replanEvery;
    private final Consumer<double[]> onPlan;
    private double[] plan;
    private int sinceReplan;

    /**
     * @param optimizer   the trajectory optimiser
     * @param objectiveAt the sequence objective from an observation and the step's randomness (e.g. imagined rollouts
     *                    through a model)
     * @param actDim      action dimension
     * @param replanEvery steps between plans (≥ 1, ≤ the horizon)
     * @param onPlan      called with every new plan (may be null)
     */
    public MpcAgent(TrajectoryOptimizer optimizer, BiFunction<double[], RandomGenerator, SequenceObjective> objectiveAt,
            int actDim, int replanEvery, Consumer<double[]> onPlan) {
        if (replanEvery < 1 || replanEvery > optimizer.sequenceLength() / actDim) {
            throw new IllegalArgumentException("replanEvery must be in 1.." + optimizer.sequenceLength() / actDim
                    + " (the horizon), got " + replanEvery);
        }
        this.optimizer = optimizer;
        this.objectiveAt = objectiveAt;
        this.actDim = actDim;
        this.replanEvery = replanEvery;
        this.onPlan = onPlan;
        reset();
    }

    @Override
    public double[] act(double[] obs, RandomGenerator rng) {
        if (sinceReplan % replanEvery == 0) {
            double[] warm = new double[plan.length];
            int shift = Math.min(sinceReplan, plan.length / actDim) * actDim;
            System.arraycopy(plan, shift, warm, 0, plan.length - shift);
            plan = optimizer.optimize(objectiveAt.apply(obs, rng), warm, rng);
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

    @Override
    public void reset() {
        plan = new double[optimizer.sequenceLength()];
        sinceReplan = 0;
    }

    @Override
    public Map<String, Object> state(Path dir) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("plan", Arrays.stream(plan).boxed().toList());
        m.put("since_replan", sinceReplan);
        return m;
    }

    @Override
    public void restore(Map<String, Object> state, Path dir) {
        double[] p = RunCheckpointer.doubles(state, "plan");
        int since = RunCheckpointer.number(state, "since_replan").intValue();
        if (p.length != optimizer.sequenceLength() || since < 0) {
            throw new IllegalArgumentException("a plan of " + optimizer.sequenceLength() + " values and steps ≥ 0 expected, got "
                    + p.length + " values and " + since + " steps");
        }
        this.plan = p;
        this.sinceReplan = since;
    }
}
