package org.mbrl4j.env;

import java.util.Map;

/** Base of environment wrappers: delegates everything to the wrapped environment unless overridden. */
public abstract class Wrapper implements Env {
    /** The wrapped environment. */
    protected final Env env;

    /** Wraps {@code env}. */
    protected Wrapper(Env env) {
        this.env = java.util.Objects.requireNonNull(env, "env");
    }

    /** The directly wrapped environment. */
    public Env inner() {
        return env;
    }

    @Override
    public Space observationSpace() {
        return env.observationSpace();
    }

    @Override
    public Space actionSpace() {
        return env.actionSpace();
    }

    @Override
    public Reset reset(Long seed, Map<String, Object> options) {
        return env.reset(seed, options);
    }

    @Override
    public Step step(double[] action) {
        return env.step(action);
    }

    @Override
    public Frame render() {
        return env.render();
    }

    @Override
    public Env unwrapped() {
        return env.unwrapped();
    }

    @Override
    public void close() {
        env.close();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "<" + env + ">";
    }
}
