package org.mbrl4j.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Runs the tasks of a sweep somewhere (this JVM's threads, a cluster) and hands each outcome to the driver as soon
 * as it is known. An engine never stops at a failed task: every task ends with a result. Engines are plugins: a
 * {@link Provider} registered in {@code META-INF/services} is what {@code mbrl4j sweep --engine ID} finds ({@code local}
 * here, {@code spark} in the mbrl4j-spark module).
 */
public interface SweepExecutor {

    /**
     * What the sweep command hands an engine.
     *
     * @param threads     tasks at once (≥ 1)
     * @param master      the cluster to run on, or null for the engine's default
     * @param checkpoints whether the runs' checkpoint files travel back too (for engines that ship runs)
     */
    record Settings(int threads, String master, boolean checkpoints) {
    }

    /** A registered engine. */
    interface Provider {
        /** The id {@code --engine} takes. */
        String id();

        /** An engine for {@code settings}; settings it cannot honour fail naming the flag. */
        SweepExecutor create(Settings settings);
    }

    /**
     * One run of a sweep.
     *
     * @param id        stable identifier (also the run directory's name)
     * @param args      the mbrl4j command line without {@code --out}
     * @param overrides the configuration values this task sets (grid/list entries and the seed)
     */
    record Task(String id, List<String> args, Map<String, Object> overrides) implements java.io.Serializable {
    }

    /**
     * What a task produced.
     *
     * @param task    the task
     * @param exit    the command's exit code (0: success)
     * @param metrics the run's final metrics (from its RunEnded event)
     * @param runDir  where the run directory now is (on the driver's file system)
     * @param error   the error output of a failed task, else empty
     * @param seconds wall time of the task
     */
    record Outcome(Task task, int exit, Map<String, Double> metrics, Path runDir, String error, double seconds) {
    }

    /** The engine's name, e.g. {@code local}. */
    String name();

    /**
     * Runs {@code tasks}, each into a run directory under {@code runsDir} named by its id; calls {@code started} when a
     * task starts and {@code done} (from any thread) when it ends.
     */
    void run(List<Task> tasks, Path runsDir, Consumer<Task> started, Consumer<Outcome> done) throws Exception;
}
