package org.mbrl4j.bilevel;

import org.mbrl4j.event.EventBus;
import org.mbrl4j.model.ModelTrainer;
import org.mbrl4j.objective.Covariance;
import org.mbrl4j.objective.MahalanobisReward;
import org.mbrl4j.objective.PolicyGradient;

/**
 * The reward flag values every command accepts ({@code --reward}): {@code identity}, {@code scaled}, {@code full},
 * {@code u=VALUE} (computed from the targets alone), and {@code conditional} and {@code learned}, which
 * {@link TrainingContext} fits with a model and data. {@code learned} runs {@link ImplicitDiffReward} for a scalar u the
 * reference's way (inner model re-initialised every outer step, 50 Adam steps of lr 1e-2), 40 outer steps started at
 * the {@code scaled} heuristic with an outer step of a tenth of it (so the step suits the data's scale).
 */
public final class RewardFlags {
    /** The accepted values, for error messages and help. */
    public static final String ACCEPTED = PolicyGradient.Provider.REWARDS;

    private RewardFlags() {
    }

    /** Whether {@code flag} is a known value (without resolving it). */
    public static void check(String flag) {
        if (!flag.equals("identity") && !flag.equals("scaled") && !flag.equals("full") && !flag.equals("conditional")
                && !flag.equals("learned") && !flag.startsWith("u=")) {
            throw new IllegalArgumentException("reward '" + flag + "' is unknown; accepted: " + ACCEPTED);
        }
    }

    /** The implicit learner behind {@code learned}, for callers that change its settings. */
    public static ImplicitDiffReward.Builder learned(PolicyGradient pg, ModelTrainer.Data train, long seed, EventBus bus) {
        int dim = train.targets().length / train.size();
        double u0 = MahalanobisReward.scaled(pg.lambda(), Covariance.of(train.targets(), dim)).scale();
        return ImplicitDiffReward.builder().setObjective(pg).optU0(u0).optOuterLr(0.1 * u0).optOuterSteps(40)
                .optWarmStart(false).optCgIterations(3).setSeed(seed).optBus(bus);
    }
}
