package org.mbrl4j.bench;

import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;
import org.mbrl4j.env.Env;
import org.mbrl4j.env.EnvRegistry;
import org.mbrl4j.env.VectorEnv;
import org.mbrl4j.envs.gymnasium.GymnasiumEnvs;
import org.mbrl4j.envs.gymnasium.GymnasiumVectorEnv;

/**
 * Environment steps per second of a Gymnasium environment driven from Java through the bridge: one environment
 * (one round trip per step) and a vector of 8 (one round trip per 8 steps), with steps through the shared-memory
 * lane and through Py4J. Median of 5 rounds after a warm-up.
 */
public final class BridgeSteps {
    private BridgeSteps() {
    }

    /** Args: gym id, seconds per round. */
    public static void main(String[] args) {
        String id = args[0];
        double seconds = Double.parseDouble(args[1]);
        for (boolean lane : new boolean[] {true, false}) {
            single(id, seconds, lane);
            vector(id, seconds, lane, 8);
        }
    }

    private static double median(double[] rates) {
        double[] timed = Arrays.copyOfRange(rates, 1, rates.length);
        Arrays.sort(timed);
        return timed[timed.length / 2];
    }

    private static void report(String id, int n, boolean lane, double rate) {
        System.out.printf("{\"impl\": \"mbrl4j bridge (%s)\", \"env\": \"%s\", \"envs\": %d, \"steps_per_sec\": %.0f}%n",
                lane ? "shared memory" : "Py4J", id, n, rate);
    }

    private static void single(String id, double seconds, boolean lane) {
        SplittableRandom rng = new SplittableRandom(0);
        try (Env env = EnvRegistry.load().make("gymnasium/" + id, Map.of(GymnasiumEnvs.LANE, lane))) {
            double[][] actions = new double[1024][];
            for (int i = 0; i < actions.length; i++) {
                actions[i] = env.actionSpace().sample(rng);
            }
            env.reset(0);
            double[] rates = new double[6];
            for (int r = 0; r < rates.length; r++) {
                long steps = 0;
                long t0 = System.nanoTime();
                long end = t0 + (long) (seconds * 1e9);
                while (System.nanoTime() < end) {
                    if (env.step(actions[(int) (steps++ & 1023)]).done()) {
                        env.reset();
                    }
                }
                rates[r] = steps / ((System.nanoTime() - t0) / 1e9);
            }
            report(id, 1, lane, median(rates));
        }
    }

    private static void vector(String id, double seconds, boolean lane, int n) {
        SplittableRandom rng = new SplittableRandom(0);
        try (VectorEnv v = new GymnasiumVectorEnv(id, Map.of(GymnasiumEnvs.LANE, lane), n, 60_000)) {
            double[][][] actions = new double[64][n][];
            for (double[][] row : actions) {
                for (int i = 0; i < n; i++) {
                    row[i] = v.singleActionSpace().sample(rng);
                }
            }
            v.reset(0L);
            double[] rates = new double[6];
            for (int r = 0; r < rates.length; r++) {
                long calls = 0;
                long t0 = System.nanoTime();
                long end = t0 + (long) (seconds * 1e9);
                while (System.nanoTime() < end) {
                    v.step(actions[(int) (calls++ & 63)]);
                }
                rates[r] = calls * n / ((System.nanoTime() - t0) / 1e9);
            }
            report(id, n, lane, median(rates));
        }
    }
}
