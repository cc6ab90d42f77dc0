package org.mbrl4j.env;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * Checks that an environment honours the {@link Env} contract, like {@code gymnasium.utils.env_checker.check_env}:
 * spaces, observation membership, finite rewards, the reset/step contract, determinism under the same seed, and the
 * get/set-state round trip of {@link StatefulEnv}s.
 */
public final class EnvChecker {
    private final int steps;

    /** A checker that runs {@code steps} random-action steps per check (episodes restart as needed). */
    public EnvChecker(int steps) {
        if (steps <= 0) {
            throw new IllegalArgumentException("steps must be positive, got " + steps);
        }
        this.steps = steps;
    }

    /** Runs every check on fresh environments from {@code factory}; returns the problems found (empty when none). */
    public List<String> check(Supplier<Env> factory, long seed) {
        List<String> problems = new ArrayList<>();
        try (Env a = factory.get(); Env b = factory.get()) {
            checkSpaces(a, problems);
            if (!problems.isEmpty()) {
                return problems;
            }
            List<double[]> actions = actions(a.actionSpace(), seed);
            List<Object> runA = run(a, seed, actions, problems);
            List<Object> runB = run(b, seed, actions, problems);
            if (problems.isEmpty() && !sameRun(runA, runB)) {
                problems.add("not deterministic: two environments reset with seed " + seed
                        + " and given the same actions produced different observations or rewards");
            }
            double[] r1 = a.reset(seed).observation();
            double[] r2 = a.reset(seed).observation();
            if (!Arrays.equals(r1, r2)) {
                problems.add("reset(" + seed + ") twice gave different observations " + Arrays.toString(r1) + " and "
                        + Arrays.toString(r2));
            }
            Reset r3 = a.reset(null, java.util.Map.of());
            if (!a.observationSpace().contains(r3.observation())) {
                problems.add("reset() without seed gave an observation outside the space");
            }
            if (a.unwrapped() instanceof StatefulEnv) {
                checkState(a, b, seed, actions, problems);
            }
        } catch (RuntimeException e) {
            problems.add("threw " + e);
        }
        return problems;
    }

    /** Like {@link #check} but throws an {@link AssertionError} listing the problems. */
    public void checkOrThrow(String name, Supplier<Env> factory, long seed) {
        List<String> p = check(factory, seed);
        if (!p.isEmpty()) {
            throw new AssertionError(name + " fails the env checker:\n  " + String.join("\n  ", p));
        }
    }

    private static void checkSpaces(Env env, List<String> problems) {
        if (env.observationSpace() == null || env.actionSpace() == null) {
            problems.add("observationSpace() and actionSpace() must not be null");
            return;
        }
        SplittableRandom rng = new SplittableRandom(0);
        for (Space s : List.of(env.observationSpace(), env.actionSpace())) {
            for (int i = 0; i < 20; i++) {
                double[] x = s.sample(rng);
                if (!s.contains(x)) {
                    problems.add(s + " does not contain its own sample " + Arrays.toString(x));
                    return;
                }
            }
        }
    }

    private List<double[]> actions(Space space, long seed) {
        SplittableRandom rng = new SplittableRandom(seed ^ 0x5DEECE66DL);
        List<double[]> a = new ArrayList<>(steps);
        for (int i = 0; i < steps; i++) {
            a.add(space.sample(rng));
        }
        return a;
    }

    private List<Object> run(Env env, long seed, List<double[]> actions, List<String> problems) {
        List<Object> trace = new ArrayList<>();
        Reset r = env.reset(seed);
        checkObs(env, "reset", r.observation(), problems);
        if (r.info() == null) {
            problems.add("reset returned a null info");
        }
        trace.add(r.observation());
        int episodes = 0;
        for (double[] a : actions) {
            Step s = env.step(a);
            checkObs(env, "step", s.observation(), problems);
            if (!Double.isFinite(s.reward())) {
                problems.add("step returned a non-finite reward " + s.reward());
            }
            trace.add(s.observation());
            trace.add(s.reward());
            trace.add(s.terminated());
            trace.add(s.truncated());
            if (!problems.isEmpty()) {
                return trace;
            }
            if (s.done()) {
                episodes++;
                Reset rr = env.reset();
                checkObs(env, "reset after episode " + episodes, rr.observation(), problems);
                trace.add(rr.observation());
            }
        }
        return trace;
    }

    private static void checkObs(Env env, String where, double[] obs, List<String> problems) {
        if (obs == null) {
            problems.add(where + " returned a null observation");
        } else if (!env.observationSpace().contains(obs)) {
            problems.add(where + " returned observation " + Arrays.toString(obs) + " outside " + env.observationSpace());
        }
    }

    private void checkState(Env a, Env b, long seed, List<double[]> actions, List<String> problems) {
        StatefulEnv sa = StatefulEnv.of(a);
        StatefulEnv sb = StatefulEnv.of(b);
        a.reset(seed);
        int k = Math.min(5, actions.size());
        for (int i = 0; i < k; i++) {
            if (a.step(actions.get(i)).done()) {
                a.reset();
            }
        }
        double[] state = sa.getState();
        if (state.length != sa.stateNames().length) {
            problems.add("getState() has " + state.length + " entries but stateNames() names " + sa.stateNames().length);
        }
        b.reset(seed + 1);
        double[] obsB = sb.setState(state);
        if (!Arrays.equals(sb.getState(), state)) {
            problems.add("setState then getState did not round-trip: " + Arrays.toString(state) + " vs "
                    + Arrays.toString(sb.getState()));
        }
        if (!b.observationSpace().contains(obsB)) {
            problems.add("setState returned an observation outside the space");
        }
        Step x = sa.step(actions.get(k % actions.size()));
        Step y = sb.step(actions.get(k % actions.size()));
        if (!Arrays.equals(x.observation(), y.observation()) || x.reward() != y.reward()) {
            problems.add("stepping from the same state gave different results after setState");
        }
    }

    private static boolean sameRun(List<Object> a, List<Object> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            Object x = a.get(i);
            Object y = b.get(i);
            boolean same = x instanceof double[] dx && y instanceof double[] dy ? Arrays.equals(dx, dy) : x.equals(y);
            if (!same) {
                return false;
            }
        }
        return true;
    }
}
