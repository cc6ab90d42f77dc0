package org.mbrl4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.mbrl4j.model.ModelTrainer;
import org.mbrl4j.data.AtomicFile;

/**
 * The default sweep engine: tasks run in this JVM on a thread pool sized to the cores, each a call of the command
 * line ({@link Main#run}, which returns its exit code instead of exiting), with one ND4J thread per task. A task
 * writes into {@code .ID.tmp} and is renamed to {@code ID} when it succeeded, so an interrupted sweep never leaves
 * half a run under a final name. Its {@link #runTask} is also what other engines run in their own JVMs.
 */
public final class LocalSweepExecutor implements SweepExecutor {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final int threads;

    LocalSweepExecutor(int threads) {
        this.threads = threads;
    }

    /** The {@code local} engine's registration. */
    public static final class Local implements SweepExecutor.Provider {
        @Override
        public String id() {
            return "local";
        }

        @Override
        public SweepExecutor create(Settings settings) {
            if (settings.master() != null) {
                throw new IllegalArgumentException("--master applies to cluster engines (spark), not to --engine local");
            }
            if (settings.checkpoints()) {
                throw new IllegalArgumentException("--checkpoints applies to engines that ship runs back (spark); the"
                        + " local engine keeps every run's files where they are");
            }
            return new LocalSweepExecutor(settings.threads());
        }
    }

    @Override
    public String name() {
        return "local";
    }

    @Override
    public void run(List<Task> tasks, Path runsDir, Consumer<Task> started, Consumer<Outcome> done) throws Exception {
        ModelTrainer.setNd4jThreads(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads, ModelTrainer.modelThreads("mbrl4j-sweep"));
        PrintStream console = ConsoleRouter.install();
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (Task t : tasks) {
                fs.add(pool.submit(() -> {
                    started.accept(t);
                    done.accept(runTask(t, runsDir));
                }));
            }
            for (Future<?> f : fs) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
            System.setOut(console);
        }
    }

    /**
     * Standard output per task: what a task's threads print goes to its {@code console.log}, everything else to the
     * real console, so the sweep's own progress stays readable.
     */
    public static final class ConsoleRouter extends java.io.OutputStream {
        static final InheritableThreadLocal<java.io.OutputStream> TARGET = new InheritableThreadLocal<>();
        private final java.io.OutputStream fallback;

        ConsoleRouter(java.io.OutputStream fallback) {
            this.fallback = fallback;
        }

        /** Routes standard output per task from now on; returns the stream to restore afterwards. */
        public static PrintStream install() {
            PrintStream console = System.out;
            System.setOut(new PrintStream(new ConsoleRouter(console), true, StandardCharsets.UTF_8));
            return console;
        }

        private java.io.OutputStream out() {
            java.io.OutputStream t = TARGET.get();
            return t != null ? t : fallback;
        }

        @Override
        public void write(int b) throws IOException {
            out().write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out().write(b, off, len);
        }

        @Override
        public void flush() throws IOException {
            out().flush();
        }
    }

    /** Runs one task in this JVM; never throws. */
    public static Outcome runTask(Task t, Path runsDir) {
        long t0 = System.nanoTime();
        Path tmp = runsDir.resolve("." + t.id() + ".tmp");
        Path fin = runsDir.resolve(t.id());
        int exit;
        String error = "";
        try {
            AtomicFile.deleteTree(tmp);
            Files.createDirectories(tmp);
            List<String> args = new ArrayList<>(t.args());
            args.add("--out");
            args.add(tmp.toString());
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            try (java.io.OutputStream log = Files.newOutputStream(tmp.resolve("console.log"))) {
                ConsoleRouter.TARGET.set(log);
                exit = Main.run(new PrintStream(err, true, StandardCharsets.UTF_8), args.toArray(String[]::new));
            } finally {
                ConsoleRouter.TARGET.remove();
            }
            error = err.toString(StandardCharsets.UTF_8).strip();
        } catch (IOException | RuntimeException | Error e) {
            exit = 1;
            error = e.toString();
        }
        Map<String, Double> metrics = Map.of();
        Path dir = tmp;
        try {
            if (exit == 0) {
                metrics = finalMetrics(tmp.resolve("events.jsonl"));
                AtomicFile.deleteTree(fin);
                Files.move(tmp, fin, StandardCopyOption.ATOMIC_MOVE);
                dir = fin;
            }
        } catch (IOException | RuntimeException e) {
            exit = 1;
            error = "run finished but its results could not be collected: " + e;
        }
        return new Outcome(t, exit, metrics, dir, error, (System.nanoTime() - t0) / 1e9);
    }

    /** The metrics of the RunEnded event of a run's events.jsonl. */
    static Map<String, Double> finalMetrics(Path events) throws IOException {
        Map<String, Double> m = new LinkedHashMap<>();
        try (Stream<String> lines = Files.lines(events)) {
            for (String line : (Iterable<String>) lines::iterator) {
                if (line.contains("\"type\":\"RunEnded\"")) {
                    JsonNode n = JSON.readTree(line).get("metrics");
                    n.fields().forEachRemaining(e -> m.put(e.getKey(), e.getValue().asDouble()));
                }
            }
        }
        return m;
    }
}
