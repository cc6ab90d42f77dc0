package org.mbrl4j.envs.classic;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.mbrl4j.env.EnvProvider;
import org.mbrl4j.env.EnvSpec;

/**
 * Registers the classic-control ports under Gymnasium's ids with Gymnasium's time limits and reward thresholds,
 * and their batched reward and termination functions.
 */
public final class EnvSpecs implements EnvProvider {

    @Override
    public List<EnvSpec> specs() {
        return List.of(
                EnvSpec.builder().setId(Pendulum.ID).optEntryPoint(Pendulum.class.getName()).optMaxEpisodeSteps(200)
                        .setFactory(o -> {
                            EnvSpec.requireKnownOptions(Pendulum.ID, o, List.of("g"));
                            return new Pendulum(ClassicControlEnv.number(Pendulum.ID, o, "g", 10.0));
                        })
                        .optRewardFn(Pendulum.REWARD).optTerminationFn(org.mbrl4j.env.TerminationFn.NEVER).build(),
                EnvSpec.builder().setId(CartPole.ID).optEntryPoint(CartPole.class.getName()).optMaxEpisodeSteps(500)
                        .optRewardThreshold(475.0)
                        .setFactory(o -> {
                            EnvSpec.requireKnownOptions(CartPole.ID, o, List.of("sutton_barto_reward"));
                            return new CartPole(Boolean.parseBoolean(String.valueOf(
                                    o.getOrDefault("sutton_barto_reward", "false"))));
                        })
                        .optRewardFn(CartPole.REWARD).optTerminationFn(CartPole.TERMINATION).build(),
                EnvSpec.builder().setId(MountainCarContinuous.ID).optEntryPoint(MountainCarContinuous.class.getName())
                        .optMaxEpisodeSteps(999).optRewardThreshold(90.0)
                        .setFactory(o -> {
                            EnvSpec.requireKnownOptions(MountainCarContinuous.ID, o, List.of("goal_velocity"));
                            return new MountainCarContinuous(
                                    ClassicControlEnv.number(MountainCarContinuous.ID, o, "goal_velocity", 0));
                        })
                        .optRewardFn(MountainCarContinuous.REWARD).optTerminationFn(MountainCarContinuous.TERMINATION)
                        .build(),
                EnvSpec.builder().setId(MountainCar.ID).optEntryPoint(MountainCar.class.getName())
                        .optMaxEpisodeSteps(200).optRewardThreshold(-110.0)
                        .setFactory(o -> {
                            EnvSpec.requireKnownOptions(MountainCar.ID, o, List.of("goal_velocity"));
                            return new MountainCar(ClassicControlEnv.number(MountainCar.ID, o, "goal_velocity", 0));
                        })
                        .optRewardFn(MountainCar.REWARD).optTerminationFn(MountainCar.TERMINATION)
                        .optPlanningCost("energy-gap", MountainCar.ENERGY_GAP).build(),
                EnvSpec.builder().setId(Acrobot.ID).optEntryPoint(Acrobot.class.getName()).optMaxEpisodeSteps(500)
                        .optRewardThreshold(-100.0)
                        .setFactory(o -> {
                            EnvSpec.requireKnownOptions(Acrobot.ID, o, List.of());
                            return new Acrobot();
                        })
                        .optRewardFn(Acrobot.REWARD).optTerminationFn(Acrobot.TERMINATION)
                        .optPlanningCost("tip-depth", Acrobot.TIP_DEPTH).build());
    }

    static void requireKnownResetOptions(String id, Map<String, Object> options, String... accepted) {
        if (options != null) {
            EnvSpec.requireKnownOptions(id + " reset", options, Arrays.asList(accepted));
        }
    }
}
