package org.mbrl4j.bilevel;

import org.mbrl4j.event.EventBus;
import org.mbrl4j.model.GaussianMlp;
import org.mbrl4j.model.ModelTrainer;
import org.mbrl4j.objective.Covariance;
import org.mbrl4j.objective.MahalanobisReward;
import org.mbrl4j.objective.PolicyGradient;

/**
 * The reward flag values every command accepts ({@code --reward}): {@code identity}, {@code scaled}, {@code full},
 * {@code u=VALUE} (computed from the targets alone), and {@code conditional} and {@code learned}, which need a model and
 * data: {@code conditional} fits a mean model first ({@link ClosedFormReward.Kind#CONDITIONAL}); {@code learned} runs
 * {@link ImplicitDiffReward} for a scalar u the reference's way (inner model re-initialised every outer step, 50 Adam
 * steps of lr 1e-2), 40 outer steps started at the {@code scaled} heuristic with an outer step of a tenth of it (so the
 * step suits the data's scale).
 */
public final class RewardFlags {
    /** The accepted values, for error messages and help. */
    public static final String ACCEPTED = "identity, scaled, full, conditional, u=VALUE, learned";

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

    /**
     * The reward named by {@code flag} for the PG objective {@code pg} (its λ, G, transform) on {@code train}.
     *
     * @param model   a model of the wanted architecture (not modified)
     * @param trainer fits the mean model of {@code conditional}
     * @param seed    seed of {@code learned}
     * @param bus     receives {@code learned}'s outer steps (may be null)
     */
    public static MahalanobisReward resolve(String flag, PolicyGradient pg, GaussianMlp model, ModelTrainer.Data train,
            ModelTrainer.Data val, ModelTrainer trainer, long seed, EventBus bus) {
        check(flag);
        int dim = train.targets().length / train.size();
        return switch (flag) {
            case "conditional" -> ClosedFormReward.reward(ClosedFormReward.Kind.CONDITIONAL, pg.lambda(), model, train,
                    val, trainer);
            case "learned" -> learned(pg, train, seed, bus).build().learn(model, train, val).reward();
            default -> PolicyGradient.Provider.rewardFor(flag, pg.lambda(), train.targets(), dim);
        };
    }
}
