package org.mbrl4j.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.mbrl4j.event.Event;
import org.mbrl4j.event.EventBus;
import org.mbrl4j.logging.JsonlLogger;
import org.mbrl4j.logging.TensorBoardLogger;
import org.mbrl4j.logging.TensorBoardWriter;
import org.mbrl4j.model.GaussianMlp;
import org.mbrl4j.model.ModelTrainer;
import org.mbrl4j.objective.Nll;

/**
 * Events per second through the bus into the JSONL and TensorBoard sinks, and the overhead of logging on a training
 * loop: the same full-batch training (batch 4096) with and without a bus carrying its epochs to both sinks,
 * alternated over rounds. Prints JSON lines.
 */
public final class EventThroughput {
    private EventThroughput() {
    }

    /** Args: none. */
    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("mbrl4j-bench-events");
        int n = 200_000;
        for (String sink : new String[] {"none", "jsonl", "tensorboard", "both"}) {
            EventBus bus = EventBus.create();
            if (sink.equals("jsonl") || sink.equals("both")) {
                JsonlLogger j = new JsonlLogger(dir.resolve(sink + ".jsonl"));
                bus.subscribe(Event.class, j);
                bus.register(j);
            }
            if (sink.equals("tensorboard") || sink.equals("both")) {
                TensorBoardLogger t = new TensorBoardLogger(new TensorBoardWriter(dir.resolve(sink)));
                bus.subscribe(Event.class, t);
                bus.register(t);
            }
            for (int i = 0; i < 20_000; i++) {
                bus.publish(new Event.EpisodeEnd("train", i, i * 200L, -i, 200, 0.01));
            }
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                bus.publish(new Event.EpisodeEnd("train", i, i * 200L, -i, 200, 0.01));
            }
            bus.close();
            double secs = (System.nanoTime() - t0) / 1e9;
            System.out.printf("{\"bench\": \"bus\", \"sink\": \"%s\", \"events_per_sec\": %.0f}%n", sink, n / secs);
        }
        ModelTrainer.setNd4jThreads(1);
        int batch = 4096;
        GaussianMlp model = GaussianMlp.builder().setInputs(23).setOutputs(17).setSeed(0).build();
        SplittableRandom r = new SplittableRandom(0);
        double[] x = new double[batch * 23];
        double[] y = new double[batch * 17];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextGaussian();
        }
        for (int i = 0; i < y.length; i++) {
            y[i] = r.nextGaussian();
        }
        ModelTrainer.Data data = new ModelTrainer.Data(model.inputs(x, batch), y);
        double plain = 0;
        double logged = 0;
        int epochs = 100;
        for (int round = 0; round < 6; round++) {
            long t0 = System.nanoTime();
            ModelTrainer.builder().setSeed(0).optEpochs(epochs).build().train(model, new Nll(), data, null, null);
            double a = (System.nanoTime() - t0) / 1e9;
            EventBus bus = EventBus.create();
            JsonlLogger j = new JsonlLogger(dir.resolve("train" + round + ".jsonl"));
            TensorBoardLogger t = new TensorBoardLogger(new TensorBoardWriter(dir.resolve("train" + round)));
            bus.subscribe(Event.class, j);
            bus.subscribe(Event.class, t);
            bus.register(j);
            bus.register(t);
            t0 = System.nanoTime();
            ModelTrainer.builder().setSeed(0).optEpochs(epochs).optListener(e -> bus.publish(new Event.ModelEpoch("dynamics",
                    e.epoch(), epochs, e.train(), e.val(), e.lr(), e.gradNorm(), e.stepMillis()))).build()
                    .train(model, new Nll(), data, null, null);
            bus.close();
            double b = (System.nanoTime() - t0) / 1e9;
            if (round > 0) {
                plain += a;
                logged += b;
            }
        }
        System.out.printf("{\"bench\": \"training-loop overhead\", \"batch\": %d, \"epochs\": %d, \"plain_s\": %.3f, "
                + "\"logged_s\": %.3f, \"overhead_pct\": %.2f}%n", batch, epochs * 5, plain, logged, 100 * (logged - plain) / plain);
    }
}
