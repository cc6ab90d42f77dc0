package org.mbrl4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The short PETS run on native Pendulum-v1 learns: its return improves well beyond the random policy's; a run killed
 * with SIGKILL and resumed from its checkpoint ends exactly as the uninterrupted run.
 */
class PetsCommandTest {
    /** Tiny sizes: 1 random + 3 planning episodes of 200 steps, a checkpoint every 50 steps, training every 120. */
    private static final List<String> TINY = List.of("run", "pets", "--ensemble", "2", "--hidden", "16,16", "--particles", "2",
            "--horizon", "5", "--population", "20", "--iterations", "2", "--model-epochs", "3", "--episodes", "3",
            "--checkpoint-every", "50", "--train-every", "120", "--state-cost", "0=0.1");

    @TempDir
    Path dir;

    @Test
    void aRunKilledMidEpisodeAndResumedEndsExactlyAsTheUninterruptedRun() throws Exception {
        Path whole = dir.resolve("whole");
        Path killed = dir.resolve("killed");
        StringBuilder err = new StringBuilder();
        List<String> args = new java.util.ArrayList<>(TINY);
        args.addAll(List.of("--out", whole.toString()));
        assertThat(RolloutCommandTest.run(err, args.toArray(String[]::new))).as(err.toString()).isZero();
        assertThat(Files.readAllLines(whole.resolve("events.jsonl")).stream().filter(l -> l.contains("\"type\":\"ModelTrained\"")))
                .as("trained before the first planning episode (step 200), then at steps 240, 360, 480, 600, 720").hasSize(6);

        List<String> cmd = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmn8m", "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(TINY);
        cmd.addAll(List.of("--out", killed.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("killed.log").toFile())
                .start();
        Path state = killed.resolve("checkpoint/state.json");
        long deadline = System.nanoTime() + 120_000_000_000L;
        long at = -1;
        try {
            // kill -9 after a mid-episode checkpoint of a planning episode (episode 2 runs steps 400..600)
            while (System.nanoTime() < deadline && p.isAlive()) {
                if (Files.exists(state)) {
                    try {
                        var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(state.toFile());
                        if (json.get("env_steps").asLong() >= 450 && json.get("step").asInt() > 0) {
                            p.destroyForcibly(); // SIGKILL: no shutdown hook, no flush
                            at = json.get("env_steps").asLong();
                            break;
                        }
                    } catch (java.io.IOException racedWithTheSwap) {
                        // the checkpoint directory was being replaced; look again
                    }
                }
                Thread.sleep(10);
            }
            assertThat(p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        } finally {
            p.destroyForcibly();
        }
        assertThat(at).as("killed after a mid-episode checkpoint; log: %s", Files.readString(dir.resolve("killed.log")))
                .isBetween(450L, 750L);
        assertThat(killed.resolve("returns.csv")).as("the killed run had not finished").doesNotExist();

        StringBuilder err2 = new StringBuilder();
        assertThat(RolloutCommandTest.run(err2, "run", "pets", "--resume", killed.toString())).as(err2.toString()).isZero();
        assertThat(Files.readAllLines(killed.resolve("checkpoint/buffer.csv")))
                .isEqualTo(Files.readAllLines(whole.resolve("checkpoint/buffer.csv")));
        assertThat(returns(killed)).isEqualTo(returns(whole)).hasSize(4);
        assertThat(killed.resolve("provenance-resumed-1.json")).isRegularFile();
        assertThat(Files.readString(killed.resolve("events.jsonl"))).contains("\"type\":\"RunEnded\"");

        StringBuilder bad = new StringBuilder();
        assertThat(RolloutCommandTest.run(bad, "run", "pets", "--resume", killed.toString(), "--horizon", "9")).isEqualTo(2);
        assertThat(bad.toString()).contains("only --episodes may be given with it, got [--horizon]");
        StringBuilder none = new StringBuilder();
        assertThat(RolloutCommandTest.run(none, "run", "pets", "--resume", dir.toString())).isEqualTo(2);
        assertThat(none.toString()).contains("--resume: no checkpoint in " + dir)
                .as("the message, not buried under the usage page").doesNotContain("Usage:")
                .contains("(the accepted options: mbrl4j run pets --help)");
    }

    @Test
    void aCrashingEnvironmentStopsTheRunWithAResumeHintAndResumingLosesNothing() throws Exception {
        Path whole = dir.resolve("whole");
        Path crashing = dir.resolve("crashing");
        List<String> args = new java.util.ArrayList<>(TINY);
        args.addAll(List.of("--out", whole.toString()));
        StringBuilder err = new StringBuilder();
        assertThat(RolloutCommandTest.run(err, args.toArray(String[]::new))).as(err.toString()).isZero();
        args = new java.util.ArrayList<>(TINY);
        args.addAll(List.of("--env", TestEnvs.ID, "--out", crashing.toString()));
        StringBuilder first = new StringBuilder();
        assertThat(RolloutCommandTest.run(first, args.toArray(String[]::new))).isEqualTo(1);
        assertThat(first.toString()).contains("the process died (exit code 137)",
                "nothing before the last checkpoint is lost: continue with mbrl4j run pets --resume " + crashing);
        // every process of the environment dies on its 300th step: each resume gets further, none loses data
        int resumes = 0;
        int exit = 1;
        while (exit != 0 && resumes++ < 6) {
            StringBuilder again = new StringBuilder();
            exit = RolloutCommandTest.run(again, "run", "pets", "--resume", crashing.toString());
            assertThat(exit).as(again.toString()).isIn(0, 1);
        }
        assertThat(exit).isZero();
        assertThat(resumes).isGreaterThan(1);
        assertThat(Files.readAllLines(crashing.resolve("checkpoint/buffer.csv")))
                .isEqualTo(Files.readAllLines(whole.resolve("checkpoint/buffer.csv")));
        assertThat(returns(crashing)).isEqualTo(returns(whole));
    }

    @Test
    void aDamagedNewestCheckpointFallsBackToThePreviousGenerationAndTheResumedRunEndsAsTheUninterruptedOne()
            throws Exception {
        Path whole = dir.resolve("whole");
        Path damaged = dir.resolve("damaged");
        List<String> args = new java.util.ArrayList<>(TINY);
        args.addAll(List.of("--out", whole.toString()));
        StringBuilder err = new StringBuilder();
        assertThat(RolloutCommandTest.run(err, args.toArray(String[]::new))).as(err.toString()).isZero();
        args = new java.util.ArrayList<>(TINY);
        args.set(args.indexOf("--episodes") + 1, "2");
        args.addAll(List.of("--out", damaged.toString()));
        assertThat(RolloutCommandTest.run(err, args.toArray(String[]::new))).as(err.toString()).isZero();
        long newest = ((Number) org.mbrl4j.agents.RunCheckpointer.readState(damaged.resolve("checkpoint")).get("env_steps")).longValue();
        long previous = ((Number) org.mbrl4j.agents.RunCheckpointer.readState(damaged.resolve("checkpoint.old")).get("env_steps")).longValue();
        assertThat(previous).isLessThan(newest);
        Files.writeString(damaged.resolve("checkpoint/buffer.csv"), "garbage");

        StringBuilder resumed = new StringBuilder();
        assertThat(RolloutCommandTest.run(resumed, "run", "pets", "--resume", damaged.toString(), "--episodes", "3"))
                .as(resumed.toString()).isZero();
        assertThat(resumed.toString()).contains("checkpoint/buffer.csv has 7 bytes where the manifest says",
                "resuming from the previous checkpoint " + damaged.resolve("checkpoint.old"),
                "(" + (newest - previous) + " environment steps are redone)");
        assertThat(Files.readAllLines(damaged.resolve("checkpoint/buffer.csv")))
                .isEqualTo(Files.readAllLines(whole.resolve("checkpoint/buffer.csv")));
        assertThat(returns(damaged)).isEqualTo(returns(whole));

        // both generations damaged: a clear error, no stack trace, no advice to run the command that just failed
        Files.writeString(damaged.resolve("checkpoint/model.json"), "{}");
        Files.writeString(damaged.resolve("checkpoint.old/buffer.csv"), "x");
        StringBuilder none = new StringBuilder();
        assertThat(RolloutCommandTest.run(none, "run", "pets", "--resume", damaged.toString())).isEqualTo(2);
        assertThat(none.toString()).contains("no intact checkpoint in " + damaged, "checkpoint/model.json has 2 bytes",
                "checkpoint.old/buffer.csv has 1 bytes").doesNotContain("\tat ").doesNotContain("continue with");
    }

    @Test
    void aRunWhoseFilesCannotBeWrittenStopsNamingThemAndItsCheckpointsLoseNothing() throws Exception {
        Path whole = dir.resolve("whole");
        List<String> args = new java.util.ArrayList<>(TINY);
        args.addAll(List.of("--out", whole.toString()));
        StringBuilder err = new StringBuilder();
        assertThat(RolloutCommandTest.run(err, args.toArray(String[]::new))).as(err.toString()).isZero();
        // the event log on a full disk (/dev/full fails every write with ENOSPC, even for root)
        Path full = dir.resolve("full");
        Files.createDirectories(full);
        Files.createSymbolicLink(full.resolve("events.jsonl"), Path.of("/dev/full"));
        args = new java.util.ArrayList<>(TINY);
        args.addAll(List.of("--out", full.toString()));
        StringBuilder first = new StringBuilder();
        assertThat(RolloutCommandTest.run(first, args.toArray(String[]::new))).isEqualTo(1);
        assertThat(first.toString()).contains("cannot write " + full.resolve("events.jsonl") + ": No space left on device",
                "nothing before the last checkpoint is lost: continue with mbrl4j run pets --resume " + full)
                .doesNotContain("\tat ");
        org.mbrl4j.agents.RunCheckpointer.Generation g = org.mbrl4j.agents.RunCheckpointer.latest(full);
        assertThat(g.fallbackNote()).as("the checkpoint written before the failure is intact").isNull();
        assertThat(org.mbrl4j.agents.RunCheckpointer.readState(g.dir()).get("env_steps")).isEqualTo(50);
        // the disk is fixed, but returns.csv cannot be written (a directory is in its way): the run ends failed,
        // naming it, after its last checkpoint
        Files.delete(full.resolve("events.jsonl"));
        Files.createDirectories(full.resolve("returns.csv/in-the-way"));
        StringBuilder second = new StringBuilder();
        assertThat(RolloutCommandTest.run(second, "run", "pets", "--resume", full.toString())).isEqualTo(1);
        assertThat(second.toString()).contains("cannot write " + full.toAbsolutePath().resolve("returns.csv"))
                .doesNotContain("\tat ");
        assertThat(Files.readAllLines(full.resolve("checkpoint/buffer.csv")))
                .isEqualTo(Files.readAllLines(whole.resolve("checkpoint/buffer.csv")));
        org.mbrl4j.data.AtomicFile.deleteTree(full.resolve("returns.csv"));
        StringBuilder third = new StringBuilder();
        assertThat(RolloutCommandTest.run(third, "run", "pets", "--resume", full.toString())).as(third.toString()).isZero();
        assertThat(returns(full)).isEqualTo(returns(whole));
    }

    @Test
    void aCheckpointDirectoryThatCannotBeWrittenFailsTheRunNamingItAndKeepsThePreviousCheckpoint() throws Exception {
        Path whole = dir.resolve("whole");
        List<String> args = new java.util.ArrayList<>(TINY);
        args.addAll(List.of("--out", whole.toString()));
        StringBuilder err = new StringBuilder();
        assertThat(RolloutCommandTest.run(err, args.toArray(String[]::new))).as(err.toString()).isZero();
        Path ro = dir.resolve("ro");
        args = new java.util.ArrayList<>(TINY);
        args.set(args.indexOf("--episodes") + 1, "1");
        args.addAll(List.of("--out", ro.toString()));
        assertThat(RolloutCommandTest.run(err, args.toArray(String[]::new))).as(err.toString()).isZero();
        String before = Files.readString(ro.resolve("checkpoint/state.json"));
        // the next checkpoint is assembled in checkpoint.tmp: a read-only directory there cannot be cleared
        Path tmp = Files.createDirectories(ro.resolve("checkpoint.tmp"));
        Files.writeString(tmp.resolve("stale"), "x");
        org.junit.jupiter.api.Assumptions.assumeTrue(readOnly(tmp, true),
                "this file system lets this user write into read-only directories (root without chattr)");
        StringBuilder failed = new StringBuilder();
        try {
            assertThat(RolloutCommandTest.run(failed, "run", "pets", "--resume", ro.toString(), "--episodes", "3"))
                    .isEqualTo(1);
        } finally {
            readOnly(tmp, false);
        }
        assertThat(failed.toString()).contains("cannot write the checkpoint " + tmp, "the previous checkpoint is kept")
                .doesNotContain("\tat ");
        assertThat(Files.readString(ro.resolve("checkpoint/state.json"))).isEqualTo(before);
        org.mbrl4j.data.AtomicFile.deleteTree(tmp);
        StringBuilder resumed = new StringBuilder();
        assertThat(RolloutCommandTest.run(resumed, "run", "pets", "--resume", ro.toString(), "--episodes", "3"))
                .as(resumed.toString()).isZero();
        assertThat(returns(ro)).isEqualTo(returns(whole));
        assertThat(Files.readAllLines(ro.resolve("checkpoint/buffer.csv")))
                .isEqualTo(Files.readAllLines(whole.resolve("checkpoint/buffer.csv")));
    }

    /**
     * Makes {@code d} read-only (or writable again) for this user: its permissions, and for root, who ignores them,
     * the immutable attribute; whether nothing can be created in it now.
     */
    private static boolean readOnly(Path d, boolean on) throws Exception {
        if (!on) {
            new ProcessBuilder("chattr", "-i", d.toString()).redirectErrorStream(true).start().waitFor();
            return d.toFile().setWritable(true);
        }
        d.toFile().setWritable(false);
        if (!writable(d)) {
            return true;
        }
        try {
            new ProcessBuilder("chattr", "+i", d.toString()).redirectErrorStream(true).start().waitFor();
        } catch (java.io.IOException noChattr) {
            return false;
        }
        return !writable(d);
    }

    private static boolean writable(Path d) {
        try {
            Files.delete(Files.createFile(d.resolve("probe")));
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    /** episode, env_steps, return of every row of returns.csv (wall time excluded). */
    private static List<String> returns(Path run) throws java.io.IOException {
        return Files.readAllLines(run.resolve("returns.csv")).stream().skip(1)
                .map(l -> l.substring(0, l.lastIndexOf(','))).toList();
    }

    @Test
    void aStateCostChangesThePlansAndBadOnesAreRejected() throws Exception {
        StringBuilder err = new StringBuilder();
        List<String> args = new java.util.ArrayList<>(TINY.subList(0, TINY.indexOf("--state-cost")));
        args.set(args.indexOf("--episodes") + 1, "1");
        args.addAll(List.of("--out", dir.resolve("plain").toString()));
        assertThat(RolloutCommandTest.run(err, args.toArray(String[]::new))).as(err.toString()).isZero();
        args.set(args.size() - 1, dir.resolve("cost").toString());
        args.addAll(List.of("--state-cost", "1=5"));
        assertThat(RolloutCommandTest.run(err, args.toArray(String[]::new))).as(err.toString()).isZero();
        assertThat(Files.readString(dir.resolve("cost/checkpoint/state.json"))).contains("\"state_cost\":{\"1\":5.0}");
        List<String> plain = Files.readAllLines(dir.resolve("plain/checkpoint/buffer.csv"));
        List<String> cost = Files.readAllLines(dir.resolve("cost/checkpoint/buffer.csv"));
        assertThat(cost.subList(0, 201)).as("the random episode is the same").isEqualTo(plain.subList(0, 201));
        assertThat(cost).as("the planned episode is not").isNotEqualTo(plain);
        assertThat(RolloutCommandTest.run(err, "run", "pets", "--quick", "--state-cost", "3=1", "--out",
                dir.resolve("a").toString())).isNotZero();
        assertThat(err.toString()).contains("state cost 3=1.0", "0..2");
        err.setLength(0);
        assertThat(RolloutCommandTest.run(err, "run", "pets", "--quick", "--state-cost", "0:1", "--out",
                dir.resolve("b").toString())).isNotZero();
        assertThat(err.toString()).contains("--state-cost '0:1'", "TERM=WEIGHT");
        err.setLength(0);
        assertThat(RolloutCommandTest.run(err, "run", "pets", "--quick", "--state-cost", "tip-depth=1", "--out",
                dir.resolve("d").toString())).isNotZero();
        assertThat(err.toString()).as("Pendulum has no named costs").contains("state cost tip-depth=1.0", "0..2")
                .doesNotContain("named cost");
        err.setLength(0);
        assertThat(RolloutCommandTest.run(err, "run", "pets", "--env", "Acrobot-v1", "--state-cost", "energy-gap=1",
                "--episodes", "1", "--out", dir.resolve("e").toString())).isNotZero();
        assertThat(err.toString()).contains("state cost energy-gap=1.0", "0..5", "named cost (tip-depth)");
        err.setLength(0);
        assertThat(RolloutCommandTest.run(err, "run", "pets", "--quick", "--reward-head", "--state-cost", "0=1", "--out",
                dir.resolve("c").toString())).isNotZero();
        assertThat(err.toString()).contains("it cannot be combined with the model's reward head");
    }

    @Test
    void episodesOfAFewStepsTrainWithoutAValidationSet() throws Exception {
        Path out = dir.resolve("short");
        StringBuilder err = new StringBuilder();
        assertThat(RolloutCommandTest.run(err, "run", "pets", "--env", TestEnvs.SHORT, "--quick", "--episodes", "2",
                "--out", out.toString())).as(err.toString()).isZero();
        assertThat(Files.readAllLines(out.resolve("returns.csv"))).hasSize(4)
                .last().satisfies(l -> assertThat(l).startsWith("2,9,"));
    }

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
        assertThat(out.resolve("checkpoint/model.json")).exists();
        assertThat(out.resolve("checkpoint/buffer.csv")).exists();
        assertThat(out.resolve("checkpoint/state.json")).content().contains("\"episode\":3", "\"eval_done\":1");
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
