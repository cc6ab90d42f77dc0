package org.mbrl4j.logging;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.mbrl4j.event.Event;
import org.mbrl4j.event.Provenance;

/**
 * One JSON object per event ({@code {"time": epoch seconds, "type": "EpisodeEnd", ...fields}}), appended to a
 * file, for analysis with any tool. Lines are flushed at least every second, at every checkpoint and at the run's
 * end (so a failing disk stops the run there, before it goes on unrecorded) and on {@link #close}.
 */
public final class JsonlLogger implements Consumer<Event>, AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .registerModule(new SimpleModule().addSerializer(Path.class, new StdSerializer<>(Path.class) {
                @Override
                public void serialize(Path p, JsonGenerator g, SerializerProvider s) throws IOException {
                    g.writeString(p.toString());
                }
            }).addSerializer(Provenance.class, new StdSerializer<>(Provenance.class) {
                @Override
                public void serialize(Provenance p, JsonGenerator g, SerializerProvider s) throws IOException {
                    g.writeObject(p.values());
                }
            }));

    private final Path file;
    private final BufferedWriter out;
    private long lastFlush = System.currentTimeMillis();
    private boolean closed;

    /** Appends to {@code file} (created with its directory when missing). */
    public JsonlLogger(Path file) {
        this.file = file;
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open " + file + ": " + e.getMessage(), e);
        }
    }

    /** The JSON line of an event. */
    public static String line(Event e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("time", System.currentTimeMillis() / 1000.0);
        m.put("type", e.getClass().getSimpleName());
        m.putAll(JSON.convertValue(e, Map.class));
        try {
            return JSON.writeValueAsString(m);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    @Override
    public synchronized void accept(Event e) {
        if (closed) {
            return;
        }
        try {
            out.write(line(e));
            out.write('\n');
            long now = System.currentTimeMillis();
            if (now - lastFlush > 1000 || e instanceof Event.CheckpointWritten || e instanceof Event.RunEnded) {
                out.flush();
                lastFlush = now;
            }
        } catch (IOException ex) {
            throw new UncheckedIOException("cannot write " + file + ": " + ex.getMessage(), ex);
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close " + file + ": " + e.getMessage(), e);
        }
    }
}
