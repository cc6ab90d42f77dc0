package org.mbrl4j.bench;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.mbrl4j.env.Env;
import org.mbrl4j.env.EnvRegistry;

/**
 * Steps per second of native environments made through the registry (time limit and order enforcing included, as
 * {@code gymnasium.make}), with pre-sampled random actions and resets at episode ends. Prints one JSON line per env:
 * the median of 5 timed rounds of {@code seconds} each after a warm-up round.
 */
public final class EnvSteps {
    private EnvSteps() {
    }

    /** Args: seconds per round, then env ids. */
    public static void main(String[] args) {
        double seconds = Double.parseDouble(args[0]);
        EnvRegistry registry = EnvRegistry.load();
        for (int k = 1; k < args.length; k++) {
            String id = args[k];
            try (Env env = registry.make(id)) {
                SplittableRandom rng = new SplittableRandom(0);
                double[][] actions = new double[4096][];
                for (int i = 0; i < actions.length; i++) {
                    actions[i] = env.actionSpace().sample(rng);
                }
                env.reset(0);
                round(env, actions, seconds);
                double[] rates = new double[5];
                for (int r = 0; r < rates.length; r++) {
                    rates[r] = round(env, actions, seconds);
                }
                Arrays.sort(rates);
                System.out.printf("{\"impl\": \"mbrl4j\", \"env\": \"%s\", \"steps_per_sec\": %.0f}%n", id, rates[2]);
            }
        }
    }

    private static double round(Env env, double[][] actions, double seconds) {
        long steps = 0;
        long start = System.nanoTime();
        long end = start + (long) (seconds * 1e9);
        long now;
        do {
            for (int i = 0; i < 1000; i++) {
                if (env.step(actions[(int) (steps++ & 4095)]).done()) {
                    env.reset();
                }
            }
            now = System.nanoTime();
        } while (now < end);
        return steps / ((now - start) / 1e9);
    }
}
