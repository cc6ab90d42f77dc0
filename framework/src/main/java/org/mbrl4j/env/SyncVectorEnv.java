package org.mbrl4j.env;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** A {@link VectorEnv} that steps its copies one after another in the calling thread. */
public final class SyncVectorEnv implements VectorEnv {
    private final List<Env> envs;
    private final AutoresetMode mode;
    private final boolean[] needsReset;
    private boolean everReset;

    /** {@code n} environments from {@code factory}, in {@link AutoresetMode#NEXT_STEP} mode. */
    public SyncVectorEnv(Supplier<Env> factory, int n) {
        this(factory, n, AutoresetMode.NEXT_STEP);
    }

    /** {@code n} environments from {@code factory} with the given autoreset mode. */
    public SyncVectorEnv(Supplier<Env> factory, int n, AutoresetMode mode) {
        if (n <= 0) {
            throw new IllegalArgumentException("number of environments must be positive, got " + n);
        }
        this.mode = java.util.Objects.requireNonNull(mode, "mode");
        this.envs = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            envs.add(factory.get());
        }
        Space o = envs.get(0).observationSpace();
        Space a = envs.get(0).actionSpace();
        for (Env e : envs) {
            if (!e.observationSpace().equals(o) || !e.actionSpace().equals(a)) {
                throw new IllegalArgumentException("all environments of a vector env must share their spaces");
            }
        }
        this.needsReset = new boolean[n];
    }

    /** Sub-environment {@code i} (to inspect it; stepping it directly desynchronises the vector). */
    public Env env(int i) {
        return envs.get(i);
    }

    @Override
    public int numEnvs() {
        return envs.size();
    }

    @Override
    public Space singleObservationSpace() {
        return envs.get(0).observationSpace();
    }

    @Override
    public Space singleActionSpace() {
        return envs.get(0).actionSpace();
    }

    @Override
    public AutoresetMode autoresetMode() {
        return mode;
    }

    @Override
    public VectorReset reset(Long seed) {
        int n = envs.size();
        double[][] obs = new double[n][];
        List<Map<String, Object>> infos = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Reset r;
            try {
                r = envs.get(i).reset(seed == null ? null : seed + i, Map.of());
            } catch (EnvCrashedException c) {
                throw c.in("sub-environment " + i + " of " + n);
            }
            obs[i] = r.observation();
            infos.add(r.info());
            needsReset[i] = false;
        }
        everReset = true;
        return new VectorReset(obs, infos);
    }

    @Override
    public VectorStep step(double[][] actions) {
        int n = envs.size();
        if (!everReset) {
            throw new IllegalStateException("step() called before reset(); call reset() first");
        }
        if (actions == null || actions.length != n) {
            throw new IllegalArgumentException("actions must have one row per environment (" + n + "), got "
                    + (actions == null ? "null" : actions.length));
        }
        double[][] obs = new double[n][];
        double[] rew = new double[n];
        boolean[] term = new boolean[n];
        boolean[] trunc = new boolean[n];
        boolean[] resetStep = new boolean[n];
        List<Map<String, Object>> infos = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Env e = envs.get(i);
            try {
                stepOne(i, e, actions[i], obs, rew, term, trunc, resetStep, infos);
            } catch (EnvCrashedException c) {
                // the others keep their episodes; the next reset() starts every one afresh
                throw c.in("sub-environment " + i + " of " + n);
            } catch (IllegalArgumentException bad) {
                throw new IllegalArgumentException("sub-environment " + i + " of " + n + ": " + bad.getMessage(), bad);
            }
        }
        return new VectorStep(obs, rew, term, trunc, resetStep, infos);
    }

    private void stepOne(int i, Env e, double[] action, double[][] obs, double[] rew, boolean[] term, boolean[] trunc,
            boolean[] resetStep, List<Map<String, Object>> infos) {
        if (needsReset[i]) {
            Reset r = e.reset();
            obs[i] = r.observation();
            infos.add(r.info());
            resetStep[i] = true;
            needsReset[i] = false;
            return;
        }
        Step s = e.step(action);
        rew[i] = s.reward();
        term[i] = s.terminated();
        trunc[i] = s.truncated();
        if (s.done() && mode == AutoresetMode.SAME_STEP) {
            Reset r = e.reset();
            Map<String, Object> info = new LinkedHashMap<>(r.info());
            info.put(FINAL_OBS, s.observation());
            info.put(FINAL_INFO, s.info());
            obs[i] = r.observation();
            infos.add(info);
        } else {
            obs[i] = s.observation();
            infos.add(s.info());
            needsReset[i] = s.done();
        }
    }

    @Override
    public void close() {
        RuntimeException first = null;
        for (Env e : envs) {
            try {
                e.close();
            } catch (RuntimeException ex) {
                if (first == null) {
                    first = ex;
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
