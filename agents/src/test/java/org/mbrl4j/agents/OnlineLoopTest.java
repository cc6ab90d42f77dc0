package org.mbrl4j.agents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mbrl4j.event.Event;
import org.mbrl4j.event.EventBus;

/**
 * The loop is agent-agnostic: a small learning agent of the tests' own runs through it with checkpoints, and a run
 * killed with SIGKILL mid-episode and resumed ends exactly as the uninterrupted run (buffer, results, agent state and
 * the agent's own checkpoint file).
 */
class OnlineLoopTest {
    @TempDir
    Path dir;

    @Test
    void aLearnerKilledMidEpisodeAndResumedEndsExactlyAsTheUninterruptedRun() throws Exception {
        Path whole = dir.resolve("whole");
        LearnerAgent wholeAgent = new LearnerAgent(0);
        List<OnlineLoop.EpisodeResult> expected = LearnerAgent.loop(new Cart(), wholeAgent).build().run(EventBus.create(),
                whole);
        assertThat(expected).hasSize(2 + 4 + 4);
        assertThat(expected.stream().map(OnlineLoop.EpisodeResult::phase).distinct()).containsExactly("random", "train",
                "eval");
        assertThat(wholeAgent.observed).as("every collected step is observed, evaluations are not").isEqualTo(6 * Cart.LENGTH);
        assertThat(wholeAgent.k).as("the learner learned something").isNotEqualTo(0.2);

        Path killed = dir.resolve("killed");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), LearnerAgent.class.getName(), killed.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("killed.log").toFile()).start();
        long at = -1;
        try {
            Path state = killed.resolve("checkpoint/state.json");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < deadline && p.isAlive()) {
                if (Files.exists(state)) {
                    try {
                        var json = new ObjectMapper().readTree(state.toFile());
                        // inside a learning episode (collected steps 60..180), between two checkpoints
                        if (json.get("env_steps").asLong() >= 75 && json.get("step").asInt() > 0) {
                            p.destroyForcibly();
                            at = json.get("env_steps").asLong();
                            break;
                        }
                    } catch (java.io.IOException racedWithTheSwap) {
                        // the checkpoint directory was being replaced; look again
                    }
                }
                Thread.sleep(2);
            }
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            p.destroyForcibly();
        }
        assertThat(at).as("killed after a mid-episode checkpoint; log: %s", Files.readString(dir.resolve("killed.log")))
                .isBetween(75L, 179L);

        LearnerAgent resumedAgent = new LearnerAgent(0);
        List<OnlineLoop.EpisodeResult> resumed = LearnerAgent.loop(new Cart(), resumedAgent)
                .optResume(RunCheckpointer.latest(killed).dir()).build().run(EventBus.create(), killed);
        assertThat(strip(resumed)).isEqualTo(strip(expected));
        assertThat(Files.readAllLines(killed.resolve("checkpoint/buffer.csv")))
                .isEqualTo(Files.readAllLines(whole.resolve("checkpoint/buffer.csv")));
        assertThat(resumedAgent.state(dir)).isEqualTo(wholeAgent.state(dir));
        assertThat(resumedAgent.history.toString()).isEqualTo(wholeAgent.history.toString());
        assertThat(Files.readString(killed.resolve("checkpoint/learner-history.csv")))
                .isEqualTo(Files.readString(whole.resolve("checkpoint/learner-history.csv")));
    }

    /** Results without wall time. */
    private static List<String> strip(List<OnlineLoop.EpisodeResult> rs) {
        return rs.stream().map(r -> r.episode() + "," + r.envSteps() + "," + r.ret() + "," + r.phase()).toList();
    }

    @Test
    void theLoopPublishesEpisodesAndCheckpointsAndRejectsBadSettings() {
        EventBus bus = EventBus.create();
        List<Event> events = new ArrayList<>();
        bus.subscribe(Event.class, events::add);
        LearnerAgent.loop(new Cart(), new LearnerAgent(0)).build().run(bus, dir.resolve("run"));
        bus.close();
        assertThat(events.stream().filter(e -> e instanceof Event.EpisodeEnd)).hasSize(10);
        // 180 collected steps: every 7th mid-episode, plus every episode end (6 collected, 4 evaluations)
        assertThat(events.stream().filter(e -> e instanceof Event.CheckpointWritten)).hasSize(180 / 7 + 10);
        assertThatThrownBy(() -> OnlineLoop.builder().setEnv(new Cart()).setAgent(new LearnerAgent(0)).build())
                .hasMessageContaining("episodes must be ≥ 1");
        assertThatThrownBy(() -> OnlineLoop.builder().setEnv(new Cart()).setEpisodes(1).build())
                .hasMessageContaining("an agent (setAgent)");
    }

    @Test
    void theSameSeedGivesTheSameRunAndAnotherSeedAnother() {
        var a = LearnerAgent.loop(new Cart(), new LearnerAgent(0)).build().run(EventBus.create(), null);
        var b = LearnerAgent.loop(new Cart(), new LearnerAgent(0)).build().run(EventBus.create(), null);
        var c = LearnerAgent.loop(new Cart(), new LearnerAgent(0)).optSeed(12).build().run(EventBus.create(), null);
        assertThat(strip(a)).isEqualTo(strip(b)).isNotEqualTo(strip(c));
    }

    @Test
    void aCheckpointRoundTripsAndTheStateFieldsAreChecked() throws Exception {
        Path run = dir.resolve("ck");
        Files.createDirectories(run);
        RunCheckpointer.write(run, d -> Files.writeString(d.resolve("a.txt"), "first"), Map.of("n", 1, "xs", List.of(1.5, 2)));
        Path cur = RunCheckpointer.write(run, d -> Files.writeString(d.resolve("a.txt"), "second"),
                Map.of("n", 2, "xs", List.of(1.5, 2), "o", Map.of("k", "v"), "os", List.of(Map.of("e", 1))));
        assertThat(RunCheckpointer.latest(run).dir()).isEqualTo(cur);
        assertThat(RunCheckpointer.latest(run).fallbackNote()).isNull();
        assertThat(Files.readString(cur.resolve("a.txt"))).isEqualTo("second");
        assertThat(Files.readString(run.resolve("checkpoint.old/a.txt"))).as("the previous generation is kept").isEqualTo("first");
        assertThat(run.resolve("checkpoint.tmp")).doesNotExist();
        Map<String, Object> s = RunCheckpointer.readState(cur);
        assertThat(RunCheckpointer.number(s, "n")).isEqualTo(2);
        assertThat(RunCheckpointer.doubles(s, "xs")).containsExactly(1.5, 2.0);
        assertThat(RunCheckpointer.object(s, "o")).containsEntry("k", "v");
        assertThat(RunCheckpointer.objects(s, "os")).hasSize(1);
        assertThatThrownBy(() -> RunCheckpointer.number(s, "o")).hasMessageContaining("field 'o' must be a number");
        assertThatThrownBy(() -> RunCheckpointer.doubles(s, "os")).hasMessageContaining("'os' must hold numbers");
        assertThatThrownBy(() -> RunCheckpointer.number(s, "missing")).hasMessageContaining("has no 'missing'");
        // a process killed between the two renames leaves only checkpoint.old: it is found
        org.mbrl4j.data.AtomicFile.deleteTree(run.resolve("checkpoint.old"));
        Files.move(cur, run.resolve("checkpoint.old"));
        assertThat(RunCheckpointer.latest(run).dir()).isEqualTo(run.resolve("checkpoint.old"));
        assertThatThrownBy(() -> RunCheckpointer.latest(dir.resolve("none"))).hasMessageContaining("no checkpoint in");
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource(delimiter = ';', value = {
        "overwrite; checkpoint/buffer.csv does not match its checksum in the manifest (damaged)",
        "truncate; checkpoint/buffer.csv has 3 bytes where the manifest says 12 (truncated or overwritten)",
        "delete; checkpoint/buffer.csv is missing",
        "state; checkpoint/state.json does not match its checksum",
        "manifest; checkpoint/manifest.json is damaged",
        "nostate; checkpoint/state.json is missing"})
    void aDamagedFileOfTheNewestGenerationFallsBackToThePreviousOneAndSaysWhyAndHowManyStepsAreRedone(String damage,
            String message) throws Exception {
        Path run = dir.resolve("gen");
        Files.createDirectories(run);
        RunCheckpointer.write(run, d -> Files.writeString(d.resolve("buffer.csv"), "rows of one!"), Map.of("env_steps", 1000));
        RunCheckpointer.write(run, d -> Files.writeString(d.resolve("buffer.csv"), "rows of two!"), Map.of("env_steps", 1200));
        Path buffer = run.resolve("checkpoint/buffer.csv");
        switch (damage) {
            case "overwrite" -> Files.writeString(buffer, "garbage!!!!!");
            case "truncate" -> Files.writeString(buffer, "row");
            case "delete" -> Files.delete(buffer);
            case "state" -> Files.writeString(run.resolve("checkpoint/state.json"), "{\"env_steps\":1201}");
            case "manifest" -> Files.writeString(run.resolve("checkpoint/manifest.json"), "{\"files\": [");
            case "nostate" -> Files.delete(run.resolve("checkpoint/state.json"));
            default -> throw new IllegalArgumentException(damage);
        }
        RunCheckpointer.Generation g = RunCheckpointer.latest(run);
        assertThat(g.dir()).isEqualTo(run.resolve("checkpoint.old"));
        assertThat(Files.readString(g.dir().resolve("buffer.csv"))).isEqualTo("rows of one!");
        assertThat(g.fallbackNote()).contains(message, "resuming from the previous checkpoint " + run.resolve("checkpoint.old"));
        if (damage.equals("overwrite") || damage.equals("truncate") || damage.equals("delete") || damage.equals("manifest")) {
            assertThat(g.redone()).isEqualTo(200);
            assertThat(g.fallbackNote()).contains("(200 environment steps are redone)");
        }
        // both generations damaged: nothing to resume, and the message says what is wrong with each
        Files.writeString(run.resolve("checkpoint.old/buffer.csv"), "x");
        assertThatThrownBy(() -> RunCheckpointer.latest(run)).hasMessageContaining("no intact checkpoint in " + run)
                .hasMessageContaining(message).hasMessageContaining("checkpoint.old/buffer.csv has 1 bytes")
                .hasMessageNotContaining("--resume");
    }

    @Test
    void aRunWhoseCheckpointCannotBeWrittenStopsNamingThePathAndResumesFromTheLastOneExactly() throws Exception {
        Path whole = dir.resolve("whole");
        List<OnlineLoop.EpisodeResult> expected = LearnerAgent.loop(new Cart(), new LearnerAgent(0)).build()
                .run(EventBus.create(), whole);
        Path full = dir.resolve("full");
        LearnerAgent failing = new LearnerAgent(0);
        failing.diskFullFrom = 12;
        assertThatThrownBy(() -> LearnerAgent.loop(new Cart(), failing).build().run(EventBus.create(), full))
                .hasMessageContaining("cannot write the checkpoint " + full.resolve("checkpoint.tmp"))
                .hasMessageContaining(full.resolve("checkpoint.tmp/learner-history.csv") + " (No space left on device)")
                .hasMessageContaining("the previous checkpoint is kept");
        assertThat(full.resolve("checkpoint.tmp")).doesNotExist();
        RunCheckpointer.Generation g = RunCheckpointer.latest(full);
        assertThat(g.fallbackNote()).as("the newest generation is intact").isNull();
        long steps = RunCheckpointer.number(RunCheckpointer.readState(g.dir()), "env_steps").longValue();
        assertThat(steps).isPositive();
        List<OnlineLoop.EpisodeResult> resumed = LearnerAgent.loop(new Cart(), new LearnerAgent(0)).optResume(g.dir())
                .build().run(EventBus.create(), full);
        assertThat(strip(resumed)).isEqualTo(strip(expected));
        assertThat(Files.readAllLines(full.resolve("checkpoint/buffer.csv")))
                .isEqualTo(Files.readAllLines(whole.resolve("checkpoint/buffer.csv")));
    }

    @Test
    void aCheckpointThatCannotBeWrittenFailsNamingThePathAndKeepsThePreviousGenerations() throws Exception {
        Path run = dir.resolve("ro");
        Files.createDirectories(run);
        RunCheckpointer.write(run, d -> Files.writeString(d.resolve("a.txt"), "one"), Map.of("env_steps", 1));
        RunCheckpointer.write(run, d -> Files.writeString(d.resolve("a.txt"), "two"), Map.of("env_steps", 2));
        assertThatThrownBy(() -> RunCheckpointer.write(run, d -> {
            Files.writeString(d.resolve("a.txt"), "three");
            throw new java.nio.file.FileSystemException(d.resolve("buffer.csv").toString(), null, "No space left on device");
        }, Map.of("env_steps", 3))).hasMessageContaining("cannot write the checkpoint " + run.resolve("checkpoint.tmp"))
                .hasMessageContaining(run.resolve("checkpoint.tmp/buffer.csv") + " (No space left on device)")
                .hasMessageContaining("the previous checkpoint is kept");
        assertThat(run.resolve("checkpoint.tmp")).doesNotExist();
        assertThat(Files.readString(RunCheckpointer.latest(run).dir().resolve("a.txt"))).isEqualTo("two");
        assertThat(Files.readString(run.resolve("checkpoint.old/a.txt"))).isEqualTo("one");
    }

    @Test
    void randomStreamsArePureFunctionsOfTheirParts() {
        long base = OnlineLoop.seed(5, OnlineLoop.Stream.ACT, 3, 0, 7);
        assertThat(OnlineLoop.seed(5, OnlineLoop.Stream.ACT, 3, 0, 7)).isEqualTo(base);
        assertThat(List.of(OnlineLoop.seed(6, OnlineLoop.Stream.ACT, 3, 0, 7), OnlineLoop.seed(5, OnlineLoop.Stream.RESET, 3, 0, 7),
                OnlineLoop.seed(5, OnlineLoop.Stream.ACT, 4, 0, 7), OnlineLoop.seed(5, OnlineLoop.Stream.ACT, 3, 1, 7),
                OnlineLoop.seed(5, OnlineLoop.Stream.ACT, 3, 0, 8))).doesNotContain(base).doesNotHaveDuplicates();
        // the recorded runs depend on these exact values (the stream ordinals and the mixing)
        assertThat(OnlineLoop.Stream.ACT.ordinal()).isEqualTo(3);
        assertThat(org.mbrl4j.random.Streams.seed(0, 0, 0, 0, 0)).isEqualTo(OnlineLoop.seed(0, OnlineLoop.Stream.INIT, 0, 0, 0));
        var r = new org.mbrl4j.random.Streams.Reseedable();
        r.reseed(base);
        var s = new java.util.SplittableRandom(base);
        assertThat(new double[] {r.nextDouble(), r.nextGaussian(), r.nextInt(10)})
                .containsExactly(s.nextDouble(), s.nextGaussian(), s.nextInt(10));
    }
}
