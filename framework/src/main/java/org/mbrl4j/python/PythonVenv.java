package org.mbrl4j.python;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.mbrl4j.data.AtomicFile;

/**
 * Finds or creates a Python virtual environment with pinned packages, so that nothing has to be installed by hand:
 * {@code ~/.cache/mbrl4j/python/<name>-<hash of the requirements>} (root overridable with {@code MBRL4J_PYTHON_HOME}).
 * Creation is guarded by a file lock (parallel seeds and sweep tasks may ask at once) and atomic: the venv is built in
 * a temporary directory and renamed into place, so a killed installation never leaves a half environment. The
 * environment variable {@code MBRL4J_PYTHON} names an interpreter to use instead.
 */
public final class PythonVenv {
    private static final String READY = ".mbrl4j-ready";

    private PythonVenv() {
    }

    /**
     * The interpreter of a venv holding {@code requirements} (pip specifiers such as {@code tensorboard==2.21.0}),
     * creating it when needed.
     *
     * @throws IllegalStateException with what to run when Python or pip fails
     */
    public static Path ensure(String name, List<String> requirements) {
        String override = System.getenv("MBRL4J_PYTHON");
        if (override != null && !override.isBlank()) {
            Path p = Path.of(override);
            if (!Files.isExecutable(p)) {
                throw new IllegalStateException("MBRL4J_PYTHON=" + override + " is not an executable Python interpreter");
            }
            return p;
        }
        Path root = root();
        Path dir = location(name, requirements);
        Path python = dir.resolve("bin").resolve("python");
        if (ready(dir)) {
            return python;
        }
        try {
            Files.createDirectories(root);
            try (FileChannel ch = FileChannel.open(root.resolve(name + ".lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE); FileLock lock = ch.lock()) {
                if (Files.exists(dir.resolve(READY))) {
                    return python;
                }
                Path tmp = Files.createTempDirectory(root, name + ".building-");
                try {
                    run(List.of(python3(), "-m", "venv", tmp.toString()), "create a virtual environment in " + tmp,
                            "python3 -m venv " + tmp + "  (on Debian/Ubuntu: apt-get install python3-venv)");
                    List<String> pip = new ArrayList<>(List.of(tmp.resolve("bin/python").toString(), "-m", "pip", "install",
                            "--disable-pip-version-check", "--retries", "1", "-q"));
                    pip.addAll(requirements);
                    run(pip, "install " + requirements, "python3 -m pip install " + String.join(" ", requirements));
                    Files.writeString(tmp.resolve(READY), String.join("\n", requirements) + "\n");
                    if (Files.exists(dir)) {
                        AtomicFile.deleteTree(dir);
                    }
                    Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
                } finally {
                    if (Files.exists(tmp)) {
                        AtomicFile.deleteTree(tmp);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the Python environment " + dir + ": " + e.getMessage(), e);
        }
        return python;
    }

    /** Where {@link #ensure} keeps (or will create) the venv {@code name} holding {@code requirements}. */
    public static Path location(String name, List<String> requirements) {
        return root().resolve(name + "-" + hash(requirements));
    }

    /** Whether the venv at {@code dir} (a {@link #location}) was created completely. */
    public static boolean ready(Path dir) {
        return Files.exists(dir.resolve(READY));
    }

    /** Root directory of mbrl4j's environments. */
    public static Path root() {
        String home = System.getenv("MBRL4J_PYTHON_HOME");
        return home != null && !home.isBlank() ? Path.of(home)
                : Path.of(System.getProperty("user.home"), ".cache", "mbrl4j", "python");
    }

    private static String python3() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            Path p = Path.of(dir, "python3");
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        throw new IllegalStateException("python3 was not found on PATH; install Python 3.9 or newer (e.g. "
                + "apt-get install python3 python3-venv) or set MBRL4J_PYTHON to an interpreter");
    }

    private static void run(List<String> cmd, String what, String hint) throws IOException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        try {
            if (!p.waitFor(30, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IllegalStateException("timed out trying to " + what + "; try by hand: " + hint);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new IllegalStateException("interrupted while trying to " + what);
        }
        if (p.exitValue() != 0) {
            String text = new String(out, StandardCharsets.UTF_8);
            String tail = text.length() > 2000 ? text.substring(text.length() - 2000) : text;
            throw new IllegalStateException("could not " + what + " (exit code " + p.exitValue() + "); try by hand: "
                    + hint + "\n" + tail);
        }
    }

    private static String hash(List<String> requirements) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(String.join("\n", requirements)
                    .getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
