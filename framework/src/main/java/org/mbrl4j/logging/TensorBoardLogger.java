package org.mbrl4j.logging;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.mbrl4j.event.Event;

/**
 * Maps events to TensorBoard tags, each with its own x-axis: {@code env/episode_return}, {@code env/episode_length},
 * {@code eval/episode_return}, {@code time/steps_per_sec} (environment steps); {@code model/train_loss},
 * {@code model/val_nll}, {@code model/val_rmse}, {@code model/entropy}, {@code model/reward_mean},
 * {@code model/grad_norm}, {@code model/lr}, {@code model/step_ms} (cumulative model epochs); {@code planner/*}
 * (planner iterations); {@code reward/*} (outer steps). The run's configuration becomes the {@code config} text and
 * its hparams session; the final metrics of {@link Event.RunEnded} become {@code final/*} scalars listed in the hparams
 * experiment, so runs compare in the HParams dashboard.
 */
public final class TensorBoardLogger implements Consumer<Event>, AutoCloseable {
    private final TensorBoardWriter writer;
    private final Map<String, Long> modelEpochs = new HashMap<>();
    private long plannerIterations;
    private Map<String, Object> hparams = Map.of();
    private long lastSteps;
    private long lastNanos;

    /** Logs through {@code writer} (closed with this logger). */
    public TensorBoardLogger(TensorBoardWriter writer) {
        this.writer = writer;
    }

    /** The underlying writer. */
    public TensorBoardWriter writer() {
        return writer;
    }

    @Override
    public void accept(Event event) {
        if (event instanceof Event.RunStarted e) {
            hparams = flatten("", e.config());
            writer.text("config", 0, "```\n" + yamlish(e.config(), "") + "```");
            writer.text("provenance", 0, "```\n" + yamlish(e.provenance().values(), "") + "```");
            writer.hparamsSessionStart(hparams);
            lastNanos = System.nanoTime();
        } else if (event instanceof Event.EpisodeEnd e) {
            if (e.phase().equals("eval")) {
                writer.scalar("eval/episode_return", e.envSteps(), e.episodeReturn());
            } else {
                writer.scalar("env/episode_return", e.envSteps(), e.episodeReturn());
                writer.scalar("env/episode_length", e.envSteps(), e.length());
                long now = System.nanoTime();
                if (e.envSteps() > lastSteps && now > lastNanos) {
                    writer.scalar("time/steps_per_sec", e.envSteps(), (e.envSteps() - lastSteps) / ((now - lastNanos) / 1e9));
                }
                lastSteps = e.envSteps();
                lastNanos = now;
            }
        } else if (event instanceof Event.ModelEpoch e) {
            long step = modelEpochs.merge(e.model(), 1L, Long::sum) - 1;
            String p = e.model().equals("dynamics") ? "model/" : "model/" + e.model() + "/";
            scalar(p + "train_loss", step, e.train().get("loss"));
            scalar(p + "train_nll", step, e.train().get("nll"));
            scalar(p + "entropy", step, e.train().get("entropy"));
            scalar(p + "reward_mean", step, e.train().get("reward_mean"));
            scalar(p + "val_nll", step, e.val().get("nll"));
            scalar(p + "val_rmse", step, e.val().get("rmse"));
            scalar(p + "val_loss", step, e.val().get("loss"));
            scalar(p + "grad_norm", step, e.gradNorm());
            scalar(p + "lr", step, e.lr());
            scalar(p + "step_ms", step, e.stepMillis());
        } else if (event instanceof Event.PlannerIteration e) {
            long step = plannerIterations++;
            writer.scalar("planner/best", step, e.best());
            writer.scalar("planner/mean", step, e.mean());
            writer.scalar("planner/elite_mean", step, e.eliteMean());
            writer.scalar("planner/std", step, e.std());
        } else if (event instanceof Event.RewardStep e) {
            scalar("reward/u", e.outerStep(), e.u());
            scalar("reward/u_norm", e.outerStep(), e.uNorm());
            scalar("reward/outer_loss", e.outerStep(), e.outerLoss());
            scalar("reward/hypergrad_norm", e.outerStep(), e.hypergradNorm());
            scalar("reward/val_nll", e.outerStep(), e.valNll());
        } else if (event instanceof Event.Scalar e) {
            writer.scalar(e.tag(), e.step(), e.value());
        } else if (event instanceof Event.CheckpointWritten) {
            writer.flush();
        } else if (event instanceof Event.RunEnded e) {
            List<String> tags = new ArrayList<>();
            for (Map.Entry<String, Double> m : e.metrics().entrySet()) {
                if (m.getValue() != null && Double.isFinite(m.getValue())) {
                    writer.scalar("final/" + m.getKey(), 0, m.getValue());
                    tags.add("final/" + m.getKey());
                }
            }
            writer.hparamsExperiment(hparams.isEmpty() ? Map.of("run", "default") : hparams, tags);
            writer.hparamsSessionEnd(e.success());
            writer.flush();
        }
    }

    private void scalar(String tag, long step, Double v) {
        if (v != null && Double.isFinite(v)) {
            writer.scalar(tag, step, v);
        }
    }

    /** Nested config as dotted keys with numbers, booleans and strings (lists become strings). */
    static Map<String, Object> flatten(String prefix, Map<String, Object> m) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : m.entrySet()) {
            String k = prefix + e.getKey();
            Object v = e.getValue();
            if (v instanceof Map<?, ?> sub) {
                @SuppressWarnings("unchecked")
                Map<String, Object> s = (Map<String, Object>) sub;
                out.putAll(flatten(k + ".", s));
            } else if (v instanceof Number || v instanceof Boolean) {
                out.put(k, v);
            } else if (v != null) {
                out.put(k, String.valueOf(v));
            }
        }
        return out;
    }

    private static String yamlish(Map<String, Object> m, String indent) {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, Object> e : m.entrySet()) {
            if (e.getValue() instanceof Map<?, ?> sub) {
                @SuppressWarnings("unchecked")
                Map<String, Object> s = (Map<String, Object>) sub;
                sb.append(indent).append(e.getKey()).append(":\n").append(yamlish(s, indent + "  "));
            } else {
                sb.append(indent).append(e.getKey()).append(": ").append(e.getValue()).append('\n');
            }
        }
        return sb.toString();
    }

    @Override
    public void close() {
        writer.close();
    }
}
