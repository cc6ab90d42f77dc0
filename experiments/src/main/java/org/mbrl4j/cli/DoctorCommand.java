package org.mbrl4j.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.mbrl4j.envs.gymnasium.GymnasiumEnvs;
import org.mbrl4j.event.Provenance;
import org.mbrl4j.python.PythonVenv;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code mbrl4j doctor}: what this machine gives mbrl4j — Java, the ND4J backend and whether its natives load, the CPU
 * features the natives need, Python and the bridge's venv, TensorBoard, plugin jars and the cache directories. The
 * first thing to ask for in a bug report; every check reports and goes on, and the exit code is 1 when a check that a
 * run needs (Java, the natives) failed.
 */
@Command(name = "doctor", mixinStandardHelpOptions = true,
        description = "Check this machine: Java, ND4J natives, CPU features, Python and the bridge venv, TensorBoard, plugins, caches.")
final class DoctorCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        boolean ok = true;
        Runtime rt = Runtime.getRuntime();
        int feature = Runtime.version().feature();
        out.printf("mbrl4j       %s%n", Provenance.mbrl4jVersion());
        out.printf("java         %s (%s, %s)%s%n", System.getProperty("java.version"), System.getProperty("java.vendor"),
                System.getProperty("java.home"), feature >= 17 ? "" : "  PROBLEM: Java 17 or newer is needed");
        ok &= feature >= 17;
        out.printf("os           %s %s, %d cores, max heap %d MB%n", System.getProperty("os.name"),
                System.getProperty("os.arch"), rt.availableProcessors(), rt.maxMemory() >> 20);
        out.printf("cpu          %s%n", cpuFeatures());
        try {
            org.nd4j.linalg.api.ndarray.INDArray a = org.nd4j.linalg.factory.Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 64, 64);
            double trace = a.mmul(a).sumNumber().doubleValue();
            a.close();
            var info = org.nd4j.linalg.factory.Nd4j.getExecutioner().getEnvironmentInformation();
            out.printf("nd4j         %s, natives load (a 64×64 product: %s); blas %s, %s OpenMP threads%n",
                    org.nd4j.linalg.factory.Nd4j.getBackend().getClass().getSimpleName(),
                    Double.isFinite(trace) ? "finite" : "NOT FINITE", info.getOrDefault("blas.vendor", "?"),
                    info.getOrDefault("omp.threads", "?"));
            ok &= Double.isFinite(trace);
        } catch (Throwable e) {
            // an UnsatisfiedLinkError or a NoClassDefFoundError is the answer this check exists to give
            out.printf("nd4j         PROBLEM: the natives do not load: %s%n", e);
            ok = false;
        }
        out.printf("python       %s%n", python());
        Path venv = PythonVenv.location("gymnasium", GymnasiumEnvs.pythonRequirements());
        String override = System.getenv("MBRL4J_PYTHON");
        out.printf("bridge venv  %s%n", override != null && !override.isBlank()
                ? "MBRL4J_PYTHON=" + override + " is used instead of a managed venv"
                : PythonVenv.ready(venv) ? "ready: " + venv
                : "not created yet: the first gymnasium/… environment creates " + venv + " (python3 -m venv, then pip "
                        + "install " + String.join(" ", GymnasiumEnvs.pythonRequirements()) + " through pip's configured index)");
        out.printf("tensorboard  %s%n", onPath("tensorboard").map(p -> "on PATH: " + p)
                .orElse("not on PATH (runs still write TensorBoard files; to view them: pip install tensorboard, then "
                        + "tensorboard --logdir RUN_DIR)"));
        List<String> plugins = new ArrayList<>();
        String[] cp = System.getProperty("java.class.path", "").split(java.io.File.pathSeparator);
        for (int i = 1; i < cp.length; i++) {
            plugins.add(cp[i]);
        }
        out.printf("plugins      %s%n", plugins.isEmpty() ? "none (the launcher adds jars from MBRL4J_PLUGINS, ./plugins "
                + "and ~/.mbrl4j/plugins)" : String.join(", ", plugins));
        Path home = Path.of(System.getProperty("user.home"));
        Path cache = Path.of(System.getenv().getOrDefault("XDG_CACHE_HOME", home.resolve(".cache").toString()), "mbrl4j");
        for (Path dir : List.of(home.resolve(".javacpp/cache"), PythonVenv.root(), cache.resolve("cds"))) {
            out.printf("cache        %s: %s%n", dir, size(dir));
        }
        out.println(ok ? "ok: runs can start here" : "PROBLEM: see the lines above");
        out.flush();
        return ok ? 0 : 1;
    }

    /** The x86 features ND4J's builds use (Linux's /proc/cpuinfo), or the architecture elsewhere. */
    private static String cpuFeatures() {
        Path info = Path.of("/proc/cpuinfo");
        if (!Files.isReadable(info)) {
            return System.getProperty("os.arch") + " (features not readable here)";
        }
        try (Stream<String> lines = Files.lines(info)) {
            List<String> all = lines.toList();
            String model = all.stream().filter(l -> l.startsWith("model name")).findFirst()
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse(System.getProperty("os.arch"));
            String flags = " " + all.stream().filter(l -> l.startsWith("flags") || l.startsWith("Features")).findFirst()
                    .map(l -> l.substring(l.indexOf(':') + 1)).orElse("") + " ";
            List<String> have = new ArrayList<>();
            for (String f : List.of("avx", "avx2", "fma", "avx512f", "neon", "asimd")) {
                if (flags.contains(" " + f + " ")) {
                    have.add(f);
                }
            }
            boolean x86 = System.getProperty("os.arch").matches("amd64|x86_64");
            return model + "; " + (have.isEmpty() ? "no vector features listed" : String.join(" ", have))
                    + (x86 && !have.contains("avx2") ? "  PROBLEM: this build's ND4J natives need AVX2" : "");
        } catch (IOException e) {
            return "cannot read /proc/cpuinfo: " + e.getMessage();
        }
    }

    private static String python() {
        String override = System.getenv("MBRL4J_PYTHON");
        String exe = override != null && !override.isBlank() ? override : onPath("python3").orElse(null);
        if (exe == null) {
            return "python3 not on PATH: Gymnasium environments need Python 3.9 or newer (e.g. apt-get install python3 "
                    + "python3-venv); everything else runs without it";
        }
        try {
            Process p = new ProcessBuilder(exe, "--version").redirectErrorStream(true).start();
            p.getOutputStream().close();
            String v = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return exe + " did not answer --version within 10 s";
            }
            return exe + ": " + v;
        } catch (IOException e) {
            return exe + " cannot be started: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return exe + ": interrupted";
        }
    }

    private static java.util.Optional<String> onPath(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, name);
            if (Files.isExecutable(p)) {
                return java.util.Optional.of(p.toString());
            }
        }
        return java.util.Optional.empty();
    }

    private static String size(Path dir) {
        if (!Files.isDirectory(dir)) {
            return "absent";
        }
        try (Stream<Path> files = Files.walk(dir)) {
            long bytes = files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
            return (bytes >> 20) + " MB";
        } catch (IOException | java.io.UncheckedIOException e) {
            return "unreadable: " + e.getMessage();
        }
    }
}
