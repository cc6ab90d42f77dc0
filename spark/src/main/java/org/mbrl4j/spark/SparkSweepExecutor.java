package org.mbrl4j.spark;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaFutureAction;
import org.apache.spark.api.java.JavaSparkContext;
import org.mbrl4j.cli.LocalSweepExecutor;
import org.mbrl4j.cli.SweepExecutor;
import org.mbrl4j.data.AtomicFile;

/**
 * The Apache Spark engine of {@code mbrl4j sweep}: every task is a one-partition Spark job (so it is scheduled and
 * retried alone) whose function runs the command in the executor JVM into a local temporary directory and returns
 * the run directory zipped (checkpoints only when asked for, files over 64 MB never), which the driver unpacks under
 * the sweep directory: no shared file system is needed, and
 * a task re-run after an executor loss only ever produces a whole run. Embedded {@code local[N]} or any master URL
 * Spark accepts ({@code spark://host:7077}, k8s, yarn); on a cluster the driver's classpath is shipped as the
 * executors' classpath, so the same jars must exist there (same paths) — true for the test cluster and for an image
 * built from this project. Registered as the sweep engine {@code spark}.
 */
public final class SparkSweepExecutor implements SweepExecutor {
    /** Files larger than this stay on the executor; the rest of the run comes back. */
    static final long MAX_FILE_BYTES = 64L << 20;
    /** Checkpoint files (besides a run's {@code checkpoint*} directories), shipped back only when asked for. */
    static final java.util.Set<String> CHECKPOINTS = java.util.Set.of("model.json", "buffer.csv");
    private final String master;
    private final boolean checkpoints;

    /**
     * An engine for {@code master} (e.g. {@code local[2]} or {@code spark://127.0.0.1:7077}); {@code checkpoints}
     * ships the runs' checkpoint files back too (each at most {@value #MAX_FILE_BYTES} bytes).
     */
    public SparkSweepExecutor(String master, boolean checkpoints) {
        this.master = master;
        this.checkpoints = checkpoints;
    }

    /** The {@code spark} engine's registration: {@code --master} defaults to {@code local[threads]}. */
    public static final class Spark implements SweepExecutor.Provider {
        @Override
        public String id() {
            return "spark";
        }

        @Override
        public SweepExecutor create(Settings s) {
            return new SparkSweepExecutor(s.master() != null ? s.master() : "local[" + s.threads() + "]", s.checkpoints());
        }
    }

    @Override
    public String name() {
        return "spark " + master;
    }

    /** What a task sends back to the driver. */
    record Shipped(int exit, Map<String, Double> metrics, byte[] zip, String error, double seconds, String host)
            implements Serializable {
    }

    @Override
    public void run(List<Task> tasks, Path runsDir, Consumer<Task> started, Consumer<Outcome> done) throws Exception {
        SparkConf conf = new SparkConf().setAppName("mbrl4j-sweep").setMaster(master)
                .set("spark.ui.enabled", "false")
                .set("spark.task.cpus", "1")
                .set("spark.task.maxFailures", "4")
                .set("spark.executorEnv.OMP_NUM_THREADS", "1")
                .set("spark.executorEnv.OMP_WAIT_POLICY", "PASSIVE")
                .set("spark.driver.host", "127.0.0.1".equals(System.getenv("SPARK_LOCAL_IP")) ? "127.0.0.1"
                        : java.net.InetAddress.getLocalHost().getHostAddress());
        if (!master.startsWith("local")) {
            conf.set("spark.executor.extraClassPath", System.getProperty("java.class.path"));
            conf.set("spark.executor.extraJavaOptions", String.join(" ", ADD_OPENS) + " -Xmn8m");
            conf.set("spark.executor.memory", "1g");
        }
        PrintStream console = LocalSweepExecutor.ConsoleRouter.install();
        ExecutorService waiting = Executors.newFixedThreadPool(Math.max(1, Math.min(64, tasks.size())));
        try (JavaSparkContext sc = new JavaSparkContext(conf)) {
            List<Future<?>> fs = new ArrayList<>();
            boolean keep = checkpoints;
            for (Task t : tasks) {
                started.accept(t);
                long t0 = System.nanoTime();
                // submitted from this one thread, in task order: Spark's FIFO scheduler runs jobs by submission, so
                // the tasks start in the order the local engine starts them (jobs submitted from many threads at once
                // started in a random order, and a long task drawn last left a core idle for its whole length)
                JavaFutureAction<List<Shipped>> job = sc.parallelize(List.of(t), 1).map(task -> execute(task, keep))
                        .collectAsync();
                fs.add(waiting.submit(() -> {
                    Outcome o;
                    try {
                        Shipped s = job.get().get(0);
                        Path dir = s.zip().length == 0 ? runsDir.resolve("." + t.id() + ".failed")
                                : unpack(s.zip(), runsDir, t.id());
                        o = new Outcome(t, s.exit(), s.metrics(), dir, s.error(), s.seconds());
                    } catch (ExecutionException | RuntimeException e) {
                        Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
                        o = new Outcome(t, 1, Map.of(), runsDir.resolve(t.id()), "Spark could not run the task: " + cause,
                                (System.nanoTime() - t0) / 1e9);
                    }
                    done.accept(o);
                    return null;
                }));
            }
            for (Future<?> f : fs) {
                f.get();
            }
        } finally {
            waiting.shutdownNow();
            System.setOut(console);
        }
    }

    /** Runs on an executor: the task into a temporary directory, shipped back zipped. */
    static Shipped execute(Task t, boolean checkpoints) throws IOException {
        org.mbrl4j.model.ModelTrainer.setNd4jThreads(1);
        Path root = Files.createTempDirectory("mbrl4j-task");
        try {
            Outcome o = LocalSweepExecutor.runTask(t, root);
            byte[] zip = o.exit() == 0 ? zip(o.runDir(), checkpoints) : new byte[0];
            return new Shipped(o.exit(), new java.util.LinkedHashMap<>(o.metrics()), zip, o.error(), o.seconds(),
                    java.net.InetAddress.getLocalHost().getHostName());
        } finally {
            AtomicFile.deleteTree(root);
        }
    }

    static byte[] zip(Path dir, boolean checkpoints) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(buf); Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                boolean checkpoint = CHECKPOINTS.contains(f.getFileName().toString())
                        || dir.relativize(f).getName(0).toString().startsWith("checkpoint");
                if (Files.size(f) > MAX_FILE_BYTES || (!checkpoints && checkpoint)) {
                    continue;
                }
                z.putNextEntry(new ZipEntry(dir.relativize(f).toString()));
                Files.copy(f, z);
                z.closeEntry();
            }
        }
        return buf.toByteArray();
    }

    /** Unpacks into {@code .ID.tmp} and renames it to {@code ID}: a run directory appears whole or not at all. */
    static Path unpack(byte[] zip, Path runsDir, String id) throws IOException {
        Path tmp = runsDir.resolve("." + id + ".tmp");
        Path fin = runsDir.resolve(id);
        AtomicFile.deleteTree(tmp);
        try (ZipInputStream z = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry e; (e = z.getNextEntry()) != null;) {
                Path f = tmp.resolve(e.getName()).normalize();
                if (!f.startsWith(tmp)) {
                    throw new IOException("zip entry outside the run directory: " + e.getName());
                }
                Files.createDirectories(f.getParent());
                Files.copy(z, f);
            }
        }
        AtomicFile.deleteTree(fin);
        Files.move(tmp, fin, StandardCopyOption.ATOMIC_MOVE);
        return fin;
    }

    /** The module openings Spark 3.5 needs on Java 17 (Spark's own launcher list). */
    static final List<String> ADD_OPENS = Stream.of("java.lang", "java.lang.invoke", "java.lang.reflect", "java.io",
            "java.net", "java.nio", "java.util", "java.util.concurrent", "java.util.concurrent.atomic", "sun.nio.ch",
            "sun.nio.cs", "sun.security.action", "sun.util.calendar").map(p -> "--add-opens=java.base/" + p
                    + "=ALL-UNNAMED").toList();
}
