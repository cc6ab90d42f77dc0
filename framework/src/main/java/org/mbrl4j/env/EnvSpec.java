package org.mbrl4j.env;

import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.mbrl4j.env.RewardFn;
import org.mbrl4j.env.TerminationFn;

/**
 * How to make one registered environment, like {@code gymnasium.envs.registration.EnvSpec}. Build with
 * {@link #builder()}.
 *
 * @param id              {@code [namespace/]Name-vN}
 * @param entryPoint      human-readable origin (class name or Python entry point)
 * @param factory         creates the bare environment from keyword options
 * @param maxEpisodeSteps time limit applied by {@link EnvRegistry#make}, or null for none
 * @param rewardThreshold return at which the task counts as solved, or null
 * @param rewardFn        batched reward of imagined transitions, or null when none is known
 * @param terminationFn   batched termination of imagined transitions, or null when none is known
 * @param ownTimeLimit    the environment applies its time limit itself (e.g. Gymnasium's in Python): the registry
 *                        passes {@code max_episode_steps} to the factory instead of wrapping {@link TimeLimit}
 * @param planningCosts   named costs of imagined transitions (each writes a cost per row, lower is closer to the goal)
 *                        that a planner may weigh into the reward ({@link RewardFn#withStateCost}); empty when none
 */
public record EnvSpec(String id, String entryPoint, Function<Map<String, Object>, Env> factory,
        Integer maxEpisodeSteps, Double rewardThreshold, RewardFn rewardFn, TerminationFn terminationFn,
        boolean ownTimeLimit, Map<String, RewardFn> planningCosts) {

    private static final Pattern ID = Pattern.compile("([A-Za-z0-9_.-]+/)?[A-Za-z0-9_.]+(-[A-Za-z0-9_.]+)*-v\\d+");

    /** Validates the id and the time limit. */
    public EnvSpec {
        Objects.requireNonNull(id, "id");
        if (!ID.matcher(id).matches()) {
            throw new IllegalArgumentException("environment id '" + id + "' must look like [namespace/]Name-vN");
        }
        Objects.requireNonNull(factory, "factory of " + id);
        planningCosts = Map.copyOf(planningCosts);
        if (maxEpisodeSteps != null && maxEpisodeSteps <= 0) {
            throw new IllegalArgumentException("maxEpisodeSteps of " + id + " must be positive, got " + maxEpisodeSteps);
        }
    }

    /** A new builder. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Throws an {@link IllegalArgumentException} naming the environment, the unknown option keys and the accepted
     * ones when {@code options} holds keys outside {@code accepted}. For factories.
     */
    public static void requireKnownOptions(String id, Map<String, Object> options, Collection<String> accepted) {
        Set<String> unknown = new TreeSet<>(options.keySet());
        unknown.removeAll(accepted);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException(id + " does not accept option(s) " + unknown + "; accepted: "
                    + new TreeSet<>(accepted));
        }
    }

    /** Builder for {@link EnvSpec}: {@code setX} for required settings, {@code optX} for optional ones. */
    public static final class Builder {
        private String id;
        private String entryPoint;
        private Function<Map<String, Object>, Env> factory;
        private Integer maxEpisodeSteps;
        private Double rewardThreshold;
        private RewardFn rewardFn;
        private TerminationFn terminationFn;
        private boolean ownTimeLimit;
        private final Map<String, RewardFn> planningCosts = new java.util.TreeMap<>();

        private Builder() {
        }

        /** Required: the id {@code [namespace/]Name-vN}. */
        public Builder setId(String id) {
            this.id = id;
            return this;
        }

        /** Required: the factory from keyword options to the bare environment. */
        public Builder setFactory(Function<Map<String, Object>, Env> factory) {
            this.factory = factory;
            return this;
        }

        /** Optional: a description of where the environment comes from (defaults to the id). */
        public Builder optEntryPoint(String entryPoint) {
            this.entryPoint = entryPoint;
            return this;
        }

        /** Optional: the default time limit. */
        public Builder optMaxEpisodeSteps(int steps) {
            this.maxEpisodeSteps = steps;
            return this;
        }

        /** Optional: the return at which the task counts as solved. */
        public Builder optRewardThreshold(double threshold) {
            this.rewardThreshold = threshold;
            return this;
        }

        /** Optional: the batched reward function of imagined transitions. */
        public Builder optRewardFn(RewardFn fn) {
            this.rewardFn = fn;
            return this;
        }

        /** Optional: the batched termination function of imagined transitions. */
        public Builder optTerminationFn(TerminationFn fn) {
            this.terminationFn = fn;
            return this;
        }

        /** Optional: the environment applies its own time limit from the {@code max_episode_steps} option. */
        public Builder optOwnTimeLimit(boolean own) {
            this.ownTimeLimit = own;
            return this;
        }

        /**
         * Optional: a named planning cost of imagined transitions (e.g. Acrobot's {@code tip-depth}), writing a cost
         * per row that is lower closer to the goal; {@code --state-cost NAME=WEIGHT} weighs it into the planning reward.
         */
        public Builder optPlanningCost(String name, RewardFn cost) {
            if (name == null || !name.matches("[a-z][a-z0-9-]*")) {
                throw new IllegalArgumentException("planning cost name '" + name + "' must be lower-case words joined by '-'");
            }
            planningCosts.put(name, Objects.requireNonNull(cost, "planning cost " + name));
            return this;
        }

        /** Validates and builds the spec. */
        public EnvSpec build() {
            if (id == null) {
                throw new IllegalArgumentException("EnvSpec id is required (setId)");
            }
            if (factory == null) {
                throw new IllegalArgumentException("EnvSpec factory of " + id + " is required (setFactory)");
            }
            return new EnvSpec(id, entryPoint == null ? id : entryPoint, factory, maxEpisodeSteps, rewardThreshold,
                    rewardFn, terminationFn, ownTimeLimit, planningCosts);
        }
    }
}
