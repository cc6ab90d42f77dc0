package org.mbrl4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Short PETS runs give exactly the returns and the final replay buffer recorded in
 * {@code goldens/pets/NAME.returns.csv} and {@code NAME.buffer.csv.gz}: the guard that a refactoring of the loop,
 * the planners or the model changes no number. A change of numerics on purpose re-records them with
 * {@code -Dmbrl4j.recordGoldens=experiments/src/test/resources/goldens/pets}, in one commit whose message gives the
 * reason and the old → new returns.
 */
class PetsGoldenTest {
    /** 1 random + 3 planning episodes of 40 steps, ensemble 2 of 16×16, a tiny planner, seed 0. */
    private static final List<String> BASE = List.of("run", "pets", "--env", TestEnvs.FORTY, "--ensemble", "2", "--hidden",
            "16,16", "--particles", "2", "--horizon", "5", "--population", "20", "--iterations", "2", "--model-epochs", "3",
            "--episodes", "3", "--seed", "0");

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"cem", "icem", "train-every", "pg-full"})
    void aShortRunGivesTheRecordedReturnsAndBuffer(String name) throws IOException {
        List<String> args = new ArrayList<>(BASE);
        switch (name) {
            case "icem" -> args.addAll(List.of("--planner", "icem"));
            case "train-every" -> args.addAll(List.of("--train-every", "25", "--checkpoint-every", "30"));
            case "pg-full" -> args.addAll(List.of("--objective", "pg", "--reward", "full"));
            default -> { }
        }
        Path out = dir.resolve(name);
        args.addAll(List.of("--out", out.toString()));
        StringBuilder err = new StringBuilder();
        assertThat(RolloutCommandTest.run(err, args.toArray(String[]::new))).as(err.toString()).isZero();
        String returns = String.join("\n", returns(out)) + "\n";
        String buffer = Files.readString(out.resolve("checkpoint/buffer.csv"));
        String record = System.getProperty("mbrl4j.recordGoldens");
        if (record != null) {
            Path to = Path.of(record);
            Files.createDirectories(to);
            Files.writeString(to.resolve(name + ".returns.csv"), returns);
            try (var o = new GZIPOutputStream(Files.newOutputStream(to.resolve(name + ".buffer.csv.gz")))) {
                o.write(buffer.getBytes(StandardCharsets.UTF_8));
            }
        }
        assertThat(returns).as("episode,env_steps,return of %s", name).isEqualTo(resource(name + ".returns.csv", false));
        assertThat(buffer).as("final buffer of %s", name).isEqualTo(resource(name + ".buffer.csv.gz", true));
    }

    /** episode, env_steps, return of every row of returns.csv (wall time left out). */
    private static List<String> returns(Path run) throws IOException {
        return Files.readAllLines(run.resolve("returns.csv")).stream().skip(1)
                .map(l -> l.substring(0, l.lastIndexOf(','))).toList();
    }

    private static String resource(String file, boolean gzip) throws IOException {
        try (InputStream in = PetsGoldenTest.class.getResourceAsStream("/goldens/pets/" + file)) {
            assertThat(in).as("recorded golden %s", file).isNotNull();
            return new String((gzip ? new GZIPInputStream(in) : in).readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
