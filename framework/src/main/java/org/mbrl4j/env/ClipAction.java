package org.mbrl4j.env;

/**
 * Clips continuous actions into the wrapped environment's {@link Box}; the exposed action space is unbounded, as in
 * {@code gymnasium.wrappers.ClipAction}.
 */
public final class ClipAction extends Wrapper {
    private final Box box;
    private final Box space;

    /** Wraps {@code env}, whose action space must be a {@link Box}. */
    public ClipAction(Env env) {
        super(env);
        if (!(env.actionSpace() instanceof Box b)) {
            throw new IllegalArgumentException("ClipAction needs a Box action space, got " + env.actionSpace());
        }
        this.box = b;
        this.space = Box.uniform(Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, b.flatDim());
    }

    @Override
    public Space actionSpace() {
        return space;
    }

    @Override
    public Step step(double[] action) {
        if (action == null || action.length != box.flatDim()) {
            throw new IllegalArgumentException("action must have " + box.flatDim() + " components, got "
                    + (action == null ? "null" : action.length));
        }
        return env.step(box.clip(action));
    }
}
