package org.mbrl4j.envs.gymnasium;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * The shared-memory lane for steps between Java and one Gymnasium server: a small file both processes map (deleted
 * as soon as both have it open), with a request slot and a reply slot, each published by a sequence number stored
 * after its payload (release/acquire on this side; the layout is in {@code gym_server.py}). A loopback-socket round
 * trip costs ~50 µs on these machines, more than a MuJoCo step; this costs a few µs because both sides poll: the
 * caller spins for up to a millisecond and then parks in short naps, checking that the process lives and that the
 * timeout has not passed. The server relies on x86-64's store order, so the lane is only offered there.
 */
final class SharedMemoryLane implements AutoCloseable {
    static final int HEADER = 64;
    static final int STEP = 1;
    static final int VECTOR_STEP = 2;
    private static final VarHandle LONG = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long SPIN_NANOS = 1_000_000;

    /** What a call can end with besides a reply: the server's error text, a dead process, or no answer in time. */
    static final class Failure extends RuntimeException {
        final boolean pythonError;

        Failure(String message, boolean pythonError) {
            super(message, null, false, false);
            this.pythonError = pythonError;
        }
    }

    private final MappedByteBuffer buf;
    private final int requestCapacity;
    private final int replyCapacity;
    private long seq;

    private SharedMemoryLane(MappedByteBuffer buf, int requestCapacity, int replyCapacity) {
        this.buf = buf;
        this.requestCapacity = requestCapacity;
        this.replyCapacity = replyCapacity;
    }

    /** Whether this machine can run the lane (x86-64, not switched off with {@code MBRL4J_GYM_LANE=0}). */
    static boolean available() {
        String arch = System.getProperty("os.arch", "");
        return !"0".equals(System.getenv("MBRL4J_GYM_LANE")) && (arch.equals("amd64") || arch.equals("x86_64"));
    }

    /**
     * Creates the lane's file (in {@code /dev/shm} where it exists), has the server map it through {@code backend},
     * and deletes the name: the memory lives as long as both mappings.
     */
    static SharedMemoryLane open(GymBackend backend, int requestDoubles, int replyDoubles) throws IOException {
        int requestCapacity = requestDoubles * 8;
        int replyCapacity = Math.max(replyDoubles * 8, 16 << 10);
        Path shm = Path.of("/dev/shm");
        Path file = Files.isDirectory(shm) && Files.isWritable(shm) ? Files.createTempFile(shm, "mbrl4j-gym-", ".lane")
                : Files.createTempFile("mbrl4j-gym-", ".lane");
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long size = HEADER + requestCapacity + replyCapacity;
            MappedByteBuffer buf = ch.map(FileChannel.MapMode.READ_WRITE, 0, size);
            buf.order(ByteOrder.LITTLE_ENDIAN);
            backend.openLane(file.toString(), requestCapacity, replyCapacity);
            return new SharedMemoryLane(buf, requestCapacity, replyCapacity);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /**
     * Sends {@code op} with {@code request} and waits for the reply, at most {@code timeoutMillis}, while
     * {@code alive} holds.
     */
    double[] call(int op, double[] request, BooleanSupplier alive, int timeoutMillis) {
        if (request.length * 8 > requestCapacity) {
            throw new IllegalArgumentException("request of " + request.length + " values exceeds the lane's "
                    + requestCapacity / 8);
        }
        for (int i = 0; i < request.length; i++) {
            buf.putDouble(HEADER + 8 * i, request[i]);
        }
        buf.putInt(16, op);
        buf.putInt(20, request.length * 8);
        long s = ++seq;
        LONG.setRelease(buf, 0, s);
        long t0 = System.nanoTime();
        long deadline = t0 + timeoutMillis * 1_000_000L;
        long nextCheck = t0 + SPIN_NANOS;
        while ((long) LONG.getAcquire(buf, 8) != s) {
            long now = System.nanoTime();
            if (now - t0 < SPIN_NANOS) {
                Thread.onSpinWait();
                continue;
            }
            LockSupport.parkNanos(20_000);
            if (now >= nextCheck) {
                nextCheck = now + 1_000_000;
                if (!alive.getAsBoolean()) {
                    throw new Failure("the Python process died", false);
                }
                if (now >= deadline) {
                    throw new Failure("no answer from Python within " + timeoutMillis + " ms", false);
                }
            }
        }
        int status = buf.getInt(24);
        int n = buf.getInt(28);
        int at = HEADER + requestCapacity;
        if (status != 0) {
            byte[] text = new byte[Math.min(n, replyCapacity)];
            buf.get(at, text);
            throw new Failure(new String(text, StandardCharsets.UTF_8), true);
        }
        double[] reply = new double[n / 8];
        for (int i = 0; i < reply.length; i++) {
            reply[i] = buf.getDouble(at + 8 * i);
        }
        return reply;
    }

    /** Ends the server's lane thread (no answer awaited). */
    @Override
    public void close() {
        buf.putInt(16, 0);
        LONG.setRelease(buf, 0, ++seq);
    }
}
