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
 * A run's checkpoint generations (state, buffer, model, agent). A new generation is written into
 * {@code checkpoint.tmp} with a {@code manifest.json} of every file's size and SHA-256 written last; then the previous
 * generation {@code checkpoint} becomes {@code checkpoint.old} (replacing the one before it) and the new one is
 * renamed into place. Two generations are kept: {@link #latest} verifies the newest against its manifest and, when a
 * file of it is damaged, truncated or missing, falls back to {@code checkpoint.old} and says why. A process killed at
 * any moment leaves at least one complete generation.
 */
public final class RunCheckpointer {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MANIFEST = "manifest.json";
    /** Newest first. */
    private static final List<String> GENERATIONS = List.of("checkpoint", "checkpoint.old");

    /** Writes the files of one checkpoint into a directory. */
    public interface Body {
        /** Writes the files into {@code dir}. */
        void write(Path dir) throws IOException;
    }

    /**
     * The generation {@link #latest} chose and why each newer one was passed over.
     *
     * @param dir        the generation's directory
     * @param passedOver one line per newer generation that failed verification (empty: the newest is intact)
     * @param redone     environment steps between the passed-over newest generation and this one (−1 when unknown or
     *                   none was passed over)
     */
    public record Generation(Path dir, List<String> passedOver, long redone) {
        /** Copies the list. */
        public Generation {
            passedOver = List.copyOf(passedOver);
        }

        /** A sentence for the user when a newer generation was passed over, else null. */
        public String fallbackNote() {
            if (passedOver.isEmpty()) {
                return null;
            }
            return String.join("; ", passedOver) + "; resuming from the previous checkpoint " + dir
                    + (redone >= 0 ? " (" + redone + " environment steps are redone)" : "");
        }
    }

    private RunCheckpointer() {
    }

    /**
     * Writes {@code state.json}, the body's files and the manifest, then makes them the newest generation of
     * {@code runDir} and the previous one {@code checkpoint.old}. A failure (a read-only directory, a full disk) fails
     * naming the path and leaves the existing generations as they were.
     */
    public static Path write(Path runDir, Body body, Map<String, Object> state) {
        Path tmp = runDir.resolve("checkpoint.tmp");
        Path cur = runDir.resolve(GENERATIONS.get(0));
        Path old = runDir.resolve(GENERATIONS.get(1));
        try {
            AtomicFile.deleteTree(tmp);
            Files.createDirectories(tmp);
            body.write(tmp);
            Files.write(tmp.resolve("state.json"), JSON.writeValueAsBytes(state));
            Files.write(tmp.resolve(MANIFEST), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(manifest(tmp)));
        } catch (IOException | UncheckedIOException e) {
            try {
                AtomicFile.deleteTree(tmp);
            } catch (IOException ignored) {
                // the write error matters more; the next checkpoint clears what is left
            }
            throw new UncheckedIOException("cannot write the checkpoint " + tmp + ": " + message(e)
                    + "; the previous checkpoint is kept", e instanceof IOException io ? io : ((UncheckedIOException) e).getCause());
        }
        try {
            if (Files.exists(cur)) {
                AtomicFile.deleteTree(old);
                Files.move(cur, old, StandardCopyOption.ATOMIC_MOVE);
            }
            Files.move(tmp, cur, StandardCopyOption.ATOMIC_MOVE);
            return cur;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot move the checkpoint into place under " + runDir + ": " + message(e), e);
        }
    }

    private static String message(Exception e) {
        Throwable t = e instanceof UncheckedIOException u && u.getCause() != null ? u.getCause() : e;
        return t instanceof java.nio.file.FileSystemException f ? f.getClass().getSimpleName() + " " + f.getFile()
                + (f.getReason() != null ? " (" + f.getReason() + ")" : "") : String.valueOf(t.getMessage());
    }

    /** Size and SHA-256 of every file under {@code dir}, by path relative to it. */
    private static Map<String, Object> manifest(Path dir) throws IOException {
        Map<String, Object> files = new java.util.TreeMap<>();
        try (java.util.stream.Stream<Path> s = Files.walk(dir)) {
            for (Path f : s.filter(Files::isRegularFile).sorted().toList()) {
                String name = dir.relativize(f).toString().replace('\\', '/');
                if (!name.equals(MANIFEST)) {
                    files.put(name, Map.of("size", Files.size(f), "sha256", sha256(f)));
                }
            }
        }
        return Map.of("version", 1, "files", files);
    }

    private static String sha256(Path f) throws IOException {
        java.security.MessageDigest md;
        try {
            md = java.security.MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
        try (java.io.InputStream in = Files.newInputStream(f)) {
            byte[] buf = new byte[1 << 16];
            for (int r; (r = in.read(buf)) > 0; ) {
                md.update(buf, 0, r);
            }
        }
        return java.util.HexFormat.of().formatHex(md.digest());
    }

    /**
     * The newest intact checkpoint generation of {@code runDir}: each generation's files are checked against its
     * manifest (a generation written before manifests existed is taken as it is). Fails when no generation is intact,
     * naming what is wrong with each.
     */
    public static Generation latest(Path runDir) {
        List<String> problems = new java.util.ArrayList<>();
        long newestSteps = -1;
        for (String name : GENERATIONS) {
            Path d = runDir.resolve(name);
            if (!Files.isDirectory(d)) {
                continue;
            }
            String problem = verify(d);
            if (problem == null) {
                long steps = envSteps(d);
                return new Generation(d, problems, problems.isEmpty() || newestSteps < 0 || steps < 0 ? -1 : newestSteps - steps);
            }
            if (problems.isEmpty()) {
                newestSteps = envSteps(d);
            }
            problems.add(name + "/" + problem);
        }
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("no checkpoint in " + runDir + " (expected " + runDir.resolve("checkpoint/state.json")
                    + ", written at every episode end and every --checkpoint-every steps by mbrl4j run AGENT --out " + runDir + ")");
        }
        throw new IllegalArgumentException("no intact checkpoint in " + runDir + ": " + String.join("; ", problems)
                + "; the run cannot be resumed (start it again, or restore the files from a backup)");
    }

    /** Null when the generation in {@code d} matches its manifest, else "FILE what is wrong" (FILE relative to d). */
    private static String verify(Path d) {
        if (!Files.isRegularFile(d.resolve("state.json"))) {
            return "state.json is missing";
        }
        Path m = d.resolve(MANIFEST);
        if (!Files.exists(m)) {
            return null;
        }
        Map<String, Object> files;
        try {
            Map<String, Object> manifest = JSON.readValue(m.toFile(), new TypeReference<Map<String, Object>>() { });
            files = object(manifest, "files");
        } catch (IOException | IllegalArgumentException e) {
            return MANIFEST + " is damaged (" + e.getMessage().lines().findFirst().orElse("") + ")";
        }
        for (Map.Entry<String, Object> e : files.entrySet()) {
            Path f = d.resolve(e.getKey()).normalize();
            if (!f.startsWith(d) || !(e.getValue() instanceof Map<?, ?> entry) || !(entry.get("size") instanceof Number size)
                    || !(entry.get("sha256") instanceof String sum)) {
                return MANIFEST + " is damaged (entry " + e.getKey() + ")";
            }
            try {
                if (!Files.isRegularFile(f)) {
                    return e.getKey() + " is missing";
                }
                long actual = Files.size(f);
                if (actual != size.longValue()) {
                    return e.getKey() + " has " + actual + " bytes where the manifest says " + size + " (truncated or overwritten)";
                }
                if (!sha256(f).equals(sum)) {
                    return e.getKey() + " does not match its checksum in the manifest (damaged)";
                }
            } catch (IOException x) {
                return e.getKey() + " cannot be read (" + x.getMessage() + ")";
            }
        }
        return null;
    }

    /** The environment steps recorded in a generation's state, or −1 when it cannot be read. */
    private static long envSteps(Path d) {
        try {
            return number(readState(d), "env_steps").longValue();
        } catch (RuntimeException e) {
            return -1;
        }
    }

    /** The state written with the checkpoint in {@code dir}. */
    public static Map<String, Object> readState(Path dir) {
        try {
            Map<String, Object> state = JSON.readValue(dir.resolve("state.json").toFile(),
                    new TypeReference<Map<String, Object>>() { });
            if (state == null) {
                throw new IllegalArgumentException("the checkpoint state " + dir.resolve("state.json")
                        + " holds null; expected a JSON object");
            }
            return state;
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
