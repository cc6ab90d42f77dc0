package org.mbrl4j.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mbrl4j.cli.Main;
import org.mbrl4j.model.HalfCheetahFixture;

/** The Spark engine gives the local engine's results: the same 8-task sweep, local vs Spark local[2]. */
class SparkSweepTest {
    @TempDir
    Path dir;

    static int run(StringBuilder err, String... args) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try {
            return Main.run(new PrintStream(buf, true, StandardCharsets.UTF_8), args);
        } finally {
            err.append(buf.toString(StandardCharsets.UTF_8));
        }
    }

    static Path sweepFile(Path dir) throws Exception {
        HalfCheetahFixture fx = HalfCheetahFixture.get();
        Path f = dir.resolve("s.yaml");
        Files.writeString(f, "command: train-model\nbase:\n  data: " + fx.csv + "\n  epochs: 3\n  hidden: [16]\n"
                + "grid:\n  objective: [nll, pg]\n  lambda: [1, 5]\nseeds: [0, 1]\n");
        return f;
    }

    /** results.csv without the timing columns. */
    static List<String> metricColumns(Path csv) throws Exception {
        List<String[]> rows = Files.readAllLines(csv).stream().map(l -> l.split(",", -1)).toList();
        List<Integer> keep = new ArrayList<>();
        String[] header = rows.get(0);
        for (int i = 0; i < header.length; i++) {
            if (!header[i].equals("seconds") && !header[i].contains("step_ms")) {
                keep.add(i);
            }
        }
        return rows.stream().map(r -> String.join(",", keep.stream().map(i -> r[i]).toList())).toList();
    }

    @Test
    void sparkLocalGivesTheLocalEnginesMetrics() throws Exception {
        Path f = sweepFile(dir);
        StringBuilder e1 = new StringBuilder();
        assertThat(run(e1, "sweep", f.toString(), "--threads", "2", "--out", dir.resolve("local").toString()))
                .as(e1.toString()).isZero();
        StringBuilder e2 = new StringBuilder();
        assertThat(run(e2, "sweep", f.toString(), "--engine", "spark", "--master", "local[2]", "--out",
                dir.resolve("spark").toString())).as(e2.toString()).isZero();
        List<String> local = metricColumns(dir.resolve("local/results.csv"));
        List<String> spark = metricColumns(dir.resolve("spark/results.csv"));
        assertThat(local).hasSize(9);
        assertThat(local.get(0)).contains("test_nll", "test_rmse");
        assertThat(spark).containsExactlyElementsOf(local);
        Path run = dir.resolve("spark/runs/t000-objective=nll-lambda=1-seed=0");
        assertThat(run.resolve("metrics.json")).isRegularFile();
        assertThat(run.resolve("model.json")).as("checkpoints come back only when asked for").doesNotExist();
        StringBuilder e3 = new StringBuilder();
        assertThat(run(e3, "sweep", f.toString(), "--engine", "spark", "--master", "local[2]", "--checkpoints", "--out",
                dir.resolve("spark-ckpt").toString())).as(e3.toString()).isZero();
        assertThat(dir.resolve("spark-ckpt/runs/t000-objective=nll-lambda=1-seed=0/model.json")).isRegularFile();
        assertThat(Arrays.stream(dir.resolve("spark/runs").toFile().list())).noneMatch(n -> n.endsWith(".tmp"));
    }
}
