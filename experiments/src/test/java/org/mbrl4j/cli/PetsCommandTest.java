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
        assertThat(RolloutCommandTest.run(err, "run", "pets", "--quick", "--eval-episodes", "1", "--out",
                out.toString())).as(err.toString()).isZero();
        List<String> lines = Files.readAllLines(out.resolve("returns.csv"));
        assertThat(lines.get(0)).isEqualTo("episode,env_steps,return,wall_seconds");
        assertThat(lines).hasSize(5);
        double random = Double.parseDouble(lines.get(1).split(",")[2]);
        double last = Double.parseDouble(lines.get(4).split(",")[2]);
        assertThat(lines.get(4).split(",")[1]).isEqualTo("800");
        assertThat(last).as("final return vs the random episode's %s", random).isGreaterThan(random + 500);
        assertThat(last).isGreaterThan(-500);
        List<String> eval = Files.readAllLines(out.resolve("eval.csv"));
        assertThat(eval).hasSize(4);
        assertThat(eval.stream().skip(1).map(l -> l.split(",")[1])).as("eval episodes are not collected")
                .containsExactly("400", "600", "800");
        assertThat(out.resolve("model.json")).exists();
        assertThat(out.resolve("buffer.csv")).exists();
        assertThat(Files.readString(out.resolve("events.jsonl"))).contains("\"type\":\"EpisodeEnd\"", "\"type\":\"ModelEpoch\"",
                "\"type\":\"CheckpointWritten\"", "\"type\":\"PlannerIteration\"");
    }

    @Test
    void compareObjectivesRunsEveryObjectiveInItsOwnRunDirectory() throws Exception {
        Path out = dir.resolve("cmp");
        StringBuilder err = new StringBuilder();
        assertThat(RolloutCommandTest.run(err, "compare-objectives", "--quick", "--episodes", "1", "--seeds", "1",
                "--objectives", "nll,pg:scaled", "--planner", "icem", "--out", out.toString())).as(err.toString()).isZero();
        List<String> rows = Files.readAllLines(out.resolve("results.csv"));
        assertThat(rows.get(0)).startsWith("objective,seed,episode,env_steps,return");
        assertThat(rows).hasSize(1 + 2 * 2);
        for (String sub : List.of("nll-seed0", "pg-scaled-seed0")) {
            assertThat(out.resolve(sub).resolve("config.yaml")).content().contains("planner: icem");
            try (var files = Files.list(out.resolve(sub))) {
                assertThat(files.map(p -> p.getFileName().toString())).anyMatch(n -> n.startsWith("events.out.tfevents"));
            }
        }
        assertThat(out.resolve("plot.png")).isRegularFile();
        assertThat(Files.readString(out.resolve("results.md"))).contains("| nll |", "| pg:scaled |");
        StringBuilder bad = new StringBuilder();
        assertThat(RolloutCommandTest.run(bad, "compare-objectives", "--objectives", "nll,pg:fancy", "--out",
                dir.resolve("bad").toString())).isEqualTo(2);
        assertThat(bad.toString()).contains("--objectives: reward 'fancy' is unknown");
    }
}
