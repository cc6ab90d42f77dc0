package org.mbrl4j.bilevel;

import org.mbrl4j.objective.GaussianOutput;

import java.util.List;
import org.mbrl4j.model.GaussianMlp;
import org.mbrl4j.model.ModelTrainer;
import org.mbrl4j.objective.Covariance;
import org.mbrl4j.objective.MahalanobisReward;
import org.mbrl4j.objective.Mse;
import org.mbrl4j.objective.PolicyGradient;

/**
 * The plug-in rewards of the Gaussian theory (U* = (λ/2)Σ⁻¹), with Σ estimated from data, then one PG training run:
 * <ul>
 * <li>{@link Kind#SCALED}: U = (λn / (2 tr Σ̂))·I, Σ̂ the unconditional covariance of the training targets (the
 * reference's choice);
 * <li>{@link Kind#FULL}: U = (λ/2)·Σ̂⁻¹ with the same Σ̂;
 * <li>{@link Kind#CONDITIONAL}: U = (λ/2)·Σ̂_res⁻¹ with Σ̂_res the covariance of the residuals y − m̂(x) of a mean
 * model fitted first by MSE. The theory's Σ is the conditional noise; the unconditional covariance also contains the
 * spread of the means, so it under-weights the reward and over-disperses the model.
 * </ul>
 * Residuals are taken on the validation data when there is some (training residuals shrink as the mean model
 * overfits), else on the training data.
 */
public final class ClosedFormReward implements RewardLearner {

    /** Which plug-in estimate. */
    public enum Kind {
        /** Isotropic U = (λn / (2 tr Σ̂))·I. */
        SCALED,
        /** U = (λ/2)·Σ̂⁻¹ of the targets. */
        FULL,
        /** U = (λ/2)·Σ̂⁻¹ of the residuals of a mean model. */
        CONDITIONAL
    }

    private final Kind kind;
    private final PolicyGradient objective;
    private final ModelTrainer trainer;
    private final ModelTrainer meanTrainer;

    private ClosedFormReward(Builder b) {
        kind = b.kind;
        objective = b.objective;
        trainer = b.trainer;
        meanTrainer = b.meanTrainer != null ? b.meanTrainer : b.trainer;
    }

    /** A new builder. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public Result learn(GaussianMlp model, ModelTrainer.Data train, ModelTrainer.Data val) {
        MahalanobisReward u = reward(kind, objective.lambda(), model, train, val, meanTrainer);
        GaussianMlp trained = model.copy();
        trainer.train(trained, objective.withReward(u), train, val, null);
        return new Result(u, trained, List.of());
    }

    /**
     * The plug-in U of {@code kind} for entropy weight {@code lambda}; {@code meanTrainer} fits the mean model of
     * {@link Kind#CONDITIONAL} (a fresh copy of {@code model}, trained by MSE).
     */
    public static MahalanobisReward reward(Kind kind, double lambda, GaussianMlp model, ModelTrainer.Data train,
            ModelTrainer.Data val, ModelTrainer meanTrainer) {
        int dim = train.targets().length / train.size();
        return switch (kind) {
            case SCALED -> MahalanobisReward.scaled(lambda, Covariance.of(train.targets(), dim));
            case FULL -> MahalanobisReward.full(lambda, Covariance.of(train.targets(), dim));
            case CONDITIONAL -> {
                try (GaussianMlp mean = model.copy()) {
                    meanTrainer.train(mean, new Mse(), train, val, null);
                    yield MahalanobisReward.full(lambda, residualCovariance(mean, val != null ? val : train));
                }
            }
        };
    }

    /** The unbiased covariance of y − m(x) over {@code data}. */
    public static Covariance residualCovariance(GaussianMlp model, ModelTrainer.Data data) {
        GaussianOutput out = model.forward(data.inputs());
        double[] y = data.targets();
        double[] r = new double[y.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = y[i] - out.mean()[i];
        }
        return Covariance.of(r, out.dim());
    }

    /**
     * The classification analogue β* = λC / (2 tr Σ̂) for U = β·I on one-hot labels, where Σ̂ is the unbiased
     * covariance of the one-hot vectors: tr Σ̂ = N/(N−1)·(1 − Σ_c p_c²).
     */
    public static double classificationBeta(int[] labels, int classes, double lambda) {
        int n = labels.length;
        if (n < 2) {
            throw new IllegalArgumentException("β* needs at least 2 labels, got " + n);
        }
        double[] count = new double[classes];
        for (int y : labels) {
            if (y < 0 || y >= classes) {
                throw new IllegalArgumentException("label " + y + " is outside 0.." + (classes - 1));
            }
            count[y]++;
        }
        double sq = 0;
        for (double c : count) {
            sq += (c / n) * (c / n);
        }
        double trace = n / (n - 1.0) * (1 - sq);
        if (!(trace > 0)) {
            throw new IllegalArgumentException("β* is undefined when all labels are the same class");
        }
        return lambda * classes / (2 * trace);
    }

    /** Builder: {@code setKind}, {@code setObjective} and {@code setTrainer} are required. */
    public static final class Builder {
        private Kind kind;
        private PolicyGradient objective;
        private ModelTrainer trainer;
        private ModelTrainer meanTrainer;

        private Builder() {
        }

        /** Which plug-in estimate. */
        public Builder setKind(Kind k) {
            this.kind = k;
            return this;
        }

        /** The PG objective (its reward is replaced by the learned one; its λ is used). */
        public Builder setObjective(PolicyGradient pg) {
            this.objective = pg;
            return this;
        }

        /** Trains the model with the learned U. */
        public Builder setTrainer(ModelTrainer t) {
            this.trainer = t;
            return this;
        }

        /** Fits the mean model of {@link Kind#CONDITIONAL} (default: the main trainer). */
        public Builder optMeanTrainer(ModelTrainer t) {
            this.meanTrainer = t;
            return this;
        }

        /** Validates and builds. */
        public ClosedFormReward build() {
            if (kind == null || objective == null || trainer == null) {
                throw new IllegalArgumentException("ClosedFormReward needs setKind, setObjective and setTrainer");
            }
            return new ClosedFormReward(this);
        }
    }
}
