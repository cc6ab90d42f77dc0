package org.mbrl4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import com.fasterxml.jackson.databind.JsonNode;
import org.mbrl4j.logging.TensorBoardReadBack;
import org.mbrl4j.model.HalfCheetahFixture;

/** Sweeps on the local engine: merged results, resume, failing tasks, and bad sweep files named by key path. */
class SweepCommandTest {
    @TempDir
    Path dir;

    private Path sweepFile(String name, String body) throws Exception {
        Path f = dir.resolve(name);
        Files.writeString(f, body);
        return f;
    }

    private String base() {
        HalfCheetahFixture fx = HalfCheetahFixture.get();
        return "command: train-model\nbase:\n  data: " + fx.csv + "\n  epochs: 2\n  hidden: [16]\n";
    }

    @Test
    void runsEveryTaskMergesTheResultsAndResumesOnlyWhatIsMissing() throws Exception {
        Path f = sweepFile("s.yaml", base() + "grid:\n  objective: [nll, pg]\nseeds: [0, 1]\n");
        Path out = dir.resolve("out");
        StringBuilder err = new StringBuilder();
        assertThat(RolloutCommandTest.run(err, "sweep", f.toString(), "--threads", "2", "--out", out.toString()))
                .as(err.toString()).isZero();
        List<String> rows = Files.readAllLines(out.resolve("results.csv"));
        assertThat(rows).hasSize(5);
        assertThat(rows.get(0)).startsWith("task,objective,seed,status,exit,seconds,").contains("test_nll");
        assertThat(rows.subList(1, 5)).allMatch(r -> r.contains(",ok,0,"));
        String md = Files.readString(out.resolve("results.md"));
        assertThat(md).contains("| nll |", "| pg |");
        assertThat(out.resolve("plot.png")).isRegularFile();
        // the root's experiment summary names the varied keys and the runs' final metrics; each run has its session
        Path root;
        try (var s = Files.list(out)) {
            root = s.filter(p -> p.getFileName().toString().startsWith("events.out.tfevents")).findFirst().orElseThrow();
        }
        JsonNode exp = TensorBoardReadBack.read(root).at("/hparams/experiment");
        assertThat(exp.get("hparams").toString()).contains("objective", "seed");
        assertThat(exp.get("metrics").toString()).contains("final/test_nll");
        Path oneRun;
        try (var s = Files.list(out.resolve("runs/t002-objective=pg-seed=0"))) {
            oneRun = s.filter(p -> p.getFileName().toString().startsWith("events.out.tfevents")).findFirst().orElseThrow();
        }
        assertThat(TensorBoardReadBack.read(oneRun).at("/hparams/session_start/objective").asText()).isEqualTo("pg");
        Path kept = out.resolve("runs/t000-objective=nll-seed=0");
        assertThat(kept.resolve("console.log")).isRegularFile();
        assertThat(kept.resolve("model.json")).isRegularFile();
        try (var s = Files.list(out.resolve("runs"))) {
            assertThat(s.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
        }
        // resume: one run is missing, only that one runs again
        FileTime before = Files.getLastModifiedTime(kept.resolve("events.jsonl"));
        org.mbrl4j.data.AtomicFile.deleteTree(out.resolve("runs/t003-objective=pg-seed=1"));
        StringBuilder err2 = new StringBuilder();
        assertThat(RolloutCommandTest.run(err2, "sweep", "--resume", out.toString())).as(err2.toString()).isZero();
        assertThat(Files.readString(out.resolve("results.csv")).lines().skip(1)).hasSize(4).allMatch(r -> r.contains(",ok,0,"));
        assertThat(out.resolve("runs/t003-objective=pg-seed=1/model.json")).isRegularFile();
        assertThat(Files.getLastModifiedTime(kept.resolve("events.jsonl"))).isEqualTo(before);
    }

    @Test
    void aFailingTaskIsReportedAndTheOthersFinish() throws Exception {
        Path f = sweepFile("f.yaml", base() + "list:\n  - {objective: nll}\n  - {objective: nll, split-permutation: "
                + dir.resolve("missing.txt") + "}\n  - {objective: mse}\n");
        Path out = dir.resolve("fail");
        StringBuilder err = new StringBuilder();
        assertThat(RolloutCommandTest.run(err, "sweep", f.toString(), "--out", out.toString())).isEqualTo(1);
        List<String> rows = Files.readAllLines(out.resolve("results.csv"));
        assertThat(rows).hasSize(4);
        assertThat(rows.get(1)).contains(",ok,0,");
        assertThat(rows.get(2)).contains(",failed,2,").contains("does not exist");
        assertThat(rows.get(3)).contains(",ok,0,");
    }

    @Test
    void badSweepFilesAreRejectedWithTheKeyPath() throws Exception {
        String[][] cases = {
            {"command: train-modle\n", "command: unknown command 'train-modle'"},
            {base() + "sweeps: 3\n", "unknown key 'sweeps'"},
            {base() + "grid:\n  epochz: [1, 2]\n", "grid.epochz: unknown option 'epochz' for train-model"},
            {base() + "grid:\n  lambda: []\n", "grid.lambda must be a non-empty list"},
            {base() + "grid:\n  lambda: [1, abc]\n", "grid.lambda"},
            {"command: experiment synthetic\nseeds: 2\n", "has no --seed option"},
            {"command: experiment\n", "needs one of"},
            {base() + "list:\n  - {out: x}\n", "list[0].out: the sweep places every run itself"},
            {base() + "seeds: 999999999999992\n", "seeds must be a count of 1..100000 or a list of integers, got 999999999999992"},
            {base() + "seeds: 2.5\n", "seeds must be a count of 1..100000"},
            {base() + "seeds: [0, 1.5]\n", "seeds must be a count or a list of integers, got 1.5"},
            {base() + "grid:\n  epochs: [" + "1, ".repeat(400) + "1]\n  lr: [" + "0.1, ".repeat(300) + "0.1]\n",
                "grid has more than 100000 combinations"},
            {base() + "grid:\n  epochs: [" + "1, ".repeat(400) + "1]\nseeds: 300\n", "401 configurations × 300 seeds are more than"},
        };
        for (int i = 0; i < cases.length; i++) {
            Path f = sweepFile("bad" + i + ".yaml", cases[i][0]);
            StringBuilder err = new StringBuilder();
            assertThat(RolloutCommandTest.run(err, "sweep", f.toString(), "--out", dir.resolve("b" + i).toString()))
                    .as(cases[i][0]).isEqualTo(2);
            assertThat(err.toString()).as(cases[i][0]).contains(cases[i][1]);
        }
    }

    @Test
    void enginesAreFoundByIdAndRejectFlagsTheyCannotHonour() throws Exception {
        Path f = sweepFile("e.yaml", base() + "seeds: [0]\n");
        String[][] cases = {
            // without the mbrl4j-spark module only local is registered
            {"--engine,sparkk", "--engine: 'sparkk' is unknown; registered: local"},
            {"--engine,spark", "registered: local (spark is the mbrl4j-spark module: MBRL4J_SPARK=1"},
            {"--master,local[2]", "--master applies to cluster engines (spark), not to --engine local"},
            {"--checkpoints", "--checkpoints applies to engines that ship runs back (spark)"},
        };
        for (int i = 0; i < cases.length; i++) {
            List<String> args = new java.util.ArrayList<>(List.of("sweep", f.toString(), "--out",
                    dir.resolve("e" + i).toString()));
            args.addAll(List.of(cases[i][0].split(",")));
            StringBuilder err = new StringBuilder();
            assertThat(RolloutCommandTest.run(err, args.toArray(String[]::new))).as(cases[i][0]).isEqualTo(2);
            assertThat(err.toString()).as(cases[i][0]).contains(cases[i][1]);
            assertThat(dir.resolve("e" + i).resolve("runs")).as("nothing ran").doesNotExist();
        }
    }
}
