package org.mbrl4j.envs.classic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mbrl4j.env.Env;
import org.mbrl4j.env.EnvRegistry;
import org.mbrl4j.env.StatefulEnv;
import org.mbrl4j.env.Step;

/**
 * Replays trajectories recorded from real Gymnasium 1.3.0 (see {@code envs/src/test/python/make_goldens.py}) and
 * compares observations (1e-5 relative + 1e-6 absolute), rewards (1e-6 relative) and flags (exactly).
 */
class GoldenTest {
    private static final EnvRegistry REGISTRY = EnvRegistry.load();

    /**
     * Whole episodes are compared for every environment, Acrobot included: its RK4 dynamics are chaotic, yet Java's
     * sin/cos agreed with NumPy's on every recorded step (up to 500), so no window had to be narrowed.
     */
    @ParameterizedTest
    @ValueSource(strings = {"Pendulum-v1", "CartPole-v1", "MountainCarContinuous-v0", "MountainCar-v0", "Acrobot-v1"})
    void replaysGymnasiumTrajectories(String id) throws IOException {
        JsonNode golden = load(id);
        int terminatedEpisodes = 0;
        int truncatedEpisodes = 0;
        for (JsonNode ep : golden.get("episodes")) {
            try (Env env = REGISTRY.make(id)) {
                env.reset(0);
                double[] obs0 = StatefulEnv.of(env).setState(doubles(ep.get("state")));
                assertClose(id, "obs0", obs0, doubles(ep.get("obs0")));
                JsonNode actions = ep.get("actions");
                int n = actions.size();
                for (int t = 0; t < n; t++) {
                    Step s = env.step(doubles(actions.get(t)));
                    double[] expected = doubles(ep.get("obs").get(t));
                    double expectedReward = ep.get("rewards").get(t).asDouble();
                    boolean term = ep.get("terminated").get(t).asBoolean();
                    boolean trunc = ep.get("truncated").get(t).asBoolean();
                    String where = id + " seed " + ep.get("seed").asInt() + " step " + t;
                    assertClose(where, "obs", s.observation(), expected);
                    if (Math.abs(s.reward() - expectedReward) > 1e-6 * Math.abs(expectedReward) + 1e-12) {
                        fail(where + ": reward " + s.reward() + " != " + expectedReward);
                    }
                    assertThat(s.terminated()).as(where + " terminated").isEqualTo(term);
                    assertThat(s.truncated()).as(where + " truncated").isEqualTo(trunc);
                    assertThat(s.done()).as(where + ": episode ends only at its last recorded step").isEqualTo(t == n - 1);
                }
                terminatedEpisodes += ep.get("terminated").get(n - 1).asBoolean() ? 1 : 0;
                truncatedEpisodes += ep.get("truncated").get(n - 1).asBoolean() ? 1 : 0;
            }
        }
        assertThat(terminatedEpisodes + truncatedEpisodes).as("episodes that ended").isEqualTo(golden.get("episodes").size());
    }

    static JsonNode load(String id) throws IOException {
        try (InputStream in = GoldenTest.class.getResourceAsStream("/goldens/" + id + ".json.gz")) {
            if (in == null) {
                throw new IOException("missing golden file goldens/" + id + ".json.gz");
            }
            return new ObjectMapper().readTree(new GZIPInputStream(in));
        }
    }

    static double[] doubles(JsonNode a) {
        double[] d = new double[a.size()];
        for (int i = 0; i < d.length; i++) {
            d[i] = a.get(i).asDouble();
        }
        return d;
    }

    private static void assertClose(String where, String what, double[] actual, double[] expected) {
        assertThat(actual).as(where + " " + what + " length").hasSameSizeAs(expected);
        for (int i = 0; i < expected.length; i++) {
            if (Math.abs(actual[i] - expected[i]) > 1e-6 + 1e-5 * Math.abs(expected[i])) {
                fail(where + ": " + what + "[" + i + "] = " + actual[i] + ", Gymnasium " + expected[i]);
            }
        }
    }
}
