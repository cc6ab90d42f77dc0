package org.mbrl4j.env;

/**
 * Affinely maps actions from {@code [min, max]} to the wrapped environment's {@link Box} bounds, like
 * {@code gymnasium.wrappers.RescaleAction}.
 */
public final class RescaleAction extends Wrapper {
    private final Box inner;
    private final Box space;

    /** Exposes {@code Box(min, max)} per component over {@code env}'s bounded Box action space. */
    public RescaleAction(Env env, double min, double max) {
        super(env);
        if (!(env.actionSpace() instanceof Box b) || !b.isBounded()) {
            throw new IllegalArgumentException("RescaleAction needs a bounded Box action space, got " + env.actionSpace());
        }
        if (!(min < max)) {
            throw new IllegalArgumentException("RescaleAction needs min < max, got [" + min + ", " + max + "]");
        }
        this.inner = b;
        this.space = Box.uniform(min, max, b.flatDim());
    }

    @Override
    public Space actionSpace() {
        return space;
    }

    @Override
    public Step step(double[] action) {
        space.requireContains("action", action);
        double[] a = new double[action.length];
        for (int i = 0; i < a.length; i++) {
            double t = (action[i] - space.low(i)) / (space.high(i) - space.low(i));
            a[i] = Math.min(Math.max(inner.low(i) + (inner.high(i) - inner.low(i)) * t, inner.low(i)), inner.high(i));
        }
        return env.step(a);
    }
}
