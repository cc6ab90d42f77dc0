package org.mbrl4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The short PETS run on native Pendulum-v1 learns: its return improves well beyond the random policy's. */
class PetsCommandTest {
    @TempDir
    Path dir;

    @Test
    void quickPendulumPetsImprovesItsReturn() throws Exception {
        Path out = dir.resolve("pets");
        StringBuilder err = new StringBuilder();
        assertThat(RolloutCommandTest.run(err, "run", "pets", "--quick", "--out", out.toString())).as(err.toString()).isZero();
        List<String> lines = Files.readAllLines(out.resolve("returns.csv"));
        assertThat(lines.get(0)).isEqualTo("episode,env_steps,return,wall_seconds");
        assertThat(lines).hasSize(5);
        double random = Double.parseDouble(lines.get(1).split(",")[2]);
        double last = Double.parseDouble(lines.get(4).split(",")[2]);
        assertThat(lines.get(4).split(",")[1]).isEqualTo("800");
        assertThat(last).as("final return vs the random episode's %s", random).isGreaterThan(random + 500);
        assertThat(last).isGreaterThan(-500);
        assertThat(out.resolve("model.json")).exists();
        assertThat(out.resolve("buffer.csv")).exists();
        assertThat(Files.readString(out.resolve("events.jsonl"))).contains("\"type\":\"EpisodeEnd\"", "\"type\":\"ModelEpoch\"",
                "\"type\":\"CheckpointWritten\"");
    }
}
