package org.mbrl4j.agents;

import java.util.List;
import java.util.Map;
import org.mbrl4j.bilevel.TrainingContext;
import org.mbrl4j.data.ReplayBuffer;
import org.mbrl4j.data.Split;
import org.mbrl4j.data.TransitionDataset;
import org.mbrl4j.event.Event;
import org.mbrl4j.event.EventBus;
import org.mbrl4j.model.Ensemble;
import org.mbrl4j.model.ModelTrainer;
import org.mbrl4j.objective.Objective;

/**
 * Trains an ensemble on the replay buffer with any objective: 90 % of the buffer trains, 10 % validates (and selects
 * the elites), split afresh from the seed of every update. The {@link OnlineLoop} calls it on its schedule; every
 * epoch and every finished training is published.
 */
public final class ModelUpdater {
    private final Ensemble model;
    private final String objective;
    private final Map<String, Object> options;
    private final int epochs;
    private final int batch;
    private final double lr;
    private final double weightDecay;

    private ModelUpdater(Builder b) {
        model = b.model;
        objective = b.objective;
        options = Map.copyOf(b.options);
        epochs = b.epochs;
        batch = b.batch;
        lr = b.lr;
        weightDecay = b.weightDecay;
    }

    /** A new builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** The model trained. */
    public Ensemble model() {
        return model;
    }

    /** Trains the model on everything in {@code buffer}; split, bootstrap and training draw from {@code seed}. */
    public void train(ReplayBuffer buffer, long seed, EventBus bus) {
        TransitionDataset all = buffer.toDataset();
        Split split = Split.byFractions(all, new double[] {0.9, 0.1, 0.0}, seed);
        // a first random episode can be a handful of steps (InvertedPendulum falls in 4): no validation set then
        TransitionDataset val = split.validation().size() >= 2 ? split.validation() : null;
        ModelTrainer trainer = ModelTrainer.builder().setSeed(seed).optEpochs(epochs).optBatchSize(batch).optLr(lr)
                .optWeightDecay(weightDecay).optListener(e -> bus.publish(new Event.ModelEpoch("dynamics", e.epoch(),
                        epochs, e.train(), e.val(), e.lr(), e.gradNorm(), e.stepMillis())))
                .build();
        // objectives that fit something first (PG's conditional and learned U) fit it on member 0's model space
        model.fitNormalizers(split.train());
        List<ModelTrainer.Result> rs;
        try (ModelTrainer.Data train0 = model.data(0, split.train());
                ModelTrainer.Data val0 = val == null ? null : model.data(0, val)) {
            TrainingContext context = TrainingContext.builder().setModel(model.member(0)).setTrain(train0).optVal(val0)
                    .optTrainer(trainer).setSeed(seed).optBus(bus).build();
            rs = model.train(split.train(), val, targets -> Objective.create(objective, options, context), trainer, seed);
        }
        ModelTrainer.Result last = rs.get(rs.size() - 1);
        bus.publish(new Event.ModelTrained("dynamics", last.epochs().size(), last.train(), last.val(), last.test(),
                last.stopReason()));
    }

    /** Builder; model and objective are required. */
    public static final class Builder {
        private Ensemble model;
        private String objective;
        private Map<String, Object> options = Map.of();
        private int epochs = 50;
        private int batch = 64;
        private double lr = 1e-3;
        private double weightDecay = 5e-5;

        private Builder() {
        }

        /** The ensemble to train. */
        public Builder setModel(Ensemble m) {
            this.model = m;
            return this;
        }

        /** The objective by name ({@code mse}, {@code nll}, {@code pg}, …) and its options. */
        public Builder setObjective(String name, Map<String, Object> opts) {
            this.objective = name;
            this.options = Map.copyOf(opts);
            return this;
        }

        /** Epochs per update (default 50). */
        public Builder optEpochs(int n) {
            this.epochs = n;
            return this;
        }

        /** Minibatch size (default 64). */
        public Builder optBatchSize(int n) {
            this.batch = n;
            return this;
        }

        /** Adam learning rate (default 1e-3). */
        public Builder optLr(double v) {
            this.lr = v;
            return this;
        }

        /** Weight decay (default 5e-5). */
        public Builder optWeightDecay(double v) {
            this.weightDecay = v;
            return this;
        }

        /** Validates and builds. */
        public ModelUpdater build() {
            if (model == null || objective == null) {
                throw new IllegalArgumentException("a model updater needs a model (setModel) and an objective (setObjective)");
            }
            if (epochs < 1 || batch < 1 || !(lr > 0) || !(weightDecay >= 0)) {
                throw new IllegalArgumentException("model updater: epochs and batch size must be ≥ 1, lr > 0, weight decay "
                        + "≥ 0; got epochs " + epochs + ", batch " + batch + ", lr " + lr + ", weight decay " + weightDecay);
            }
            return new ModelUpdater(this);
        }
    }
}
