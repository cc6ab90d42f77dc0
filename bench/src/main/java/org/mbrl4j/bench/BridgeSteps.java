package org.mbrl4j.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.DoubleSupplier;
import org.mbrl4j.env.Env;
import org.mbrl4j.env.EnvRegistry;
import org.mbrl4j.env.VectorEnv;
import org.mbrl4j.envs.gymnasium.GymnasiumEnvs;
import org.mbrl4j.envs.gymnasium.GymnasiumVectorEnv;

/**
 * Environment steps per second of a Gymnasium environment driven from Java through the bridge — one environment
 * (one round trip per step) and a vector of 8 (one round trip per 8 steps), through the shared-memory lane and through
 * Py4J — against native Python stepping of the same environment ({@code bench/python/native_steps.py}, driven from
 * here). Each round runs native, lane and Py4J in a rotating order (the one that runs right after another process
 * finds colder caches: a fixed order cost the lane ~5 points of its share), each after an untimed lead-in, so
 * every bridge figure has a native figure next to it; the report gives the median rate of each and the median of
 * the per-round ratios.
 */
public final class BridgeSteps {
    private BridgeSteps() {
    }

    /** Args: gym id, seconds per round, rounds, the Python interpreter with Gymnasium, the native script. */
    public static void main(String[] args) throws IOException {
        String id = args[0];
        double seconds = Double.parseDouble(args[1]);
        int rounds = Integer.parseInt(args[2]);
        Process python = new ProcessBuilder(args[3], args[4], id).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (PrintWriter toNative = new PrintWriter(python.getOutputStream(), true, StandardCharsets.UTF_8);
             BufferedReader fromNative = new BufferedReader(
                     new InputStreamReader(python.getInputStream(), StandardCharsets.UTF_8))) {
            for (int n : new int[] {1, 8}) {
                DoubleSupplier nativeRound = () -> {
                    toNative.println(n + " " + seconds);
                    try {
                        return Double.parseDouble(fromNative.readLine());
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                };
                try (Stepper lane = new Stepper(id, n, true); Stepper py4j = new Stepper(id, n, false)) {
                    // warm-up round of each
                    nativeRound.getAsDouble();
                    lane.round(seconds);
                    py4j.round(seconds);
                    double[][] rates = new double[3][rounds];
                    for (int r = 0; r < rounds; r++) {
                        // the order rotates: whichever ran right after another process found colder caches
                        for (int c = 0; c < 3; c++) {
                            int which = (r + c) % 3;
                            if (which == 0) {
                                rates[0][r] = nativeRound.getAsDouble();
                            } else if (which == 1) {
                                rates[1][r] = lane.round(seconds);
                            } else {
                                rates[2][r] = py4j.round(seconds);
                            }
                        }
                    }
                    report(id, n, "gymnasium (python)", rates[0], null);
                    report(id, n, "mbrl4j bridge (shared memory)", rates[1], rates[0]);
                    report(id, n, "mbrl4j bridge (Py4J)", rates[2], rates[0]);
                }
            }
        } finally {
            python.destroy();
        }
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int m = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[m] : (sorted[m - 1] + sorted[m]) / 2;
    }

    private static void report(String id, int n, String impl, double[] rates, double[] nativeRates) {
        StringBuilder line = new StringBuilder(String.format(
                "{\"impl\": \"%s\", \"env\": \"%s\", \"envs\": %d, \"steps_per_sec\": %.0f, \"rounds\": %s",
                impl, id, n, median(rates), Arrays.toString(Arrays.stream(rates).map(Math::rint).toArray())));
        if (nativeRates != null) {
            double[] ratios = new double[rates.length];
            for (int i = 0; i < ratios.length; i++) {
                ratios[i] = rates[i] / nativeRates[i];
            }
            line.append(String.format(", \"of_native_median\": %.3f, \"of_native_min\": %.3f",
                    median(ratios), Arrays.stream(ratios).min().orElseThrow()));
        }
        System.out.println(line.append('}'));
    }

    /** One bridge configuration: a single env ({@code n == 1}) or a vector, through the lane or through Py4J. */
    private static final class Stepper implements AutoCloseable {
        private final int n;
        private final Env env;
        private final VectorEnv vector;
        private final double[][][] actions = new double[64][][];

        Stepper(String id, int n, boolean lane) {
            this.n = n;
            SplittableRandom rng = new SplittableRandom(0);
            if (n == 1) {
                env = EnvRegistry.load().make("gymnasium/" + id, Map.of(GymnasiumEnvs.LANE, lane));
                vector = null;
                for (int c = 0; c < actions.length; c++) {
                    actions[c] = new double[][] {env.actionSpace().sample(rng)};
                }
                env.reset(0);
            } else {
                env = null;
                vector = new GymnasiumVectorEnv(id, Map.of(GymnasiumEnvs.LANE, lane), n, 60_000);
                for (int c = 0; c < actions.length; c++) {
                    actions[c] = new double[n][];
                    for (int i = 0; i < n; i++) {
                        actions[c][i] = vector.singleActionSpace().sample(rng);
                    }
                }
                vector.reset(0L);
            }
        }

        double round(double seconds) {
            // an untimed lead-in, as in the native script: the first calls after another process ran are slower
            long leadIn = System.nanoTime() + (long) (Math.min(0.02, seconds / 5) * 1e9);
            for (long c = 0; System.nanoTime() < leadIn; c++) {
                call(c);
            }
            long calls = 0;
            long t0 = System.nanoTime();
            long end = t0 + (long) (seconds * 1e9);
            while (System.nanoTime() < end) {
                call(calls++);
            }
            return calls * n / ((System.nanoTime() - t0) / 1e9);
        }

        private void call(long c) {
            double[][] a = actions[(int) (c & 63)];
            if (vector != null) {
                vector.step(a);
            } else if (env.step(a[0]).done()) {
                env.reset();
            }
        }

        @Override
        public void close() {
            if (env != null) {
                env.close();
            } else {
                vector.close();
            }
        }
    }
}
