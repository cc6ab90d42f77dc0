package org.mbrl4j.logging;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.mbrl4j.event.Event;

/**
 * Progress on a console: on a terminal, one self-overwriting line with a bar, rate and ETA for model epochs; episode
 * ends and finished trainings as plain lines. When the output is not a terminal, epochs are not shown (logs stay
 * short): only episodes, trainings and the run's end.
 */
public final class ConsoleProgress implements Consumer<Event> {
    private final PrintStream out;
    private final boolean terminal;
    private long epochStart;
    private boolean lineOpen;

    /** Writes to {@code out}; {@code terminal} enables the self-overwriting bar. */
    public ConsoleProgress(PrintStream out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
    }

    /** Writes to standard output, with the bar when the JVM has a console. */
    public static ConsoleProgress standard() {
        return new ConsoleProgress(System.out, System.console() != null);
    }

    @Override
    public void accept(Event event) {
        if (event instanceof Event.ModelEpoch e) {
            if (!terminal) {
                return;
            }
            if (e.epoch() == 0) {
                epochStart = System.nanoTime();
            }
            int done = e.epoch() + 1;
            double secs = (System.nanoTime() - epochStart) / 1e9;
            double rate = done / Math.max(secs, 1e-9);
            long eta = Math.round((e.epochs() - done) / Math.max(rate, 1e-9));
            int width = 24;
            int filled = (int) Math.round(width * (double) done / e.epochs());
            String bar = "#".repeat(filled) + "-".repeat(width - filled);
            out.printf("\r%s [%s] %d/%d epochs  %.1f/s  ETA %d:%02d  loss %.4f%s   ", e.model(), bar, done, e.epochs(), rate,
                    eta / 60, eta % 60, e.train().getOrDefault("loss", Double.NaN),
                    e.val().containsKey("nll") ? String.format("  val_nll %.4f", e.val().get("nll")) : "");
            out.flush();
            lineOpen = true;
        } else if (event instanceof Event.ModelTrained e) {
            endLine();
            StringBuilder line = new StringBuilder(e.model() + " trained: " + e.stopReason());
            for (var part : List.of(Map.entry("train", e.train()), Map.entry("val", e.val()), Map.entry("test", e.test()))) {
                part.getValue().forEach((k, v) -> line.append(String.format("; %s %s %.4g", part.getKey(), k, v)));
            }
            out.println(line);
        } else if (event instanceof Event.EpisodeEnd e) {
            endLine();
            out.printf("%s episode %d: return %.2f, %d steps (%d env steps, %.1f s)%n", e.phase(), e.episode(),
                    e.episodeReturn(), e.length(), e.envSteps(), e.seconds());
        } else if (event instanceof Event.RunEnded e) {
            endLine();
            out.printf("run %s %s: %s%n", e.runId(), e.success() ? "finished" : "failed", e.message());
        }
    }

    private void endLine() {
        if (lineOpen) {
            out.println();
            lineOpen = false;
        }
    }
}
