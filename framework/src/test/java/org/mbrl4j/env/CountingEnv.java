package org.mbrl4j.env;

import java.util.Map;

/** A deterministic test environment: the observation counts steps, the reward is the action, it terminates at {@code end}. */
class CountingEnv implements StatefulEnv {
    private final int end;
    private double t;
    private long seedUsed = -1;
    boolean closed;

    CountingEnv(int end) {
        this.end = end;
    }

    @Override
    public Space observationSpace() {
        return Box.uniform(0, 1000, 1);
    }

    @Override
    public Space actionSpace() {
        return Box.uniform(-1, 1, 1);
    }

    @Override
    public Reset reset(Long seed, Map<String, Object> options) {
        if (seed != null) {
            seedUsed = seed;
        }
        t = 0;
        return new Reset(new double[] {t}, Map.of("seed", seedUsed));
    }

    @Override
    public Step step(double[] action) {
        actionSpace().requireContains("action", action);
        t++;
        return new Step(new double[] {t}, action[0], t >= end, false, Map.of());
    }

    @Override
    public double[] getState() {
        return new double[] {t};
    }

    @Override
    public double[] setState(double[] state) {
        t = state[0];
        return new double[] {t};
    }

    @Override
    public String[] stateNames() {
        return new String[] {"t"};
    }

    @Override
    public void close() {
        closed = true;
    }
}
