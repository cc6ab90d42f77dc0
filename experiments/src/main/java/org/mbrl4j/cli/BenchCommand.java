package org.mbrl4j.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import org.mbrl4j.model.GaussianMlp;
import org.mbrl4j.model.ModelTrainer;
import org.mbrl4j.objective.Objective;
import org.nd4j.linalg.api.ndarray.INDArray;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code mbrl4j bench}: micro-benchmarks whose figures compare side by side with other implementations. */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Benchmarks.",
        subcommands = {BenchCommand.ModelStep.class, BenchCommand.Planner.class})
final class BenchCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a benchmark is required: model-step, planner");
    }

    /**
     * One full training step (forward, objective, backward, Adam) of the reference architecture 23 → 64 → 64 → 17+17
     * on random data; prints the median step time as JSON.
     */
    @Command(name = "model-step", mixinStandardHelpOptions = true,
            description = "Median time of one training step of the reference MLP (23→64→64→17+17), as JSON.")
    static final class ModelStep implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--objective", required = true, description = "mse, nll or pg.")
        String objective;

        @Option(names = "--batch", required = true, description = "Batch size.")
        int batch;

        @Option(names = "--threads", defaultValue = "1", description = "Threads running the shards of a step, one ND4J thread each (default ${DEFAULT-VALUE}).")
        int threads;

        @Option(names = "--steps", defaultValue = "50", description = "Timed steps after 10 warm-up steps (default ${DEFAULT-VALUE}).")
        int steps;

        @Option(names = "--generations", defaultValue = "5", description = "PG samples per input (default ${DEFAULT-VALUE}).")
        int generations;

        @Option(names = "--lockstep", description = "After warm-up print `ready`, then before each timed step wait for a "
                + "line on standard input and after it print the step's milliseconds: a driver alternating this with "
                + "another implementation's steps compares them under the same machine load (bench/python/step_pairs.py).")
        boolean lockstep;

        @Override
        public Integer call() {
            if (batch < 1 || steps < 1 || threads < 1) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--batch, --steps and --threads must be ≥ 1");
            }
            ModelTrainer.setNd4jThreads(1);
            SplittableRandom rng = new SplittableRandom(0);
            GaussianMlp model = GaussianMlp.builder().setInputs(23).setOutputs(17).setSeed(0).build();
            double[] x = new double[batch * 23];
            double[] y = new double[batch * 17];
            for (int i = 0; i < x.length; i++) {
                x[i] = rng.nextGaussian();
            }
            for (int i = 0; i < y.length; i++) {
                y[i] = rng.nextGaussian();
            }
            INDArray in = model.inputs(x, batch);
            Map<String, Object> opts = objective.equals("pg") ? Map.of("generations", generations) : Map.of();
            Objective obj = Objective.create(objective, opts, y, 17);
            ModelTrainer.Data data = new ModelTrainer.Data(in, y);
            // one epoch = one full-batch step (forward, objective, backward, clipping, Adam), timed by the trainer;
            // about 3 s of warm-up first so that the JIT has compiled the loops at every batch size
            ModelTrainer.Builder b = ModelTrainer.builder().setSeed(0).optClipGradNorm(10).optThreads(threads);
            double probe = b.optEpochs(5).build().train(model, obj, data, null, null).stepMsMedian();
            b.optEpochs((int) Math.max(10, Math.min(2000, 3000 / Math.max(probe, 0.01)))).build().train(model, obj, data,
                    null, null);
            if (lockstep) {
                BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
                Runnable await = () -> {
                    try {
                        if (stdin.readLine() == null) {
                            throw new IllegalStateException("standard input closed before the " + steps + " lock-step steps");
                        }
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                };
                System.out.println("ready");
                System.out.flush();
                await.run();
                // the listener runs after each step, outside its timed part
                b.optListener(e -> {
                    System.out.printf("%.3f%n", e.stepMillis());
                    System.out.flush();
                    if (e.epoch() < steps - 1) {
                        await.run();
                    }
                });
            }
            ModelTrainer.Result r = b.optEpochs(steps).build().train(model, obj, data, null, null);
            double[] ms = r.epochs().stream().mapToDouble(ModelTrainer.Epoch::stepMillis).sorted().toArray();
            System.out.printf("{\"impl\": \"mbrl4j\", \"objective\": \"%s\", \"batch\": %d, \"threads\": %d, \"steps\": %d, "
                    + "\"step_ms_median\": %.3f, \"step_ms_p10\": %.3f, \"step_ms_p90\": %.3f}%n", objective, batch, threads,
                    steps, ms[steps / 2], ms[steps / 10], ms[(steps * 9) / 10]);
            return 0;
        }
    }

    /**
     * Imagined transitions per second of one planner evaluation: a population of action sequences scored by TS∞
     * particle rollouts through an ensemble (mbrl-lib's HalfCheetah PETS sizes by default: population 400, horizon 30,
     * 20 particles, 7 members of 4 × 200 SiLU, 17 + 6 → 17), untrained weights (speed does not depend on them).
     */
    @Command(name = "planner", mixinStandardHelpOptions = true,
            description = "Imagined transitions per second of one CEM population evaluation through an ensemble, as JSON.")
    static final class Planner implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--threads", defaultValue = "1", description = "ND4J threads (default ${DEFAULT-VALUE}).")
        int threads;

        @Option(names = "--population", defaultValue = "400", description = "Sequences (default ${DEFAULT-VALUE}).")
        int population;

        @Option(names = "--horizon", defaultValue = "30", description = "Steps per sequence (default ${DEFAULT-VALUE}).")
        int horizon;

        @Option(names = "--particles", defaultValue = "20", description = "Particles per sequence (default ${DEFAULT-VALUE}).")
        int particles;

        @Option(names = "--ensemble", defaultValue = "7", description = "Members (default ${DEFAULT-VALUE}).")
        int ensemble;

        @Option(names = "--hidden", split = ",", defaultValue = "200,200,200,200", description = "Hidden layers (default ${DEFAULT-VALUE}).")
        int[] hidden;

        @Option(names = "--repeats", defaultValue = "3", description = "Timed evaluations after one warm-up (default ${DEFAULT-VALUE}).")
        int repeats;

        @Override
        public Integer call() {
            if (threads < 1 || population < 1 || horizon < 1 || particles < 1 || ensemble < 1 || repeats < 1) {
                throw new CommandLine.ParameterException(spec.commandLine(), "all sizes must be ≥ 1");
            }
            ModelTrainer.setNd4jThreads(threads);
            int obs = 17;
            int act = 6;
            org.mbrl4j.model.Ensemble model = org.mbrl4j.model.Ensemble.builder().setObsDim(obs).setActDim(act)
                    .optSize(ensemble).optHidden(hidden).optActivation(GaussianMlp.Activation.SILU).optDeltaTargets(true)
                    .setRandom(new SplittableRandom(0)).build();
            org.mbrl4j.env.RewardFn reward = (n, o, a, next, out) -> {
                for (int i = 0; i < n; i++) {
                    double c = 0;
                    for (int j = 0; j < act; j++) {
                        c += a[i * act + j] * a[i * act + j];
                    }
                    out[i] = next[i * obs + 8] - 0.1 * c;
                }
            };
            org.mbrl4j.planning.ModelEnv env = new org.mbrl4j.planning.ModelEnv(model, reward, null,
                    org.mbrl4j.model.DynamicsModel.Propagation.TSINF, particles);
            SplittableRandom rng = new SplittableRandom(1);
            double[] obs0 = rng.doubles(obs, -0.1, 0.1).toArray();
            double[] seqs = rng.doubles((long) population * horizon * act, -1, 1).toArray();
            double[] values = new double[population];
            env.evaluate(obs0, population, seqs, rng, values);
            long[] ns = new long[repeats];
            for (int r = 0; r < repeats; r++) {
                long t0 = System.nanoTime();
                env.evaluate(obs0, population, seqs, rng, values);
                ns[r] = System.nanoTime() - t0;
            }
            java.util.Arrays.sort(ns);
            double secs = ns[repeats / 2] / 1e9;
            long transitions = (long) population * particles * horizon;
            System.out.printf("{\"benchmark\": \"planner\", \"threads\": %d, \"population\": %d, \"horizon\": %d, "
                    + "\"particles\": %d, \"ensemble\": %d, \"hidden\": \"%s\", \"evaluation_seconds\": %.4f, "
                    + "\"transitions_per_sec\": %.0f}%n", threads, population, horizon, particles, ensemble,
                    java.util.Arrays.toString(hidden), secs, transitions / secs);
            return 0;
        }
    }
}
