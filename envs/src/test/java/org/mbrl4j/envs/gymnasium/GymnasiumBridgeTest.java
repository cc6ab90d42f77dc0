package org.mbrl4j.envs.gymnasium;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mbrl4j.env.Env;
import org.mbrl4j.env.EnvChecker;
import org.mbrl4j.env.EnvCrashedException;
import org.mbrl4j.env.EnvRegistry;
import org.mbrl4j.env.Step;
import org.mbrl4j.env.VectorEnv;
import org.mbrl4j.python.PythonVenv;

/** The Gymnasium bridge against real Gymnasium 1.3.0 and MuJoCo, including its failure modes. */
class GymnasiumBridgeTest {
    private static final EnvRegistry REGISTRY = EnvRegistry.load();
    @TempDir
    Path dir;

    static JsonNode record(String id, int seed, int steps) throws Exception {
        Path python = PythonVenv.ensure("gymnasium", GymProcess.REQUIREMENTS);
        Path script = Files.createTempFile("record_gym", ".py");
        try (InputStream in = GymnasiumBridgeTest.class.getResourceAsStream("/python/record_gym.py")) {
            Files.write(script, in.readAllBytes());
        }
        Process p = new ProcessBuilder(python.toString(), script.toString(), id, "" + seed, "" + steps).start();
        byte[] out = p.getInputStream().readAllBytes();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(err).isZero();
        return GymnasiumEnv.JSON.readTree(out);
    }

    @ParameterizedTest
    @CsvSource({"HalfCheetah-v5,3,300,true", "HalfCheetah-v5,3,300,false", "Pendulum-v1,5,200,true",
            "Hopper-v5,1,300,true"})
    void javaSeesExactlyWhatPythonSees(String gymId, int seed, int steps, boolean lane) throws Exception {
        JsonNode rec = record(gymId, seed, steps);
        try (Env env = REGISTRY.make(GymnasiumEnvs.PREFIX + gymId, Map.of(GymnasiumEnvs.LANE, lane))) {
            assertThat(((GymnasiumEnv) env.unwrapped()).sharedMemory()).as("steps through shared memory")
                    .isEqualTo(lane && SharedMemoryLane.available());
            assertThat(env.reset(seed).observation()).containsExactly(doubles(rec.get("obs0")));
            int n = rec.get("actions").size();
            for (int t = 0; t < n; t++) {
                Step s = env.step(doubles(rec.get("actions").get(t)));
                assertThat(s.observation()).as("%s step %d", gymId, t).containsExactly(doubles(rec.get("obs").get(t)));
                assertThat(s.reward()).isEqualTo(rec.get("rewards").get(t).asDouble());
                assertThat(s.terminated()).isEqualTo(rec.get("terminated").get(t).asBoolean());
                assertThat(s.truncated()).isEqualTo(rec.get("truncated").get(t).asBoolean());
            }
        }
    }

    private static double[] doubles(JsonNode a) {
        double[] d = new double[a.size()];
        for (int i = 0; i < d.length; i++) {
            d[i] = a.get(i).asDouble();
        }
        return d;
    }

    /**
     * The planning reward and termination functions against the simulator's own, on random actions: termination
     * exactly; rewards exactly for InvertedPendulum and within the velocity approximation (observed root velocity
     * for Gymnasium's position difference over the frame skip) for HalfCheetah and Hopper.
     */
    @ParameterizedTest
    @CsvSource({"InvertedPendulum-v5,0.0", "Hopper-v5,0.01", "HalfCheetah-v5,0.2"})
    void planningRewardsMatchTheSimulator(String gymId, double tolerance) {
        org.mbrl4j.env.EnvSpec spec = REGISTRY.spec(GymnasiumEnvs.PREFIX + gymId);
        try (Env env = REGISTRY.make(GymnasiumEnvs.PREFIX + gymId)) {
            java.util.SplittableRandom rng = new java.util.SplittableRandom(4);
            double[] obs = env.reset(7).observation();
            org.mbrl4j.env.Box box = (org.mbrl4j.env.Box) env.actionSpace();
            double sumAbs = 0;
            double maxAbs = 0;
            int n = 400;
            int terminations = 0;
            for (int t = 0; t < n; t++) {
                double[] a = new double[box.flatDim()];
                for (int j = 0; j < a.length; j++) {
                    a[j] = box.low()[j] + (box.high()[j] - box.low()[j]) * rng.nextDouble();
                }
                org.mbrl4j.env.Step s = env.step(a);
                double[] r = new double[1];
                boolean[] done = new boolean[1];
                spec.rewardFn().compute(1, obs, a, s.observation(), r);
                spec.terminationFn().compute(1, obs, a, s.observation(), done);
                assertThat(done[0]).as("%s termination at step %d", gymId, t).isEqualTo(s.terminated());
                double err = Math.abs(r[0] - s.reward());
                sumAbs += err;
                maxAbs = Math.max(maxAbs, err);
                obs = s.observation();
                if (s.terminated() || s.truncated()) {
                    terminations += s.terminated() ? 1 : 0;
                    obs = env.reset(100 + t).observation();
                }
            }
            System.out.printf("%s: mean |reward error| %.4g, max %.4g, %d terminations%n", gymId, sumAbs / n, maxAbs,
                    terminations);
            if (tolerance == 0) {
                assertThat(maxAbs).as("%s reward error", gymId).isLessThan(1e-12);
                assertThat(terminations).as("random actions drop the pole").isPositive();
            } else {
                assertThat(sumAbs / n).as("%s mean reward error (max %s)", gymId, maxAbs).isLessThan(tolerance);
            }
        }
    }

    @Test
    void negativeSeedsAreValidAndReproducible() {
        // Gymnasium rejects negative seeds; Java seeds are any long (PETS draws them from nextLong())
        try (Env env = REGISTRY.make("gymnasium/InvertedPendulum-v5")) {
            double[] a = env.reset(-8781561602181964933L).observation();
            double[] b = env.reset(-8781561602181964933L).observation();
            double[] c = env.reset(42).observation();
            assertThat(a).containsExactly(b);
            assertThat(a).isNotEqualTo(c);
        }
    }

    @Test
    void rendersRgbFramesThatFollowTheState() {
        try (Env env = REGISTRY.make("gymnasium/Pendulum-v1", Map.of("render_mode", "rgb_array"))) {
            env.reset(0);
            GymnasiumEnv g = (GymnasiumEnv) env.unwrapped();
            g.setState(new double[] {0, 0}); // upright
            org.mbrl4j.env.Frame up = env.render();
            assertThat(up.height()).isEqualTo(500);
            assertThat(up.width()).isEqualTo(500);
            g.setState(new double[] {Math.PI, 0}); // hanging down
            org.mbrl4j.env.Frame down = env.render();
            // Gymnasium draws the rod in red (204, 77, 77) from the centre: above it when upright, below when down
            int rod = 0xcc4d4d;
            assertThat(up.pixel(150, 250)).isEqualTo(rod);
            assertThat(up.pixel(350, 250)).isNotEqualTo(rod);
            assertThat(down.pixel(350, 250)).isEqualTo(rod);
            assertThat(down.pixel(150, 250)).isNotEqualTo(rod);
            Path png = dir.resolve("up.png");
            up.writePng(png);
            assertThat(png).isNotEmptyFile();
        }
        try (Env env = REGISTRY.make("gymnasium/Pendulum-v1")) {
            env.reset(0);
            assertThatThrownBy(env::render).isInstanceOf(GymnasiumException.class)
                    .hasMessageContaining("needs render_mode='rgb_array'");
            assertThat(env.step(new double[] {0}).observation()).as("the bridge stays usable").hasSize(3);
        }
        try (Env env = REGISTRY.make("Pendulum-v1")) {
            assertThatThrownBy(env::render).isInstanceOf(UnsupportedOperationException.class)
                    .hasMessageContaining("has no renderer");
        }
    }

    @Test
    void pythonExceptionsCarryThePythonMessageAndTheBridgeStaysUsable() {
        try (Env env = REGISTRY.make("gymnasium/Pendulum-v1")) {
            env.reset(0);
            GymnasiumEnv g = (GymnasiumEnv) env.unwrapped();
            assertThatThrownBy(() -> g.fault("boom")).isInstanceOf(GymnasiumException.class)
                    .hasMessageContaining("RuntimeError: injected failure: boom");
            assertThatThrownBy(() -> env.step(new double[] {1, 2})).hasMessageContaining("expects an action of 1 values");
            assertThat(env.step(new double[] {0.5}).observation()).hasSize(3);
            assertThat(g.getState()).hasSize(2);
        }
        assertThatThrownBy(() -> REGISTRY.make("gymnasium/NoSuchEnv-v0")).isInstanceOf(GymnasiumException.class)
                .hasMessageContaining("NoSuchEnv");
        assertThat(REGISTRY.contains("gymnasium/Anything-v3")).isTrue();
        assertThat(REGISTRY.contains("gymnasium/")).isFalse();
    }

    @Test
    void aHangingPythonTimesOutAndTheNextResetStartsAFreshProcess() {
        try (Env env = REGISTRY.make("gymnasium/Pendulum-v1", Map.of(GymnasiumEnvs.TIMEOUT, 1500))) {
            env.reset(0);
            GymnasiumEnv g = (GymnasiumEnv) env.unwrapped();
            long pid = g.pid();
            long t0 = System.nanoTime();
            assertThatThrownBy(() -> g.fault("hang")).isInstanceOf(EnvCrashedException.class)
                    .hasMessageContaining("gymnasium/Pendulum-v1").hasMessageContaining("no answer from Python within 1500 ms");
            assertThat((System.nanoTime() - t0) / 1e6).isLessThan(10_000);
            assertThatThrownBy(() -> env.step(new double[] {0})).hasMessageContaining("call reset()");
            env.reset(1);
            assertThat(g.pid()).isNotEqualTo(pid);
            assertThat(env.step(new double[] {0}).observation()).hasSize(3);
        }
    }

    @Test
    void aDyingPythonIsDetectedAtOnceWithItsExitCodeAndCollectedDataSurvives() {
        List<double[]> collected = new ArrayList<>();
        try (Env env = REGISTRY.make("gymnasium/HalfCheetah-v5")) {
            double[] obs = env.reset(0).observation();
            for (int t = 0; t < 10; t++) {
                Step s = env.step(new double[6]);
                collected.add(s.observation());
                obs = s.observation();
            }
            GymnasiumEnv g = (GymnasiumEnv) env.unwrapped();
            long t0 = System.nanoTime();
            assertThatThrownBy(() -> g.fault("exit")).isInstanceOf(EnvCrashedException.class)
                    .hasMessageContaining("gymnasium/HalfCheetah-v5").hasMessageContaining("exit code 3");
            assertThat((System.nanoTime() - t0) / 1e6).as("detection time, ms").isLessThan(2000);
            assertThat(collected).hasSize(10);
            assertThat(collected.get(9)).isEqualTo(obs);
            env.reset(0);
            assertThat(env.step(new double[6]).observation()).hasSize(17);
        }
    }

    @Test
    void aForeignListenerOrAWrongTokenIsNeverTalkedTo() throws Exception {
        // a foreign listener that answers every line with Py4J's "void" reply
        try (ServerSocket foreign = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            Thread t = new Thread(() -> {
                try (Socket s = foreign.accept(); InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
                    int c;
                    while ((c = in.read()) >= 0) {
                        if (c == '\n') {
                            out.write("!yv\n".getBytes(StandardCharsets.UTF_8));
                        }
                    }
                } catch (IOException e) {
                    // closed
                }
            });
            t.setDaemon(true);
            t.start();
            Path fake = dir.resolve("fake_server.py");
            Files.writeString(fake, "import sys, time\nsys.stdin.readline()\nprint('PORT " + foreign.getLocalPort()
                    + "', flush=True)\ntime.sleep(60)\n");
            Path python = PythonVenv.ensure("gymnasium", GymProcess.REQUIREMENTS);
            assertThatThrownBy(() -> GymProcess.start(python, fake, 5000)).hasMessageContaining("not this bridge's Gymnasium server");
        }
        // the real server started with another token refuses us
        Path wrong = dir.resolve("wrong_token.py");
        Path real = GymProcess.script();
        Files.writeString(wrong, "import sys, runpy\nsys.stdin.readline()\nsys.stdin = __import__('io').StringIO('not-the-token\\n')\n"
                + "sys.argv = ['" + real + "']\nrunpy.run_path('" + real + "', run_name='__main__')\n");
        Path python = PythonVenv.ensure("gymnasium", GymProcess.REQUIREMENTS);
        assertThatThrownBy(() -> GymProcess.start(python, wrong, 5000)).hasMessageContaining("authentication with the process")
                .hasMessageContaining("does not accept this bridge's token");
    }

    @Test
    void aSyncVectorOfEightProcessesNamesTheKilledOrHungSubEnvironmentLeavesNoProcessAndResetsAgain() {
        List<Long> pids = new ArrayList<>();
        try (org.mbrl4j.env.SyncVectorEnv v = new org.mbrl4j.env.SyncVectorEnv(
                () -> REGISTRY.make("gymnasium/Pendulum-v1", Map.of(GymnasiumEnvs.TIMEOUT, 1500)), 8)) {
            v.reset(0L);
            double[][] a = new double[8][1];
            v.step(a);
            List<GymnasiumEnv> subs = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                GymnasiumEnv g = (GymnasiumEnv) v.env(i).unwrapped();
                subs.add(g);
                pids.add(g.pid());
            }
            assertThat(pids).doesNotHaveDuplicates();
            // killed mid-step: SIGKILL from outside, as the OOM killer would
            ProcessHandle.of(pids.get(3)).orElseThrow().destroyForcibly();
            assertThatThrownBy(() -> v.step(a)).isInstanceOf(EnvCrashedException.class)
                    .hasMessageContaining("gymnasium/Pendulum-v1: sub-environment 3 of 8: the Python process died");
            v.reset(1L);
            assertThat(subs.get(3).pid()).isNotEqualTo(pids.get(3));
            assertThat(v.step(a).observations()).hasNumberOfRows(8);
            // hung: the step of sub-environment 5 never answers
            subs.get(5).fault("step:hang");
            long t0 = System.nanoTime();
            assertThatThrownBy(() -> v.step(a)).isInstanceOf(EnvCrashedException.class)
                    .hasMessageContaining("sub-environment 5 of 8: no answer from Python within 1500 ms");
            assertThat((System.nanoTime() - t0) / 1e6).isLessThan(10_000);
            v.reset(2L);
            assertThat(v.step(a).observations()).hasNumberOfRows(8);
            for (GymnasiumEnv g : subs) {
                pids.add(g.pid());
            }
        }
        for (long pid : pids) {
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).as("process %d after close", pid)
                    .isFalse();
        }
    }

    @Test
    void aGymnasiumVectorEnvWhoseProcessIsKilledOrHungSaysSoAndResetsAgain() {
        long first;
        long second;
        try (GymnasiumVectorEnv v = new GymnasiumVectorEnv("Pendulum-v1", Map.of(), 4, 1500)) {
            v.reset(0L);
            double[][] a = new double[4][1];
            v.step(a);
            first = v.pid();
            ProcessHandle.of(first).orElseThrow().destroyForcibly();
            assertThatThrownBy(() -> v.step(a)).isInstanceOf(EnvCrashedException.class)
                    .hasMessageContaining("sub-environments 0..3 (one Python process): the Python process died");
            v.reset(1L);
            second = v.pid();
            assertThat(second).isNotEqualTo(first);
            v.fault("step:hang");
            assertThatThrownBy(() -> v.step(a)).isInstanceOf(EnvCrashedException.class)
                    .hasMessageContaining("sub-environments 0..3 (one Python process): no answer from Python within 1500 ms");
            v.reset(2L);
            assertThat(v.step(a).observations()).hasNumberOfRows(4);
            second = v.pid();
        }
        for (long pid : new long[] {first, second}) {
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        }
    }

    @Test
    void vectorOfEightStepsAllCopiesInOneCallAndNeverCrossesEpisodes() {
        List<double[]> seen = new ArrayList<>();
        for (boolean lane : new boolean[] {true, false}) {
            seen.addAll(vectorRun(lane));
        }
        assertThat(seen).hasSize(96);
        for (int k = 0; k < 48; k++) {
            assertThat(seen.get(48 + k)).as("Py4J gives the lane's observations, %d", k).containsExactly(seen.get(k));
        }
    }

    private static List<double[]> vectorRun(boolean lane) {
        List<double[]> seen = new ArrayList<>();
        try (VectorEnv v = new GymnasiumVectorEnv("Pendulum-v1", Map.of("max_episode_steps", 5, GymnasiumEnvs.LANE, lane),
                8, 30_000)) {
            VectorEnv.VectorReset r = v.reset(10L);
            assertThat(r.observations()).hasNumberOfRows(8);
            double[][] a = new double[8][1];
            int resets = 0;
            for (int t = 0; t < 6; t++) {
                for (int i = 0; i < 8; i++) {
                    a[i][0] = Math.sin(t + i);
                }
                VectorEnv.VectorStep s = v.step(a);
                for (int i = 0; i < 8; i++) {
                    seen.add(s.observations()[i]);
                    resets += s.resetStep()[i] ? 1 : 0;
                    if (t == 4) {
                        assertThat(s.truncated()[i]).isTrue();
                    }
                    if (t == 5) {
                        assertThat(s.isTransition(i)).isFalse();
                    }
                }
            }
            assertThat(resets).isEqualTo(8);
        }
        return seen;
    }

    @Test
    void longVectorCallsThroughTheLaneMatchPy4J() {
        // the lane's server writes the replies of 8 MuJoCo copies straight into the mapped buffer: 60 calls must give
        // exactly what Py4J gives
        List<List<double[]>> runs = new ArrayList<>();
        for (boolean lane : new boolean[] {true, false}) {
            List<double[]> rows = new ArrayList<>();
            try (VectorEnv v = new GymnasiumVectorEnv("HalfCheetah-v5", Map.of(GymnasiumEnvs.LANE, lane), 8, 30_000)) {
                v.reset(3L);
                double[][] a = new double[8][6];
                for (int t = 0; t < 60; t++) {
                    for (int i = 0; i < 8; i++) {
                        for (int j = 0; j < 6; j++) {
                            a[i][j] = Math.sin(0.7 * t + 1.3 * i + j);
                        }
                    }
                    VectorEnv.VectorStep s = v.step(a);
                    for (int i = 0; i < 8; i++) {
                        double[] row = Arrays.copyOf(s.observations()[i], 18);
                        row[17] = s.rewards()[i];
                        rows.add(row);
                    }
                }
            }
            runs.add(rows);
        }
        assertThat(runs.get(0)).hasSize(480);
        for (int k = 0; k < 480; k++) {
            assertThat(runs.get(0).get(k)).as("lane row %d = Py4J row", k).containsExactly(runs.get(1).get(k));
        }
    }

    @Test
    void stepFailuresThroughTheSharedMemoryLaneAreReportedLikeThoseThroughPy4J() {
        org.junit.jupiter.api.Assumptions.assumeTrue(SharedMemoryLane.available(), "no shared-memory lane on this machine");
        try (Env env = REGISTRY.make("gymnasium/HalfCheetah-v5", Map.of(GymnasiumEnvs.TIMEOUT, 1500))) {
            GymnasiumEnv g = (GymnasiumEnv) env.unwrapped();
            assertThat(g.sharedMemory()).isTrue();
            env.reset(0);
            List<double[]> collected = new ArrayList<>();
            collected.add(env.step(new double[6]).observation());
            g.fault("step:boom");
            assertThatThrownBy(() -> env.step(new double[6])).isInstanceOf(GymnasiumException.class)
                    .hasMessageContaining("RuntimeError: injected failure: boom");
            collected.add(env.step(new double[6]).observation());

            long pid = g.pid();
            g.fault("step:exit");
            long t0 = System.nanoTime();
            assertThatThrownBy(() -> env.step(new double[6])).isInstanceOf(EnvCrashedException.class)
                    .hasMessageContaining("gymnasium/HalfCheetah-v5").hasMessageContaining("exit code 3");
            assertThat((System.nanoTime() - t0) / 1e6).as("detection time, ms").isLessThan(2000);
            assertThatThrownBy(() -> env.step(new double[6])).hasMessageContaining("call reset()");
            env.reset(0);
            assertThat(g.pid()).isNotEqualTo(pid);
            assertThat(g.sharedMemory()).as("the fresh process has its lane").isTrue();
            assertThat(env.step(new double[6]).observation()).containsExactly(collected.get(0));

            g.fault("step:hang");
            t0 = System.nanoTime();
            assertThatThrownBy(() -> env.step(new double[6])).isInstanceOf(EnvCrashedException.class)
                    .hasMessageContaining("no answer from Python within 1500 ms");
            assertThat((System.nanoTime() - t0) / 1e6).isBetween(1400.0, 10_000.0);
            env.reset(0);
            assertThat(env.step(new double[6]).observation()).containsExactly(collected.get(0));
            assertThat(collected).hasSize(2);
        }
        assertThatThrownBy(() -> REGISTRY.make("gymnasium/Pendulum-v1", Map.of(GymnasiumEnvs.LANE, "no")))
                .hasMessageContaining("bridge_lane must be true or false");
    }

    @Test
    void envCheckerPassesOnEveryListedGymnasiumEnvironment() {
        EnvChecker checker = new EnvChecker(60);
        List<String> ids = REGISTRY.specs().stream().map(org.mbrl4j.env.EnvSpec::id)
                .filter(id -> id.startsWith(GymnasiumEnvs.PREFIX)).toList();
        assertThat(ids).hasSizeGreaterThanOrEqualTo(15);
        for (String id : ids) {
            checker.checkOrThrow(id, () -> REGISTRY.make(id), 3);
        }
    }
}
