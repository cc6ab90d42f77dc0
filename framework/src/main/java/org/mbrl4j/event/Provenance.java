package org.mbrl4j.event;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * Where a run or a trained artefact came from: mbrl4j, ND4J and Java versions, the git commit of the working
 * directory (when it is a git checkout), host, time, seed, command line and the resolved configuration.
 *
 * @param values the provenance as an ordered, JSON-ready map
 */
public record Provenance(Map<String, Object> values) {

    /** Copies the map. */
    public Provenance {
        values = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /** Captures the environment now, with the run's seed, command line and configuration. */
    public static Provenance capture(long seed, List<String> commandLine, Map<String, Object> config) {
        Map<String, Object> m = new LinkedHashMap<>();
        Properties v = versions();
        m.put("mbrl4j_version", v.getProperty("mbrl4j", "unknown"));
        m.put("nd4j_version", v.getProperty("nd4j", "unknown"));
        m.put("java_version", System.getProperty("java.version"));
        m.put("java_vendor", System.getProperty("java.vendor"));
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        m.put("git_commit", gitCommit());
        m.put("host", host());
        m.put("time", Instant.now().toString());
        m.put("seed", seed);
        m.put("command_line", commandLine);
        m.put("config", config);
        return new Provenance(m);
    }

    static Properties versions() {
        Properties p = new Properties();
        try (InputStream in = Provenance.class.getResourceAsStream("/org/mbrl4j/versions.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            // versions stay "unknown"
        }
        return p;
    }

    /** The mbrl4j version of this build. */
    public static String mbrl4jVersion() {
        return versions().getProperty("mbrl4j", "unknown");
    }

    private static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** HEAD of the git checkout containing the working directory (with "-dirty" when it has changes), or "unknown". */
    static String gitCommit() {
        try {
            String head = run("git", "rev-parse", "HEAD");
            if (head.isEmpty()) {
                return "unknown";
            }
            String status = run("git", "status", "--porcelain", "--untracked-files=no");
            return status.isEmpty() ? head : head + "-dirty";
        } catch (IOException | InterruptedException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            return "unknown";
        }
    }

    private static String run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(false).start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(5, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            return "";
        }
        return new String(out, StandardCharsets.UTF_8).trim();
    }
}
