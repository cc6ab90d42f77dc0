package org.mbrl4j.bilevel;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.mbrl4j.event.EventBus;
import org.mbrl4j.model.GaussianMlp;
import org.mbrl4j.model.ModelTrainer;
import org.mbrl4j.objective.MahalanobisReward;
import org.mbrl4j.objective.ObjectiveContext;
import org.mbrl4j.objective.PolicyGradient;

/**
 * The objective context of a training run with a model at hand: PG's {@code conditional} reward fits a mean model
 * first ({@link ClosedFormReward.Kind#CONDITIONAL}); {@code learned} runs {@link RewardFlags#learned} (the
 * implicit learner, the reference's way). A reward is fitted once, on the context's model and data, however many
 * objectives are created from the context.
 */
public final class TrainingContext implements ObjectiveContext {
    private final GaussianMlp model;
    private final ModelTrainer.Data train;
    private final ModelTrainer.Data val;
    private final ModelTrainer trainer;
    private final long seed;
    private final EventBus bus;
    private final int learnedOuterSteps;
    private final int learnedInnerSteps;
    private final double[] targets;
    private final Map<String, MahalanobisReward> fitted;

    private TrainingContext(Builder b) {
        model = b.model;
        train = b.train;
        val = b.val;
        trainer = b.trainer;
        seed = b.seed;
        bus = b.bus;
        learnedOuterSteps = b.learnedOuterSteps;
        learnedInnerSteps = b.learnedInnerSteps;
        targets = b.train.targets();
        fitted = new ConcurrentHashMap<>();
    }

    /** A builder; model, training data and seed are required. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public double[] trainTargets() {
        return targets;
    }

    @Override
    public int dim() {
        return train.targets().length / train.size();
    }

    @Override
    public MahalanobisReward fitReward(String flag, PolicyGradient pg) {
        // under the lock: objectives created from one context on several threads get one fit
        synchronized (fitted) {
            MahalanobisReward u = fitted.get(flag);
            if (u == null) {
                u = switch (flag) {
                    case "conditional" -> ClosedFormReward.reward(ClosedFormReward.Kind.CONDITIONAL, pg.lambda(), model,
                            train, val, trainer);
                    case "learned" -> learner(pg).build().learn(model, train, val).reward();
                    default -> throw new IllegalArgumentException("reward '" + flag + "' is not fitted; fitted: "
                            + "conditional, learned");
                };
                fitted.put(flag, u);
            }
            return u;
        }
    }

    private ImplicitDiffReward.Builder learner(PolicyGradient pg) {
        ImplicitDiffReward.Builder b = RewardFlags.learned(pg, train, seed, bus);
        if (learnedOuterSteps > 0) {
            b.optOuterSteps(learnedOuterSteps);
        }
        if (learnedInnerSteps > 0) {
            b.optInnerSteps(learnedInnerSteps);
        }
        return b;
    }

    /** Builder for {@link TrainingContext}; {@link #build} copies the settings. */
    public static final class Builder {
        private GaussianMlp model;
        private ModelTrainer.Data train;
        private ModelTrainer.Data val;
        private ModelTrainer trainer;
        private Long seedSet;
        private long seed;
        private EventBus bus;
        private int learnedOuterSteps;
        private int learnedInnerSteps;

        private Builder() {
        }

        /** A model of the architecture trained (not modified: fits train copies of it). */
        public Builder setModel(GaussianMlp model) {
            this.model = model;
            return this;
        }

        /** The training data, in the model's space. */
        public Builder setTrain(ModelTrainer.Data train) {
            this.train = train;
            return this;
        }

        /** Validation data (may be null: none). */
        public Builder optVal(ModelTrainer.Data val) {
            this.val = val;
            return this;
        }

        /** Trains {@code conditional}'s mean model (default: {@link ModelTrainer}'s defaults with this seed). */
        public Builder optTrainer(ModelTrainer trainer) {
            this.trainer = trainer;
            return this;
        }

        /** Seed of {@code learned}'s inner trainings and samples. */
        public Builder setSeed(long seed) {
            this.seedSet = seed;
            return this;
        }

        /** Receives {@code learned}'s outer steps (default: none). */
        public Builder optBus(EventBus bus) {
            this.bus = bus;
            return this;
        }

        /** Shorter {@code learned} runs: outer and inner steps (0: the default 40 and the learner's own). */
        public Builder optLearnedSteps(int outer, int inner) {
            this.learnedOuterSteps = outer;
            this.learnedInnerSteps = inner;
            return this;
        }

        /** The context. */
        public TrainingContext build() {
            if (model == null || train == null || seedSet == null) {
                throw new IllegalArgumentException("TrainingContext needs " + (model == null ? "a model (setModel)"
                        : train == null ? "training data (setTrain)" : "a seed (setSeed)"));
            }
            if (learnedOuterSteps < 0 || learnedInnerSteps < 0) {
                throw new IllegalArgumentException("learned steps must be ≥ 0 (0: default), got " + learnedOuterSteps
                        + ", " + learnedInnerSteps);
            }
            seed = seedSet;
            Builder copy = new Builder();
            copy.model = model;
            copy.train = train;
            copy.val = val;
            copy.trainer = trainer != null ? trainer : ModelTrainer.builder().setSeed(seed).build();
            copy.seed = seed;
            copy.bus = bus;
            copy.learnedOuterSteps = learnedOuterSteps;
            copy.learnedInnerSteps = learnedInnerSteps;
            return new TrainingContext(copy);
        }
    }
}
