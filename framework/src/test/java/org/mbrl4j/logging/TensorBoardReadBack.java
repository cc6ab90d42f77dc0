package org.mbrl4j.logging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.mbrl4j.python.PythonVenv;

/** Reads event files back with the real TensorBoard (2.21.0, in an mbrl4j-managed venv) for tests. */
public final class TensorBoardReadBack {
    /** The pinned TensorBoard of the read-back tests. */
    public static final List<String> REQUIREMENTS = List.of("tensorboard==2.21.0");

    private TensorBoardReadBack() {
    }

    /** What TensorBoard's own event reader finds in {@code file}, as JSON (see read_events.py). */
    public static JsonNode read(Path file) throws IOException, InterruptedException {
        Path python = PythonVenv.ensure("tensorboard", REQUIREMENTS);
        Path script = Files.createTempFile("read_events", ".py");
        try (InputStream in = TensorBoardReadBack.class.getResourceAsStream("/python/read_events.py")) {
            Files.write(script, in.readAllBytes());
        }
        Process p = new ProcessBuilder(python.toString(), script.toString(), file.toString()).redirectErrorStream(false)
                .start();
        byte[] out = p.getInputStream().readAllBytes();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("TensorBoard could not read " + file + ":\n" + err);
        }
        return new ObjectMapper().readTree(out);
    }
}
