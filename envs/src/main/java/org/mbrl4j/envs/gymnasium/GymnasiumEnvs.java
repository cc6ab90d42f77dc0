package org.mbrl4j.envs.gymnasium;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mbrl4j.env.EnvProvider;
import org.mbrl4j.env.EnvSpec;

/**
 * Gymnasium environments under the prefix {@code gymnasium/}: the MuJoCo and classic-control tasks are listed, and
 * any other Gymnasium id is made on demand. Keyword arguments pass through to {@code gymnasium.make}
 * ({@code max_episode_steps} included); the option {@code bridge_timeout_ms} (default 60000) bounds every call, and
 * {@code bridge_lane: false} sends steps through Py4J instead of the shared-memory lane.
 */
public final class GymnasiumEnvs implements EnvProvider {
    /** Prefix of bridged ids. */
    public static final String PREFIX = "gymnasium/";
    /** Option: longest wait for Python, in milliseconds. */
    public static final String TIMEOUT = "bridge_timeout_ms";
    /** Option: {@code false} keeps steps off the shared-memory lane (default true where the machine allows it). */
    public static final String LANE = "bridge_lane";

    private static final Map<String, Integer> KNOWN = new LinkedHashMap<>();

    /** The pip requirements of the bridge's venv (created on the first use of a {@code gymnasium/…} environment). */
    public static java.util.List<String> pythonRequirements() {
        return GymProcess.REQUIREMENTS;
    }

    static {
        for (String mujoco : List.of("HalfCheetah-v5", "Hopper-v5", "Walker2d-v5", "Ant-v5", "InvertedPendulum-v5",
                "InvertedDoublePendulum-v5", "Swimmer-v5", "Humanoid-v5")) {
            KNOWN.put(mujoco, 1000);
        }
        KNOWN.put("Reacher-v5", 50);
        KNOWN.put("Pusher-v5", 100);
        KNOWN.put("Pendulum-v1", 200);
        KNOWN.put("CartPole-v1", 500);
        KNOWN.put("MountainCarContinuous-v0", 999);
        KNOWN.put("MountainCar-v0", 200);
        KNOWN.put("Acrobot-v1", 500);
    }

    @Override
    public List<EnvSpec> specs() {
        List<EnvSpec> s = new ArrayList<>();
        KNOWN.forEach((id, steps) -> s.add(spec(id, steps)));
        return s;
    }

    @Override
    public EnvSpec find(String id) {
        if (!id.startsWith(PREFIX) || id.length() == PREFIX.length()) {
            return null;
        }
        try {
            return spec(id.substring(PREFIX.length()), null);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static EnvSpec spec(String gymId, Integer steps) {
        EnvSpec.Builder b = EnvSpec.builder().setId(PREFIX + gymId).optEntryPoint("gymnasium.make(\"" + gymId + "\") via Py4J")
                .optOwnTimeLimit(true).setFactory(options -> {
                    Map<String, Object> kwargs = new LinkedHashMap<>(options);
                    Object t = kwargs.remove(TIMEOUT);
                    int timeout = t == null ? 60_000 : ((Number) t).intValue();
                    return new GymnasiumEnv(gymId, kwargs, timeout);
                });
        if (steps != null) {
            b.optMaxEpisodeSteps(steps);
        }
        MujocoTasks.Functions f = MujocoTasks.BY_ID.get(gymId);
        if (f != null) {
            b.optRewardFn(f.reward()).optTerminationFn(f.termination());
        }
        return b.build();
    }
}
