package org.mbrl4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.mbrl4j.data.AtomicFile;
import org.mbrl4j.event.Event;
import org.mbrl4j.event.EventBus;
import org.mbrl4j.event.Provenance;
import org.mbrl4j.logging.ConsoleProgress;
import org.mbrl4j.logging.JsonlLogger;
import org.mbrl4j.logging.TensorBoardLogger;
import org.mbrl4j.logging.TensorBoardWriter;

/**
 * A run directory and the event bus that feeds it: {@code config.yaml} (the resolved configuration),
 * {@code provenance.json}, TensorBoard event files, {@code events.jsonl}, and whatever the command writes (checkpoints,
 * results). The directory is {@code --out DIR} exactly, or {@code ROOT/<command>/<timestamp>-<short id>/} under
 * {@code --logdir ROOT}. Closing publishes the run's end and flushes every sink.
 */
final class RunContext implements AutoCloseable {
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final String id;
    private final Path dir;
    private final EventBus bus;
    private final PrintStream console;
    private boolean ended;

    private RunContext(String id, Path dir, EventBus bus, PrintStream console) {
        this.id = id;
        this.dir = dir;
        this.bus = bus;
        this.console = console;
    }

    /** The run directory for {@code command}: {@code out} when given, else a new one under {@code logdir}. */
    static Path directory(String command, Path out, Path logdir) {
        if (out != null) {
            return out;
        }
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        String shortId = Long.toHexString(new SplittableRandom().nextLong() & 0xffffffL);
        return logdir.resolve(command).resolve(stamp + "-" + shortId);
    }

    /** Creates the directory, writes config and provenance, wires the sinks and publishes {@link Event.RunStarted}. */
    static RunContext start(String command, Path dir, Map<String, Object> config, long seed, List<String> args,
            PrintStream console) {
        return start(command, dir, dir, config, seed, args, console);
    }

    /** {@link #start} with the TensorBoard files in {@code tensorBoardDir} instead of the run directory itself. */
    static RunContext start(String command, Path dir, Path tensorBoardDir, Map<String, Object> config, long seed,
            List<String> args, PrintStream console) {
        return open(command, dir, tensorBoardDir, config, seed, args, console, false);
    }

    /**
     * Reopens an existing run directory to continue it: {@code config.yaml} and {@code provenance.json} stay, the
     * continuation's provenance goes to {@code provenance-resumed-N.json}, events are appended (a new TensorBoard file).
     */
    static RunContext resume(String command, Path dir, Map<String, Object> config, long seed, List<String> args,
            PrintStream console) {
        return open(command, dir, dir, config, seed, args, console, true);
    }

    private static RunContext open(String command, Path dir, Path tensorBoardDir, Map<String, Object> config, long seed,
            List<String> args, PrintStream console, boolean resumed) {
        try {
            Files.createDirectories(dir);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("cannot create run directory " + dir + ": " + e.getMessage());
        }
        String id = dir.getFileName().toString();
        Provenance provenance = Provenance.capture(seed, args, config);
        Path provenanceFile = dir.resolve("provenance.json");
        if (resumed) {
            int k = 1;
            while (Files.exists(dir.resolve("provenance-resumed-" + k + ".json"))) {
                k++;
            }
            provenanceFile = dir.resolve("provenance-resumed-" + k + ".json");
        } else {
            AtomicFile.write(dir.resolve("config.yaml"), o -> YAML.writeValue(o, config));
        }
        AtomicFile.write(provenanceFile, o -> JSON.writeValue(o, provenance.values()));
        EventBus bus = EventBus.create();
        TensorBoardLogger tb = new TensorBoardLogger(new TensorBoardWriter(tensorBoardDir));
        JsonlLogger jsonl = new JsonlLogger(dir.resolve("events.jsonl"));
        bus.subscribeRecord(Event.class, tb);
        bus.subscribeRecord(Event.class, jsonl);
        bus.subscribe(Event.class, new ConsoleProgress(console, System.console() != null));
        bus.register(tb);
        bus.register(jsonl);
        bus.closeOnShutdown();
        RunContext run = new RunContext(id, dir, bus, console);
        bus.publish(new Event.RunStarted(id, command, dir, config, provenance));
        console.printf("run directory %s%nwatch it with: tensorboard --logdir %s%n", dir, dir.getParent() == null ? dir
                : dir.toAbsolutePath().getParent());
        return run;
    }

    String id() {
        return id;
    }

    Path dir() {
        return dir;
    }

    EventBus bus() {
        return bus;
    }

    /** Publishes the run's end with its final metrics. */
    void end(boolean success, Map<String, Double> metrics, String message) {
        if (!ended) {
            ended = true;
            bus.publish(new Event.RunEnded(id, success, metrics, message));
        }
    }

    /** Ends the run as failed unless {@link #end} was called, then flushes and closes every sink. */
    @Override
    public void close() {
        try {
            end(false, Map.of(), "the command failed");
        } finally {
            bus.close();
            console.flush();
        }
    }
}
