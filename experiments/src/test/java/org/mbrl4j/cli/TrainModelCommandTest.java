package org.mbrl4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mbrl4j.model.Ensemble;
import org.mbrl4j.model.HalfCheetahFixture;

class TrainModelCommandTest {
    @TempDir
    Path dir;

    @Test
    void trainsOnTheFixtureAndWritesMetricsAndACheckpoint() throws Exception {
        HalfCheetahFixture f = HalfCheetahFixture.get();
        Path out = dir.resolve("m");
        StringBuilder err = new StringBuilder();
        int code = RolloutCommandTest.run(err, "train-model", "--data", f.csv.toString(), "--split-permutation",
                f.permutation.toString(), "--objective", "pg", "--reward", "full", "--lambda", "1", "--epochs", "3",
                "--threads", "2", "--out", out.toString());
        assertThat(code).as(err.toString()).isZero();
        JsonNode m = new ObjectMapper().readTree(out.resolve("metrics.json").toFile());
        assertThat(m.at("/test/rmse").asDouble()).isPositive();
        assertThat(m.at("/test/nll").isNumber()).isTrue();
        assertThat(m.at("/val/nll").isNumber()).isTrue();
        assertThat(m.at("/train/nll").isNumber()).isTrue();
        assertThat(m.at("/curves/train_loss")).hasSize(3);
        assertThat(m.at("/curves/val_nll")).hasSize(3);
        assertThat(m.at("/step_ms_median").asDouble()).isPositive();
        Ensemble model = Ensemble.load(out.resolve("model.json"));
        assertThat(model.obsDim()).isEqualTo(17);
        assertThat(model.actDim()).isEqualTo(6);
        assertThat(Files.getPosixFilePermissions(out.resolve("metrics.json")).toString()).contains("OTHERS_READ");
    }

    @Test
    void aRewardFittedWithTheModelIsFittedInTheRunAndItsOptionsAreCheckedBefore() throws Exception {
        HalfCheetahFixture f = HalfCheetahFixture.get();
        Path out = dir.resolve("c");
        StringBuilder err = new StringBuilder();
        PrintStream old = System.out;
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        int code;
        System.setOut(new PrintStream(console, true, StandardCharsets.UTF_8));
        try {
            code = RolloutCommandTest.run(err, "train-model", "--data", f.csv.toString(), "--split-permutation",
                    f.permutation.toString(), "--objective", "pg", "--reward", "conditional", "--epochs", "2",
                    "--out", out.toString());
        } finally {
            System.setOut(old);
        }
        assertThat(code).as(err.toString()).isZero();
        String printed = console.toString(StandardCharsets.UTF_8);
        assertThat(printed).contains("reward conditional fitted: MahalanobisReward[full((λ/2)Σ̂⁻¹), dim 17]");
        assertThat(new ObjectMapper().readTree(out.resolve("metrics.json").toFile()).at("/test/nll").isNumber()).isTrue();
        Path bad = dir.resolve("bad");
        StringBuilder err2 = new StringBuilder();
        assertThat(RolloutCommandTest.run(err2, "train-model", "--data", f.csv.toString(), "--objective", "pg",
                "--reward", "learned", "--generations", "0", "--out", bad.toString())).isEqualTo(2);
        assertThat(err2.toString()).contains("--generations: PolicyGradient generations must be ≥ 1");
        assertThat(bad).as("no run started").doesNotExist();
    }

    @Test
    void aNanInTheDataIsRejectedBeforeTrainingOrDroppedAndCountedWhenAsked() throws Exception {
        Path csv = dir.resolve("d.csv");
        StringBuilder rows = new StringBuilder(org.mbrl4j.data.TransitionDataset.header(2, 1)).append('\n');
        java.util.SplittableRandom rng = new java.util.SplittableRandom(5);
        for (int i = 0; i < 60; i++) {
            double x = rng.nextDouble(-1, 1);
            double v = rng.nextDouble(-1, 1);
            double a = rng.nextDouble(-1, 1);
            rows.append(x).append(',').append(i == 7 ? "NaN" : String.valueOf(v)).append(',').append(a).append(',')
                    .append(x + 0.1 * v).append(',').append(v + 0.1 * a).append(",0,0,0,0\n");
        }
        Files.writeString(csv, rows);
        Path out = dir.resolve("nan");
        StringBuilder err = new StringBuilder();
        assertThat(RolloutCommandTest.run(err, "train-model", "--data", csv.toString(), "--objective", "nll", "--epochs",
                "2", "--out", out.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("d.csv:9: column obs_1 is NaN (accepted: finite decimal numbers)")
                .doesNotContain("\tat ");
        assertThat(out).as("nothing trained, no run directory").doesNotExist();
        StringBuilder err2 = new StringBuilder();
        assertThat(RolloutCommandTest.run(err2, "train-model", "--data", csv.toString(), "--objective", "nll", "--epochs",
                "2", "--drop-invalid-rows", "--out", out.toString())).as(err2.toString()).isZero();
        assertThat(err2.toString()).contains("dropped 1 invalid row(s) of " + csv + " (59 kept); the first: " + csv
                + ":9: column obs_1 is NaN");
        JsonNode m = new ObjectMapper().readTree(out.resolve("metrics.json").toFile());
        assertThat(m.at("/dropped_rows").asInt()).isEqualTo(1);
        assertThat(m.at("/test/nll").isNumber()).isTrue();
    }

    @Test
    void badValuesExitWithTwoNamingTheFlag() {
        HalfCheetahFixture f = HalfCheetahFixture.get();
        String[][] cases = {
            {"--objective", "nlll", "--objective: unknown objective 'nlll'; available: [mse, nll, pg]"},
            {"--reward", "fancy", "--reward: reward 'fancy' is unknown"},
            {"--transform", "sqrt", "--transform: transform 'sqrt' is unknown"},
            {"--batch", "-3", "--batch must be 'full' or a positive integer"},
            {"--split", "0.5,0.5", "--split must be three"},
            {"--generations", "0", "--generations: PolicyGradient generations must be ≥ 1"},
        };
        for (String[] c : cases) {
            StringBuilder err = new StringBuilder();
            String objective = c[0].equals("--objective") ? c[1] : "pg";
            java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("train-model", "--data",
                    f.csv.toString(), "--objective", objective, "--epochs", "1", "--out", dir.resolve("x").toString()));
            if (!c[0].equals("--objective")) {
                args.add(c[0]);
                args.add(c[1]);
            }
            assertThat(RolloutCommandTest.run(err, args.toArray(String[]::new))).as(c[0]).isEqualTo(2);
            assertThat(err.toString()).as(c[0]).contains(c[2]);
        }
        StringBuilder err = new StringBuilder();
        assertThat(RolloutCommandTest.run(err, "train-model", "--data", dir.resolve("none.csv").toString(), "--objective",
                "nll", "--out", "x")).isEqualTo(2);
        assertThat(err.toString()).contains("--data: file").contains("does not exist");
    }

    @Test
    void benchModelStepInLockStepTimesOneStepPerInputLine() {
        String[] args = {"bench", "model-step", "--objective", "pg", "--batch", "64", "--steps", "3", "--lockstep"};
        InputStream oldIn = System.in;
        PrintStream oldOut = System.out;
        for (String input : new String[] {"\n\n\n", "\n"}) {
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            StringBuilder err = new StringBuilder();
            System.setIn(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)));
            System.setOut(new PrintStream(buf, true));
            int code;
            try {
                code = RolloutCommandTest.run(err, args);
            } finally {
                System.setIn(oldIn);
                System.setOut(oldOut);
            }
            List<String> lines = buf.toString().lines().toList();
            assertThat(lines.get(0)).isEqualTo("ready");
            if (input.length() == 3) {
                assertThat(code).isZero();
                assertThat(lines).hasSize(5);
                for (String ms : lines.subList(1, 4)) {
                    assertThat(Double.parseDouble(ms)).isPositive();
                }
                assertThat(lines.get(4)).contains("\"objective\": \"pg\"").contains("\"steps\": 3");
            } else {
                // one line lets one step run; the next wait finds the input closed
                assertThat(code).isNotZero();
                assertThat(lines).hasSize(2);
                assertThat(err).contains("standard input closed before the 3 lock-step steps");
            }
        }
    }
}
