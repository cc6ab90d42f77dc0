package org.mbrl4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mbrl4j.logging.TensorBoardReadBack;
import org.mbrl4j.model.HalfCheetahFixture;

class RunDirectoryTest {
    @TempDir
    Path dir;

    @Test
    void trainModelWritesARunThatTensorBoardReads() throws Exception {
        HalfCheetahFixture f = HalfCheetahFixture.get();
        Path logdir = dir.resolve("runs");
        StringBuilder err = new StringBuilder();
        assertThat(RolloutCommandTest.run(err, "train-model", "--data", f.csv.toString(), "--objective", "pg",
                "--reward", "scaled", "--lambda", "0.5", "--epochs", "3", "--hidden", "16,16", "--logdir",
                logdir.toString())).as(err.toString()).isZero();
        Path run;
        try (Stream<Path> s = Files.list(logdir.resolve("train-model"))) {
            run = s.findFirst().orElseThrow();
        }
        assertThat(run.getFileName().toString()).matches("\\d{8}-\\d{6}-[0-9a-f]+");
        assertThat(run.resolve("config.yaml")).content().contains("objective: pg").contains("lambda: 0.5");
        JsonNode prov = new ObjectMapper().readTree(run.resolve("provenance.json").toFile());
        assertThat(prov.get("git_commit").asText()).isNotBlank();
        assertThat(prov.get("nd4j_version").asText()).isEqualTo("1.0.0-M2.1");
        assertThat(prov.get("seed").asLong()).isZero();
        assertThat(run.resolve("model.json")).exists();
        List<String> jsonl = Files.readAllLines(run.resolve("events.jsonl"));
        assertThat(jsonl.get(0)).contains("\"type\":\"RunStarted\"");
        assertThat(jsonl.stream().filter(l -> l.contains("\"type\":\"ModelEpoch\""))).hasSize(3);
        assertThat(jsonl.get(jsonl.size() - 1)).contains("\"type\":\"RunEnded\"").contains("\"success\":true");
        Path events;
        try (Stream<Path> s = Files.list(run)) {
            events = s.filter(p -> p.getFileName().toString().startsWith("events.out.tfevents.")).findFirst().orElseThrow();
        }
        JsonNode tb = TensorBoardReadBack.read(events);
        for (String tag : List.of("model/train_loss", "model/val_nll", "model/val_rmse", "model/entropy",
                "model/reward_mean", "model/grad_norm", "model/lr")) {
            assertThat(tb.at("/scalars/" + tag.replace("/", "~1"))).as(tag).hasSize(3);
        }
        assertThat(tb.at("/scalars/model~1train_loss").get(2).get(0).asLong()).isEqualTo(2);
        assertThat(tb.at("/scalars/final~1test_nll")).hasSize(1);
        assertThat(tb.at("/hparams/session_start/objective").asText()).isEqualTo("pg");
        assertThat(tb.at("/hparams/session_start/lambda").asDouble()).isEqualTo(0.5);
        assertThat(tb.at("/hparams/experiment/metrics").toString()).contains("final/test_nll", "final/test_rmse");
        assertThat(tb.at("/hparams/session_end").asInt()).isEqualTo(1);
        assertThat(tb.at("/text/config").get(0).get(1).asText()).contains("objective: pg");
    }

    @Test
    void yamlConfigsAreValidatedAndFlagsOverrideThem() throws Exception {
        HalfCheetahFixture f = HalfCheetahFixture.get();
        Path cfg = dir.resolve("c.yaml");
        Files.writeString(cfg, "objective: nll\nepochs: 2\nhidden: [8, 8]\nlambda: 3\n");
        Path out = dir.resolve("run");
        StringBuilder err = new StringBuilder();
        assertThat(RolloutCommandTest.run(err, "train-model", "--config", cfg.toString(), "--data", f.csv.toString(),
                "--epochs", "1", "--out", out.toString())).as(err.toString()).isZero();
        JsonNode metrics = new ObjectMapper().readTree(out.resolve("metrics.json").toFile());
        assertThat(metrics.at("/curves/train_loss")).as("--epochs 1 overrides the file's 2").hasSize(1);
        assertThat(out.resolve("config.yaml")).content().contains("hidden:\n- 8\n- 8").contains("objective: nll");

        Files.writeString(cfg, "objective: nll\nlamda: 3\n");
        err.setLength(0);
        assertThat(RolloutCommandTest.run(err, "train-model", "--config", cfg.toString(), "--data", "x")).isEqualTo(2);
        assertThat(err.toString()).contains("unknown key 'lamda' for train-model; accepted: [").contains("lambda");
        Files.writeString(cfg, "objective: nll\nepochs: many\n");
        err.setLength(0);
        assertThat(RolloutCommandTest.run(err, "train-model", "--config", cfg.toString(), "--data", "x")).isEqualTo(2);
        assertThat(err.toString()).contains("key 'epochs' must be an integer, got 'many'");
        Files.writeString(cfg, "hidden: {a: 1}\n");
        err.setLength(0);
        assertThat(RolloutCommandTest.run(err, "train-model", "--config", cfg.toString(), "--data", "x", "--objective", "nll"))
                .isEqualTo(2);
        assertThat(err.toString()).contains("key 'hidden' must be a single value");
        err.setLength(0);
        assertThat(RolloutCommandTest.run(err, "train-model", "--config", dir.resolve("none.yaml").toString())).isEqualTo(2);
        assertThat(err.toString()).contains("does not exist");
    }

    @Test
    void configShowPrintsEveryDefault() {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true));
        try {
            assertThat(Main.run("config", "--show", "train-model")).isZero();
        } finally {
            System.setOut(old);
        }
        assertThat(buf.toString()).contains("epochs: 200", "lr: 0.001", "reward: identity", "logdir: runs", "hidden:\n- 64\n- 64");
        buf.reset();
        System.setOut(new PrintStream(buf, true));
        try {
            assertThat(Main.run("config", "--show", "run", "pets")).isZero();
        } finally {
            System.setOut(old);
        }
        assertThat(buf.toString()).contains("env: Pendulum-v1", "objective: nll", "episodes: null  # default 10; --quick: 3",
                "horizon: null  # default 15", "quick: false");
        // what config --show prints is a valid config file (null: the command's own default)
        java.nio.file.Path shown = dir.resolve("shown.yaml");
        try {
            java.nio.file.Files.writeString(shown, buf.toString());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        buf.reset();
        System.setOut(new PrintStream(buf, true));
        try {
            assertThat(Main.run("run", "pets", "--config", shown.toString(), "--help")).isZero();
        } finally {
            System.setOut(old);
        }
    }
}
