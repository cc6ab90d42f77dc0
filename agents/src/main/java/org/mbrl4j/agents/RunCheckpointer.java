package org.mbrl4j.agents;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import org.mbrl4j.data.AtomicFile;

/**
 * A run's checkpoint directory (state, buffer, model, agent), replaced as a whole: the files are written into {@code checkpoint.tmp}, the previous
 * {@code checkpoint} is renamed to {@code checkpoint.old}, the new one renamed into place and the old one deleted. A
 * process killed at any moment leaves {@code checkpoint} or {@code checkpoint.old} complete, and {@link #latest} finds
 * it.
 */
public final class RunCheckpointer {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Writes the files of one checkpoint into a directory. */
    public interface Body {
        void write(Path dir) throws IOException;
    }

    private RunCheckpointer() {
    }

    /** Writes {@code state.json} and the body's files, then swaps the directory into {@code runDir/checkpoint}. */
    public static Path write(Path runDir, Body body, Map<String, Object> state) {
        Path tmp = runDir.resolve("checkpoint.tmp");
        Path cur = runDir.resolve("checkpoint");
        Path old = runDir.resolve("checkpoint.old");
        try {
            AtomicFile.deleteTree(tmp);
            Files.createDirectories(tmp);
            body.write(tmp);
            Files.write(tmp.resolve("state.json"), JSON.writeValueAsBytes(state));
            if (Files.exists(cur)) {
                AtomicFile.deleteTree(old);
                Files.move(cur, old, StandardCopyOption.ATOMIC_MOVE);
            }
            Files.move(tmp, cur, StandardCopyOption.ATOMIC_MOVE);
            AtomicFile.deleteTree(old);
            return cur;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the checkpoint under " + runDir + ": " + e.getMessage(), e);
        }
    }

    /** The newest complete checkpoint directory of {@code runDir}. */
    public static Path latest(Path runDir) {
        for (String name : List.of("checkpoint", "checkpoint.old")) {
            Path d = runDir.resolve(name);
            if (Files.isRegularFile(d.resolve("state.json"))) {
                return d;
            }
        }
        throw new IllegalArgumentException("no checkpoint in " + runDir + " (expected " + runDir.resolve("checkpoint/state.json")
                + ", written at every episode end and every --checkpoint-every steps by mbrl4j run AGENT --out " + runDir + ")");
    }

    /** The state written with the checkpoint in {@code dir}. */
    public static Map<String, Object> readState(Path dir) {
        try {
            return JSON.readValue(dir.resolve("state.json").toFile(), new TypeReference<Map<String, Object>>() { });
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the checkpoint state " + dir.resolve("state.json") + ": "
                    + e.getMessage(), e);
        }
    }

    /** The value of {@code key}, of type {@code type}; a missing or mistyped value fails naming the key. */
    public static <T> T get(Map<String, Object> state, String key, Class<T> type) {
        Object v = state.get(key);
        if (v == null) {
            throw new IllegalArgumentException("checkpoint state has no '" + key + "'");
        }
        if (!type.isInstance(v)) {
            throw new IllegalArgumentException("checkpoint state field '" + key + "' must be a " + type.getSimpleName()
                    .toLowerCase(java.util.Locale.ROOT) + ", got " + v);
        }
        return type.cast(v);
    }

    /** A number field. */
    public static Number number(Map<String, Object> state, String key) {
        return get(state, key, Number.class);
    }

    /** A JSON object field. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> object(Map<String, Object> state, String key) {
        return get(state, key, Map.class);
    }

    /** A list-of-objects field. */
    @SuppressWarnings("unchecked")
    public static List<Map<String, Object>> objects(Map<String, Object> state, String key) {
        List<Object> v = get(state, key, List.class);
        for (Object o : v) {
            if (!(o instanceof Map)) {
                throw new IllegalArgumentException("checkpoint state field '" + key + "' must hold objects, got " + o);
            }
        }
        return (List<Map<String, Object>>) (List<?>) v;
    }

    /** A list-of-numbers field. */
    public static double[] doubles(Map<String, Object> state, String key) {
        List<?> v = get(state, key, List.class);
        double[] d = new double[v.size()];
        for (int i = 0; i < d.length; i++) {
            if (!(v.get(i) instanceof Number x)) {
                throw new IllegalArgumentException("checkpoint state field '" + key + "' must hold numbers, got " + v.get(i));
            }
            d[i] = x.doubleValue();
        }
        return d;
    }
}
