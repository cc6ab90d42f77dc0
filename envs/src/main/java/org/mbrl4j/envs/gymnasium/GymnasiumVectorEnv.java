package org.mbrl4j.envs.gymnasium;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.mbrl4j.env.EnvCrashedException;
import org.mbrl4j.env.Space;
import org.mbrl4j.env.VectorEnv;

/**
 * {@code n} copies of a Gymnasium environment in one Python process, all stepped by one call (the round trip costs
 * ~50–100 µs, more than a MuJoCo step), with Gymnasium's default NEXT_STEP autoreset.
 */
public final class GymnasiumVectorEnv implements VectorEnv {
    private final GymnasiumEnv env;
    private final int n;
    private final int obsDim;
    private final int actDim;

    /** {@code n} copies of {@code gymId} made with {@code kwargs}; every call waits at most {@code timeoutMillis}. */
    public GymnasiumVectorEnv(String gymId, Map<String, Object> kwargs, int n, int timeoutMillis) {
        if (n < 1) {
            throw new IllegalArgumentException("number of environments must be ≥ 1, got " + n);
        }
        this.env = new GymnasiumEnv(gymId, kwargs, timeoutMillis, n);
        this.n = n;
        this.obsDim = env.observationSpace().flatDim();
        this.actDim = env.actionSpace().flatDim();
    }

    @Override
    public int numEnvs() {
        return n;
    }

    @Override
    public Space singleObservationSpace() {
        return env.observationSpace();
    }

    @Override
    public Space singleActionSpace() {
        return env.actionSpace();
    }

    @Override
    public AutoresetMode autoresetMode() {
        return AutoresetMode.NEXT_STEP;
    }

    @Override
    public VectorReset reset(Long seed) {
        double[] flat;
        try {
            env.restartIfBroken();
            flat = GymProcess.unpack(env.call(() -> env.backend().vectorReset(seed == null ? 0 : seed, seed != null)));
        } catch (EnvCrashedException c) {
            throw c.in(where());
        }
        double[][] obs = new double[n][];
        List<Map<String, Object>> infos = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            obs[i] = Arrays.copyOfRange(flat, i * obsDim, (i + 1) * obsDim);
            infos.add(Map.of());
        }
        return new VectorReset(obs, infos);
    }

    @Override
    public VectorStep step(double[][] actions) {
        if (actions == null || actions.length != n) {
            throw new IllegalArgumentException("actions must have one row per environment (" + n + ")");
        }
        double[] a = new double[n * actDim];
        for (int i = 0; i < n; i++) {
            if (actions[i].length != actDim) {
                throw new IllegalArgumentException("action row " + i + " must have " + actDim + " values");
            }
            System.arraycopy(actions[i], 0, a, i * actDim, actDim);
        }
        double[] r;
        try {
            r = env.stepCall(SharedMemoryLane.VECTOR_STEP, a);
        } catch (EnvCrashedException c) {
            throw c.in(where());
        }
        int w = obsDim + 4;
        double[][] obs = new double[n][];
        double[] rew = new double[n];
        boolean[] term = new boolean[n];
        boolean[] trunc = new boolean[n];
        boolean[] resetStep = new boolean[n];
        List<Map<String, Object>> infos = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            obs[i] = Arrays.copyOfRange(r, i * w, i * w + obsDim);
            rew[i] = r[i * w + obsDim];
            term[i] = r[i * w + obsDim + 1] != 0;
            trunc[i] = r[i * w + obsDim + 2] != 0;
            resetStep[i] = r[i * w + obsDim + 3] != 0;
            infos.add(Map.of());
        }
        return new VectorStep(obs, rew, term, trunc, resetStep, infos);
    }

    /** The sub-environments a failure of the one process concerns. */
    private String where() {
        return "sub-environments 0.." + (n - 1) + " (one Python process)";
    }

    /** The process's id (tests kill it). */
    long pid() {
        return env.pid();
    }

    /** Injects a fault into the process (tests). */
    void fault(String kind) {
        env.fault(kind);
    }

    @Override
    public void close() {
        env.close();
    }
}
