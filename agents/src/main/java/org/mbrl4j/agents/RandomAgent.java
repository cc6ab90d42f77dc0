package org.mbrl4j.agents;

import java.util.random.RandomGenerator;
import org.mbrl4j.env.Space;

/** Uniformly random actions from the action space. */
public final class RandomAgent implements Agent {
    private final Space space;
    private final RandomGenerator rng;

    /** Samples {@code space} with {@code rng}. */
    public RandomAgent(Space space, RandomGenerator rng) {
        this.space = space;
        this.rng = rng;
    }

    @Override
    public double[] act(double[] obs) {
        return space.sample(rng);
    }
}
