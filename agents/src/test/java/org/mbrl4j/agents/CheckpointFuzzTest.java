package org.mbrl4j.agents;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mbrl4j.fuzz.Fuzz;

/**
 * Checkpoint manifests and states under seeded mutations: resuming finds an intact generation or fails with a
 * message, never another exception or a hang.
 */
class CheckpointFuzzTest {
    private static final Duration LIMIT = Duration.ofSeconds(5);
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void manifests() throws Exception {
        Path run = dir.resolve("run");
        Files.createDirectories(run);
        RunCheckpointer.write(run, d -> Files.writeString(d.resolve("buffer.csv"), "one"), Map.of("env_steps", 1));
        RunCheckpointer.write(run, d -> {
            Files.createDirectories(d.resolve("agent"));
            Files.writeString(d.resolve("buffer.csv"), "two");
            Files.writeString(d.resolve("agent/plan.json"), "[1, 2]");
        }, Map.of("env_steps", 2));
        Path manifest = run.resolve("checkpoint/manifest.json");
        String valid = Files.readString(manifest);
        Fuzz.check("checkpoint manifest", 70_000, 1000, LIMIT, List.of(valid), in -> {
            Files.writeString(manifest, in);
            RunCheckpointer.Generation g = RunCheckpointer.latest(run);
            assertThat(g.dir()).isIn(run.resolve("checkpoint"), run.resolve("checkpoint.old"));
            if (g.dir().endsWith("checkpoint.old")) {
                assertThat(g.fallbackNote()).contains("checkpoint/");
            }
        }, IllegalArgumentException.class);
    }

    @Test
    void petsSettingsInACheckpointState() throws Exception {
        Pets.Config cfg = Pets.builder().optEnv("CartPole-v1").optStateCost(Map.of("0", 0.01)).build().settings();
        String valid = JSON.writeValueAsString(Map.of("env_steps", 10, "settings", cfg.toMap()));
        Path ck = dir.resolve("ck");
        Files.createDirectories(ck);
        Fuzz.check("PETS checkpoint state", 80_000, 1500, LIMIT, List.of(valid), in -> {
            Files.writeString(ck.resolve("state.json"), in);
            Map<String, Object> state = RunCheckpointer.readState(ck);
            Pets.Config.fromMap(RunCheckpointer.object(state, "settings"));
        }, IllegalArgumentException.class);
    }
}
