package org.mbrl4j.planning;

import java.util.function.Consumer;
import org.mbrl4j.env.Box;
import org.mbrl4j.env.Space;

/**
 * Service-provider interface for trajectory optimisers, found by id like environments and objectives: list
 * implementations in {@code META-INF/services/org.mbrl4j.planning.PlannerProvider} (a jar on the classpath, e.g. in
 * {@code plugins/}, adds one). {@link Planners#create} picks one by id.
 */
public interface PlannerProvider {

    /**
     * What every planner is sized by.
     *
     * @param actions    the action space planned over
     * @param horizon    planning horizon (time steps)
     * @param population candidate sequences per iteration
     * @param iterations iterations per plan
     * @param listener   receives every iteration (may be null)
     */
    record Settings(Space actions, int horizon, int population, int iterations, Consumer<TrajectoryOptimizer.Iteration> listener) {
    }

    /** The id the planner is selected by, e.g. {@code cem}. */
    String id();

    /** Which action spaces it plans over, for messages, e.g. {@code Box actions} or {@code Discrete actions}. */
    String accepted();

    /** Whether it can plan over {@code actions}. */
    boolean accepts(Space actions);

    /** Creates the planner; called only with a space it {@link #accepts}. */
    TrajectoryOptimizer create(Settings settings);

    /** For providers of bounded-box planners: the space as a bounded {@link Box}. */
    static boolean boundedBox(Space s) {
        return s instanceof Box b && b.isBounded();
    }
}
