package org.mbrl4j.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mbrl4j.model.HalfCheetahFixture;

/**
 * A real standalone Spark cluster on 127.0.0.1 — a Master and two Workers, each its own JVM started here — runs a
 * sweep to the end even when one worker is killed (SIGKILL) mid-sweep: Spark re-runs the lost tasks on the other.
 * Every process started here is killed afterwards, children included.
 */
class SparkClusterTest {
    @TempDir
    Path dir;

    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void killEverything() {
        for (Process p : started) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private Process start(String name, String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx512m");
        // the cluster processes log Spark at INFO: the test waits for their start-up lines
        Path logback = dir.resolve("logback-cluster.xml");
        if (!Files.exists(logback)) {
            Files.writeString(logback, "<configuration><appender name=\"OUT\" class=\"ch.qos.logback.core.ConsoleAppender\">"
                    + "<encoder><pattern>%d{HH:mm:ss} %-5level %logger{20} - %msg%n</pattern></encoder></appender>"
                    + "<root level=\"INFO\"><appender-ref ref=\"OUT\"/></root></configuration>");
        }
        cmd.add("-Dlogback.configurationFile=" + logback);
        cmd.addAll(SparkSweepExecutor.ADD_OPENS);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve(name + ".log")
                .toFile());
        pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        // no Spark distribution here: the worker builds executor command lines from the application's classpath
        pb.environment().put("SPARK_HOME", dir.toString());
        pb.environment().put("SPARK_TESTING", "1");
        pb.environment().put("SPARK_SCALA_VERSION", "2.13");
        Process p = pb.start();
        started.add(p);
        return p;
    }

    private void awaitLog(String name, String text, Duration timeout) throws Exception {
        long end = System.nanoTime() + timeout.toNanos();
        Path log = dir.resolve(name + ".log");
        while (System.nanoTime() < end) {
            if (Files.exists(log) && Files.readString(log).contains(text)) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError(name + " did not log '" + text + "' within " + timeout + ":\n"
                + (Files.exists(log) ? Files.readString(log) : "(no log)"));
    }

    @Test
    void aSweepSurvivesAKilledWorker() throws Exception {
        int port = freePort();
        start("master", "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1", "--port", "" + port,
                "--webui-port", "" + freePort());
        awaitLog("master", "I have been elected leader", Duration.ofSeconds(60));
        String url = "spark://127.0.0.1:" + port;
        Process[] workers = new Process[2];
        for (int w = 0; w < 2; w++) {
            workers[w] = start("worker" + w, "org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1", "--cores",
                    "1", "--memory", "1g", "--webui-port", "" + freePort(), "--work-dir",
                    dir.resolve("work" + w).toString(), url);
        }
        for (int w = 0; w < 2; w++) {
            awaitLog("worker" + w, "Successfully registered with master", Duration.ofSeconds(60));
        }
        HalfCheetahFixture fx = HalfCheetahFixture.get();
        Path f = dir.resolve("s.yaml");
        Files.writeString(f, "command: train-model\nbase:\n  data: " + fx.csv + "\n  epochs: 60\n  hidden: [32]\n"
                + "grid:\n  objective: [nll, pg]\nseeds: [0, 1, 2, 3]\n");
        Path out = dir.resolve("sweep");
        StringBuilder err = new StringBuilder();
        CompletableFuture<Integer> sweep = CompletableFuture.supplyAsync(() -> SparkSweepTest.run(err, "sweep",
                f.toString(), "--engine", "spark", "--master", url, "--out", out.toString()));
        // kill worker 0 once the first run is back, while others are running
        long end = System.nanoTime() + TimeUnit.MINUTES.toNanos(4);
        while (System.nanoTime() < end && !sweep.isDone()) {
            File[] runs = out.resolve("runs").toFile().listFiles(n -> n.getName().startsWith("t"));
            if (runs != null && runs.length >= 1) {
                break;
            }
            Thread.sleep(100);
        }
        assertThat(sweep.isDone()).as("the sweep should still be running when the worker is killed").isFalse();
        workers[0].descendants().forEach(ProcessHandle::destroyForcibly);
        workers[0].destroyForcibly();
        int exit = sweep.get(4, TimeUnit.MINUTES);
        assertThat(exit).as(err.toString()).isZero();
        List<String> rows = Files.readAllLines(out.resolve("results.csv"));
        assertThat(rows).hasSize(9);
        assertThat(rows.subList(1, 9)).allMatch(r -> r.contains(",ok,0,"));
        assertThat(Files.readString(dir.resolve("worker1.log"))).contains("Asked to launch executor");
    }
}
