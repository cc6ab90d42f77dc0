package org.mbrl4j.envs.gymnasium;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.util.Arrays;
import java.util.Map;
import java.util.function.Supplier;
import org.mbrl4j.env.Box;
import org.mbrl4j.env.Discrete;
import org.mbrl4j.env.EnvCrashedException;
import org.mbrl4j.env.Reset;
import org.mbrl4j.env.Space;
import org.mbrl4j.env.StatefulEnv;
import org.mbrl4j.env.Step;
import py4j.Py4JException;
import py4j.Py4JNetworkException;

/**
 * A Gymnasium environment living in its own Python process (see {@link GymProcess}); steps travel through a
 * {@link SharedMemoryLane} where the machine allows it, everything else through Py4J. Python exceptions become
 * {@link GymnasiumException}s and the environment stays usable; a process that dies or stops answering within the
 * timeout becomes an {@link EnvCrashedException} naming the environment and the exit code, the environment is marked
 * broken, and the next {@link #reset} starts a fresh process. A step is never retried.
 */
public final class GymnasiumEnv implements StatefulEnv {
    static final ObjectMapper JSON = JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();

    private final String id;
    private final String gymId;
    private final String kwargsJson;
    private final int timeoutMillis;
    private final int copies;
    private final boolean laneWanted;
    private GymProcess process;
    private SharedMemoryLane lane;
    private boolean broken;
    private JsonNode spec;
    private Space observationSpace;
    private Space actionSpace;

    /**
     * @param gymId         Gymnasium id, e.g. {@code HalfCheetah-v5}
     * @param kwargs        keyword arguments of {@code gymnasium.make}
     * @param timeoutMillis longest wait for any answer
     */
    public GymnasiumEnv(String gymId, Map<String, Object> kwargs, int timeoutMillis) {
        this(gymId, kwargs, timeoutMillis, 1);
    }

    GymnasiumEnv(String gymId, Map<String, Object> kwargs, int timeoutMillis, int copies) {
        this.gymId = gymId;
        this.id = GymnasiumEnvs.PREFIX + gymId;
        this.timeoutMillis = timeoutMillis;
        this.copies = copies;
        kwargs = new java.util.LinkedHashMap<>(kwargs);
        Object lane = kwargs.remove(GymnasiumEnvs.LANE);
        if (lane != null && !(lane instanceof Boolean)) {
            throw new IllegalArgumentException(id + ": option " + GymnasiumEnvs.LANE + " must be true or false, got " + lane);
        }
        this.laneWanted = !Boolean.FALSE.equals(lane);
        try {
            this.kwargsJson = JSON.writeValueAsString(kwargs);
        } catch (IOException e) {
            throw new IllegalArgumentException(id + " keyword arguments are not JSON-serializable: " + kwargs);
        }
        start();
    }

    private void start() {
        process = GymProcess.start(timeoutMillis);
        try {
            spec = JSON.readTree(call(() -> process.backend().make(gymId, kwargsJson, copies)));
        } catch (IOException e) {
            throw new IllegalStateException(id + ": unreadable spec from Python: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            process.close();
            throw e;
        }
        observationSpace = space(spec.get("observation_space"));
        actionSpace = space(spec.get("action_space"));
        broken = false;
        lane = null;
        if (laneWanted && SharedMemoryLane.available()) {
            try {
                lane = SharedMemoryLane.open(process.backend(), copies * actionSpace.flatDim(),
                        copies * (observationSpace.flatDim() + 4));
            } catch (IOException | RuntimeException e) {
                // no shared memory here (or an older server): Py4J carries the steps too
                lane = null;
            }
        }
    }

    /** Whether steps travel through shared memory (false: through Py4J). */
    public boolean sharedMemory() {
        return lane != null;
    }

    /**
     * One step ({@link SharedMemoryLane#STEP}) or vector step through the lane, or through Py4J without one; the
     * reply as the server packs it.
     */
    double[] stepCall(int op, double[] actions) {
        ensureUsable();
        if (lane == null) {
            byte[] a = GymProcess.pack(actions);
            return GymProcess.unpack(call(() -> op == SharedMemoryLane.STEP ? process.backend().step(a)
                    : process.backend().vectorStep(a)));
        }
        try {
            return lane.call(op, actions, process::alive, timeoutMillis);
        } catch (SharedMemoryLane.Failure f) {
            if (f.pythonError) {
                throw new GymnasiumException(id, f.getMessage(), f);
            }
            Integer exit = process.exitCode(500);
            throw exit != null ? died(exit, f) : unanswered(f);
        }
    }

    /** The process ended: the environment is broken until the next reset. */
    private EnvCrashedException died(int exit, Throwable cause) {
        broken = true;
        return new EnvCrashedException(id, "the Python process died (exit code " + exit + "); the next reset() starts a "
                + "fresh one", cause);
    }

    /** The process did not answer in time: it is stopped, and the environment is broken until the next reset. */
    private EnvCrashedException unanswered(Throwable cause) {
        broken = true;
        process.close();
        return new EnvCrashedException(id, "no answer from Python within " + timeoutMillis + " ms; the process was "
                + "stopped and the next reset() starts a fresh one", cause);
    }

    static Space space(JsonNode s) {
        if (s.get("type").asText().equals("discrete")) {
            return new Discrete(s.get("n").asInt(), s.get("start").asInt());
        }
        double[] low = doubles(s.get("low"));
        double[] high = doubles(s.get("high"));
        int[] shape = new int[s.get("shape").size()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = s.get("shape").get(i).asInt();
        }
        return new Box(low, high, shape.length == 0 ? new int[] {1} : shape);
    }

    private static double[] doubles(JsonNode a) {
        double[] d = new double[a.size()];
        for (int i = 0; i < d.length; i++) {
            d[i] = a.get(i).asDouble();
        }
        return d;
    }

    /** The Gymnasium spec reported by Python (max_episode_steps, reward_threshold, versions). */
    public JsonNode spec() {
        return spec;
    }

    /** The Python process id (for tests and diagnostics). */
    public long pid() {
        return process.pid();
    }

    @Override
    public Space observationSpace() {
        return observationSpace;
    }

    @Override
    public Space actionSpace() {
        return actionSpace;
    }

    GymBackend backend() {
        ensureUsable();
        return process.backend();
    }

    @Override
    public Reset reset(Long seed, Map<String, Object> options) {
        if (options != null && !options.isEmpty()) {
            throw new IllegalArgumentException(id + ": reset options are not passed to Gymnasium yet; got " + options.keySet());
        }
        restartIfBroken();
        double[] obs = GymProcess.unpack(call(() -> process.backend().reset(seed == null ? 0 : seed, seed != null)));
        return new Reset(obs, Map.of());
    }

    @Override
    public Step step(double[] action) {
        ensureUsable();
        if (action == null || action.length != actionSpace.flatDim()) {
            throw new IllegalArgumentException(id + " expects an action of " + actionSpace.flatDim() + " values, got "
                    + (action == null ? "null" : Arrays.toString(action)));
        }
        double[] r = stepCall(SharedMemoryLane.STEP, action);
        int n = r.length - 3;
        return new Step(Arrays.copyOf(r, n), r[n], r[n + 1] != 0, r[n + 2] != 0, Map.of());
    }

    @Override
    public double[] getState() {
        ensureUsable();
        return GymProcess.unpack(call(() -> process.backend().getState()));
    }

    @Override
    public double[] setState(double[] state) {
        ensureUsable();
        return GymProcess.unpack(call(() -> process.backend().setState(GymProcess.pack(state))));
    }

    /**
     * The current frame; the environment must have been made with {@code render_mode: rgb_array} in its keyword
     * arguments, and its renderer must work on this machine (MuJoCo needs an OpenGL context, e.g.
     * {@code MUJOCO_GL=egl} with a GPU; classic control draws with pygame).
     */
    @Override
    public org.mbrl4j.env.Frame render() {
        ensureUsable();
        byte[] b = call(() -> process.backend().render());
        java.nio.ByteBuffer h = java.nio.ByteBuffer.wrap(b, 0, 12).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        return new org.mbrl4j.env.Frame(h.getInt(), h.getInt(), Arrays.copyOfRange(b, 12, b.length));
    }

    @Override
    public String[] stateNames() {
        double[] s = getState();
        String[] names = new String[s.length];
        for (int i = 0; i < names.length; i++) {
            names[i] = "s" + i;
        }
        return names;
    }

    /** After a crash or timeout (or a process that died since), a fresh process; what every reset does first. */
    void restartIfBroken() {
        if (broken || !process.alive()) {
            process.close();
            start();
        }
    }

    /** Injects a failure in Python (tests): {@code hang}, {@code exit}, or anything else to raise. */
    void fault(String kind) {
        call(() -> {
            process.backend().fault(kind);
            return null;
        });
    }

    private void ensureUsable() {
        if (broken) {
            throw new IllegalStateException(id + " is broken after a crash or timeout; call reset() to start a fresh process");
        }
    }

    /** Runs one call, turning Python errors and process failures into clear exceptions; never retries. */
    <T> T call(Supplier<T> c) {
        try {
            return c.get();
        } catch (Py4JException e) {
            Integer exit = process.exitCode(e instanceof Py4JNetworkException ? 500 : 20);
            if (exit != null) {
                throw died(exit, e);
            }
            if (e instanceof Py4JNetworkException || hasCause(e, java.net.SocketTimeoutException.class)) {
                throw unanswered(e);
            }
            String msg = e.getMessage() == null ? e.toString() : e.getMessage();
            int i = msg.indexOf("Return Message: ");
            throw new GymnasiumException(id, i >= 0 ? msg.substring(i + 16) : msg, e);
        }
    }

    private static boolean hasCause(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void close() {
        if (process != null) {
            if (lane != null) {
                lane.close();
                lane = null;
            }
            if (!broken && process.alive()) {
                try {
                    process.backend().close();
                } catch (RuntimeException e) {
                    // closing anyway
                }
            }
            process.close();
        }
    }

    @Override
    public String toString() {
        return id;
    }
}
