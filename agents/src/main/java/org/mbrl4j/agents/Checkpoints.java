package org.mbrl4j.agents;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A run's checkpoint directory, replaced as a whole: the files are written into {@code checkpoint.tmp}, the previous
 * {@code checkpoint} is renamed to {@code checkpoint.old}, the new one renamed into place and the old one deleted. A
 * process killed at any moment leaves {@code checkpoint} or {@code checkpoint.old} complete, and {@link #latest} finds
 * it.
 */
final class Checkpoints {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Writes the files of one checkpoint into a directory. */
    interface Body {
        void write(Path dir) throws IOException;
    }

    private Checkpoints() {
    }

    /** Writes {@code state.json} and the body's files, then swaps the directory into {@code runDir/checkpoint}. */
    static Path write(Path runDir, Body body, Map<String, Object> state) {
        Path tmp = runDir.resolve("checkpoint.tmp");
        Path cur = runDir.resolve("checkpoint");
        Path old = runDir.resolve("checkpoint.old");
        try {
            deleteTree(tmp);
            Files.createDirectories(tmp);
            body.write(tmp);
            Files.write(tmp.resolve("state.json"), JSON.writeValueAsBytes(state));
            if (Files.exists(cur)) {
                deleteTree(old);
                Files.move(cur, old, StandardCopyOption.ATOMIC_MOVE);
            }
            Files.move(tmp, cur, StandardCopyOption.ATOMIC_MOVE);
            deleteTree(old);
            return cur;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the checkpoint under " + runDir + ": " + e.getMessage(), e);
        }
    }

    /** The newest complete checkpoint directory of {@code runDir}. */
    static Path latest(Path runDir) {
        for (String name : List.of("checkpoint", "checkpoint.old")) {
            Path d = runDir.resolve(name);
            if (Files.isRegularFile(d.resolve("state.json"))) {
                return d;
            }
        }
        throw new IllegalArgumentException("no checkpoint in " + runDir + " (expected " + runDir.resolve("checkpoint/state.json")
                + ", written at every episode end and every --checkpoint-every steps by run pets --out " + runDir + ")");
    }

    /** The state written with the checkpoint in {@code dir}. */
    static Map<String, Object> readState(Path dir) {
        try {
            return JSON.readValue(dir.resolve("state.json").toFile(), new TypeReference<Map<String, Object>>() { });
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the checkpoint state " + dir.resolve("state.json") + ": "
                    + e.getMessage(), e);
        }
    }

    @SuppressWarnings("unchecked")
    static <T> T get(Map<String, Object> state, String key) {
        Object v = state.get(key);
        if (v == null) {
            throw new IllegalArgumentException("checkpoint state has no '" + key + "'");
        }
        return (T) v;
    }

    static double[] doubles(Map<String, Object> state, String key) {
        List<Number> v = get(state, key);
        return v.stream().mapToDouble(Number::doubleValue).toArray();
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            for (Path q : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(q);
            }
        }
    }
}
