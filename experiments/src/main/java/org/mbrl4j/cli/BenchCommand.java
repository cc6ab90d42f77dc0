package org.mbrl4j.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import org.mbrl4j.env.Discrete;
import org.mbrl4j.env.Env;
import org.mbrl4j.env.EnvRegistry;
import org.mbrl4j.env.EnvSpec;
import org.mbrl4j.env.RewardFn;
import org.mbrl4j.env.Space;
import org.mbrl4j.model.DynamicsModel;
import org.mbrl4j.model.Ensemble;
import org.mbrl4j.model.GaussianMlp;
import org.mbrl4j.model.ModelTrainer;
import org.mbrl4j.objective.Objective;
import org.mbrl4j.planning.ModelEnv;
import org.mbrl4j.planning.PlannerProvider;
import org.mbrl4j.planning.Planners;
import org.mbrl4j.planning.TrajectoryOptimizer;
import org.nd4j.linalg.api.ndarray.INDArray;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code mbrl4j bench}: micro-benchmarks whose figures compare side by side with other implementations. */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Benchmarks.",
        subcommands = {BenchCommand.ModelStep.class, BenchCommand.Planner.class, BenchCommand.Act.class})
final class BenchCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a benchmark is required: model-step, planner, act");
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
     * 20 particles, 7 members of 4 × 200 SiLU with PETS' soft log-σ bounds, 17 + 6 → 17), untrained weights (speed does not depend on them).
     */
    @Command(name = "planner", mixinStandardHelpOptions = true,
            description = "Imagined transitions per second of one CEM population evaluation through an ensemble, as JSON.")
    static final class Planner implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--threads", defaultValue = "1", description = "Threads (default ${DEFAULT-VALUE}).")
        int threads;

        @Option(names = "--parallel", defaultValue = "members", description = "How threads are used: members (the "
                + "ensemble's members on Java threads, ND4J one thread each) or nd4j (members in turn, ND4J's own "
                + "threads) (default ${DEFAULT-VALUE}).")
        String parallel;

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
            if (!parallel.equals("members") && !parallel.equals("nd4j")) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--parallel " + parallel
                        + " is not one of: members, nd4j");
            }
            boolean members = parallel.equals("members");
            ModelTrainer.setNd4jThreads(members ? 1 : threads);
            int obs = 17;
            int act = 6;
            Ensemble model = Ensemble.builder().setObsDim(obs).setActDim(act)
                    .optSize(ensemble).optHidden(hidden).optActivation(GaussianMlp.Activation.SILU).optDeltaTargets(true)
                    .optSoftLogStdBounds(true)
                    .setRandom(new SplittableRandom(0)).build();
            RewardFn reward = (n, o, a, next, out) -> {
                for (int i = 0; i < n; i++) {
                    double c = 0;
                    for (int j = 0; j < act; j++) {
                        c += a[i * act + j] * a[i * act + j];
                    }
                    out[i] = next[i * obs + 8] - 0.1 * c;
                }
            };
            ModelEnv env = new ModelEnv(model, reward, null,
                    DynamicsModel.Propagation.TSINF, particles, members ? threads : 1);
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
            System.out.printf("{\"benchmark\": \"planner\", \"threads\": %d, \"parallel\": \"%s\", \"population\": %d, "
                    + "\"horizon\": %d, \"particles\": %d, \"ensemble\": %d, \"hidden\": \"%s\", \"evaluation_seconds\": %.4f, "
                    + "\"transitions_per_sec\": %.0f}%n", threads, parallel, population, horizon, particles, ensemble,
                    java.util.Arrays.toString(hidden), secs, transitions / secs);
            return 0;
        }
    }

    /**
     * Seconds per action of PETS planning: one whole trajectory optimisation (every iteration of sampling, TS∞ particle
     * rollouts through an untrained ensemble built for the environment's spaces, ranking and re-estimation) from a
     * reset observation, with the environment's reward; a discrete space enters the model one-hot as in PETS. Lets
     * planners over different action spaces be compared at the same horizon, population and iterations.
     */
    @Command(name = "act", mixinStandardHelpOptions = true,
            description = "Seconds per PETS action (one whole plan) of a planner on an environment's spaces, as JSON.")
    static final class Act implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--env", required = true, description = "Environment id (its spaces and reward function).")
        String envId;

        @Option(names = "--planner", description = "Planner id (default: the default for the env's action space).")
        String planner;

        @Option(names = "--population", defaultValue = "100", description = "Sequences (default ${DEFAULT-VALUE}).")
        int population;

        @Option(names = "--iterations", defaultValue = "3", description = "Planner iterations (default ${DEFAULT-VALUE}).")
        int iterations;

        @Option(names = "--horizon", defaultValue = "20", description = "Steps per sequence (default ${DEFAULT-VALUE}).")
        int horizon;

        @Option(names = "--particles", defaultValue = "10", description = "Particles per sequence (default ${DEFAULT-VALUE}).")
        int particles;

        @Option(names = "--ensemble", defaultValue = "3", description = "Members (default ${DEFAULT-VALUE}).")
        int ensemble;

        @Option(names = "--hidden", split = ",", defaultValue = "64,64", description = "Hidden layers (default ${DEFAULT-VALUE}).")
        int[] hidden;

        @Option(names = "--repeats", defaultValue = "20", description = "Timed plans after three warm-up plans (default ${DEFAULT-VALUE}).")
        int repeats;

        @Option(names = "--threads", defaultValue = "1", description = "Java threads of the imagined rollouts, ND4J one "
                + "thread each (default ${DEFAULT-VALUE}).")
        int threads;

        @Override
        public Integer call() {
            if (population < 2 || iterations < 1 || horizon < 1 || particles < 1 || ensemble < 1 || repeats < 1 || threads < 1) {
                throw new CommandLine.ParameterException(spec.commandLine(), "sizes must be ≥ 1 (population ≥ 2)");
            }
            EnvRegistry registry = EnvRegistry.load();
            if (!registry.contains(envId)) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--env: unknown environment '" + envId
                        + "'; closest registered: " + registry.closest(envId, 5));
            }
            ModelTrainer.setNd4jThreads(1);
            EnvSpec envSpec = registry.spec(envId);
            try (Env env = registry.make(envId)) {
                Space actions = env.actionSpace();
                String id = planner != null ? planner : Planners.defaultFor(actions);
                TrajectoryOptimizer opt;
                try {
                    opt = Planners.create(id, new PlannerProvider.Settings(
                            actions, horizon, population, iterations, null), envId);
                } catch (IllegalArgumentException e) {
                    throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
                }
                int obsDim = env.observationSpace().flatDim();
                int actDim = actions.flatDim();
                Discrete discrete = actions instanceof Discrete d ? d : null;
                Ensemble model = Ensemble.builder().setObsDim(obsDim).setActDim(actDim)
                        .optSize(ensemble).optHidden(hidden).optActivation(GaussianMlp.Activation.SILU)
                        .optDeltaTargets(true).optNormalizeInputs(true).optSoftLogStdBounds(true)
                        .optOneHotActions(discrete != null ? discrete.n() : 0, discrete != null ? discrete.start() : 0)
                        .setRandom(new SplittableRandom(0)).build();
                ModelEnv modelEnv = new ModelEnv(model, envSpec.rewardFn(),
                        envSpec.terminationFn(), DynamicsModel.Propagation.TSINF, particles, threads);
                double[] obs = env.reset(0).observation();
                SplittableRandom rng = new SplittableRandom(1);
                double[] plan = new double[horizon * actDim];
                long[] ns = new long[repeats];
                for (int r = -3; r < repeats; r++) {
                    long t0 = System.nanoTime();
                    plan = opt.optimize(modelEnv.objective(obs, rng), plan, rng);
                    if (r >= 0) {
                        ns[r] = System.nanoTime() - t0;
                    }
                }
                java.util.Arrays.sort(ns);
                System.out.printf("{\"benchmark\": \"act\", \"env\": \"%s\", \"actions\": \"%s\", \"planner\": \"%s\", "
                        + "\"population\": %d, \"iterations\": %d, \"horizon\": %d, \"particles\": %d, \"ensemble\": %d, "
                        + "\"hidden\": \"%s\", \"model_inputs\": %d, \"threads\": %d, \"seconds_per_action\": %.4f}%n", envId, actions, id,
                        population, iterations, horizon, particles, ensemble, java.util.Arrays.toString(hidden),
                        obsDim + (discrete != null ? discrete.n() : actDim), threads, ns[repeats / 2] / 1e9);
            }
            return 0;
        }
    }
}
