package org.mbrl4j.objective;

/**
 * What an objective is created from besides its options: the training targets (for rewards computed from the data,
 * such as Σ̂) and, where a model and data are at hand, fitting of rewards that need them ({@code conditional} and
 * {@code learned} U of {@link PolicyGradient}, fitted by {@code org.mbrl4j.bilevel.TrainingContext}).
 */
public interface ObjectiveContext {

    /** The training targets, row-major {@code n × dim}, in the model's target space. */
    double[] trainTargets();

    /** The target dimension. */
    int dim();

    /**
     * The PG reward named {@code flag} fitted for {@code pg} (its λ, G, transform) on this context's model and data;
     * the same flag asked twice gives the same reward.
     *
     * @throws NeedsModel when this context has no model and data to fit with
     */
    MahalanobisReward fitReward(String flag, PolicyGradient pg);

    /** A context of training targets only: rewards that need a model fail with {@link NeedsModel}. */
    static ObjectiveContext of(double[] trainTargets, int dim) {
        return new ObjectiveContext() {
            @Override
            public double[] trainTargets() {
                return trainTargets;
            }

            @Override
            public int dim() {
                return dim;
            }

            @Override
            public MahalanobisReward fitReward(String flag, PolicyGradient pg) {
                throw new NeedsModel("reward '" + flag + "' is fitted with a model and training data, which this"
                        + " caller does not provide (train-model, experiment dynamics and the agents do)");
            }
        };
    }

    /** An objective asked for a fit its context cannot make; a caller that only checks options may ignore it. */
    final class NeedsModel extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        /** With a message naming what was asked. */
        public NeedsModel(String message) {
            super(message);
        }
    }
}
