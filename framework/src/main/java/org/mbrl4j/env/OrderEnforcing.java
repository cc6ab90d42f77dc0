package org.mbrl4j.env;

import java.util.Map;

/**
 * Fails fast when {@code step} is called before the first {@code reset} or after the episode ended without a new
 * {@code reset}: stepping a finished episode is undefined in Gymnasium and silently corrupts collected data.
 */
public final class OrderEnforcing extends Wrapper {
    private boolean needsReset = true;
    private boolean everReset;

    /** Wraps {@code env}. */
    public OrderEnforcing(Env env) {
        super(env);
    }

    @Override
    public Reset reset(Long seed, Map<String, Object> options) {
        Reset r = env.reset(seed, options);
        needsReset = false;
        everReset = true;
        return r;
    }

    @Override
    public Step step(double[] action) {
        if (needsReset) {
            throw new IllegalStateException(everReset
                    ? "step() called after the episode ended (terminated or truncated); call reset() first"
                    : "step() called before reset(); call reset() first");
        }
        Step s = env.step(action);
        needsReset = s.done();
        return s;
    }
}
