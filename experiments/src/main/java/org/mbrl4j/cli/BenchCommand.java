package org.mbrl4j.cli;

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
        subcommands = {BenchCommand.ModelStep.class})
final class BenchCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a benchmark is required: model-step");
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
            ModelTrainer.Result r = b.optEpochs(steps).build().train(model, obj, data, null, null);
            double[] ms = r.epochs().stream().mapToDouble(ModelTrainer.Epoch::stepMillis).sorted().toArray();
            System.out.printf("{\"impl\": \"mbrl4j\", \"objective\": \"%s\", \"batch\": %d, \"threads\": %d, \"steps\": %d, "
                    + "\"step_ms_median\": %.3f, \"step_ms_p10\": %.3f, \"step_ms_p90\": %.3f}%n", objective, batch, threads,
                    steps, ms[steps / 2], ms[steps / 10], ms[(steps * 9) / 10]);
            return 0;
        }
    }
}
