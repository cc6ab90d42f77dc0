package org.mbrl4j.cli;

import java.util.concurrent.atomic.AtomicInteger;
import org.mbrl4j.env.Space;
import org.mbrl4j.planning.PlannerProvider;
import org.mbrl4j.planning.TrajectoryOptimizer;

/**
 * A plugin planner for {@code PluginTest}: id {@code test-zero}, always plans zero actions. It is registered only in a
 * jar the test writes (no services file on the test classpath), so finding it proves the plugin path.
 */
public final class ZeroPlannerProvider implements PlannerProvider {
    static final AtomicInteger CREATED = new AtomicInteger();

    @Override
    public String id() {
        return "test-zero";
    }

    @Override
    public String accepted() {
        return "any actions";
    }

    @Override
    public boolean accepts(Space actions) {
        return true;
    }

    @Override
    public TrajectoryOptimizer create(Settings s) {
        CREATED.incrementAndGet();
        int length = s.horizon() * s.actions().flatDim();
        return new TrajectoryOptimizer() {
            @Override
            public double[] optimize(org.mbrl4j.planning.SequenceObjective objective, double[] initial,
                    java.util.random.RandomGenerator rng) {
                return new double[length];
            }

            @Override
            public int sequenceLength() {
                return length;
            }
        };
    }
}
