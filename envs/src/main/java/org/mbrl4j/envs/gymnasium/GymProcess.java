package org.mbrl4j.envs.gymnasium;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.SocketFactory;
import org.mbrl4j.python.PythonVenv;
import py4j.CallbackClient;
import py4j.GatewayServer;

/**
 * One Python process serving Gymnasium: started with a random token on its standard input, it reports its port;
 * Java talks to it through Py4J's {@link CallbackClient} (auth token, read timeout) and a {@link GatewayServer} that
 * is built but never started, so no Java port is opened. Processes still alive at JVM exit are destroyed.
 */
final class GymProcess implements AutoCloseable {
    /** Gymnasium and MuJoCo as served by this machine's pip configuration; pygame renders classic control. */
    static final List<String> REQUIREMENTS = List.of("gymnasium[mujoco]==1.3.0", "mujoco==3.14.0", "pygame==2.6.1");
    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();
    private static final SecureRandom RANDOM = new SecureRandom();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(Process::destroyForcibly), "mbrl4j-gym-reaper"));
    }

    private final Process process;
    private final CallbackClient client;
    private final GymBackend backend;

    private GymProcess(Process process, CallbackClient client, GymBackend backend) {
        this.process = process;
        this.client = client;
        this.backend = backend;
    }

    /** Starts a server with the managed venv (or {@code MBRL4J_PYTHON}); {@code timeoutMillis} bounds every call. */
    static GymProcess start(int timeoutMillis) {
        Path python = PythonVenv.ensure("gymnasium", REQUIREMENTS);
        return start(python, script(), timeoutMillis);
    }

    /** The server script, extracted from the jar once per JVM. */
    static synchronized Path script() {
        try {
            Path p = Files.createTempFile("mbrl4j-gym-server", ".py");
            p.toFile().deleteOnExit();
            try (InputStream in = GymProcess.class.getResourceAsStream("gym_server.py")) {
                Files.copy(in, p, StandardCopyOption.REPLACE_EXISTING);
            }
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot extract the Gymnasium server script: " + e.getMessage(), e);
        }
    }

    static GymProcess start(Path python, Path script, int timeoutMillis) {
        String token = HexFormat.of().formatHex(RANDOM.generateSeed(16));
        Process p;
        try {
            ProcessBuilder pb = new ProcessBuilder(python.toString(), "-u", script.toString());
            // pygame draws classic-control frames off screen; without this SDL probes for a sound card at import
            pb.environment().putIfAbsent("SDL_AUDIODRIVER", "dummy");
            pb.environment().putIfAbsent("PYGAME_HIDE_SUPPORT_PROMPT", "1");
            p = pb.start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start Python (" + python + "): " + e.getMessage(), e);
        }
        LIVE.add(p);
        Deque<String> errLines = new ArrayDeque<>();
        Thread drain = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
                String l;
                while ((l = r.readLine()) != null) {
                    synchronized (errLines) {
                        errLines.addLast(l);
                        if (errLines.size() > 40) {
                            errLines.removeFirst();
                        }
                    }
                }
            } catch (IOException e) {
                // the process ended
            }
        }, "mbrl4j-gym-stderr");
        drain.setDaemon(true);
        drain.start();
        try {
            OutputStream stdin = p.getOutputStream();
            stdin.write((token + "\n").getBytes(StandardCharsets.UTF_8));
            stdin.flush();
            // stdin stays open: the server exits when it closes, i.e. when this JVM dies
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String line = CompletableFuture.supplyAsync(() -> {
                try {
                    return out.readLine();
                } catch (IOException e) {
                    return null;
                }
            }).get(120, TimeUnit.SECONDS);
            if (line == null || !line.startsWith("PORT ")) {
                p.waitFor(2, TimeUnit.SECONDS);
                throw new IllegalStateException("the Gymnasium server did not start (" + (p.isAlive() ? "no port reported"
                        : "exit code " + p.exitValue()) + "):\n" + String.join("\n", snapshot(errLines)));
            }
            int port = Integer.parseInt(line.substring(5).trim());
            CallbackClient client = new CallbackClient(port, InetAddress.getLoopbackAddress(), token, 30, TimeUnit.SECONDS,
                    SocketFactory.getDefault(), false, timeoutMillis);
            GatewayServer gateway = new GatewayServer.GatewayServerBuilder().callbackClient(client).build();
            GymBackend backend = (GymBackend) gateway.getPythonServerEntryPoint(new Class[] {GymBackend.class});
            GymProcess self = new GymProcess(p, client, backend);
            String nonce = HexFormat.of().formatHex(RANDOM.generateSeed(8));
            String expected = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest((token + ":" + nonce).getBytes(StandardCharsets.UTF_8)));
            String answer;
            try {
                answer = backend.handshake(nonce);
            } catch (py4j.Py4JException e) {
                self.close();
                throw new IllegalStateException("authentication with the process on port " + port + " failed (it does not "
                        + "accept this bridge's token: another or a stale server?): " + e.getMessage(), e);
            }
            if (!expected.equals(answer)) {
                self.close();
                throw new IllegalStateException("the process on port " + port + " is not this bridge's Gymnasium server");
            }
            return self;
        } catch (RuntimeException e) {
            p.destroyForcibly();
            LIVE.remove(p);
            throw e;
        } catch (Exception e) {
            p.destroyForcibly();
            LIVE.remove(p);
            throw new IllegalStateException("cannot start the Gymnasium server: " + e + "\n"
                    + String.join("\n", snapshot(errLines)), e);
        }
    }

    private static List<String> snapshot(Deque<String> lines) {
        synchronized (lines) {
            return List.copyOf(lines);
        }
    }

    GymBackend backend() {
        return backend;
    }

    boolean alive() {
        return process.isAlive();
    }

    /** The exit code once the process ended (waiting up to {@code millis}), or null while it runs. */
    Integer exitCode(long millis) {
        try {
            if (process.waitFor(millis, TimeUnit.MILLISECONDS)) {
                return process.exitValue();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return null;
    }

    long pid() {
        return process.pid();
    }

    /** Stops the process (politely when it answers, forcibly otherwise). */
    @Override
    public void close() {
        try {
            client.shutdown();
        } catch (RuntimeException e) {
            // already broken
        }
        process.destroy();
        try {
            if (!process.waitFor(2, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        LIVE.remove(process);
    }

    static byte[] pack(double[] v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (double x : v) {
            b.putDouble(x);
        }
        return b.array();
    }

    static double[] unpack(byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        double[] v = new double[bytes.length / 8];
        for (int i = 0; i < v.length; i++) {
            v[i] = b.getDouble();
        }
        return v;
    }
}
