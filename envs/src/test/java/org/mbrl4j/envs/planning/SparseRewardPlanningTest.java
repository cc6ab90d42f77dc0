package org.mbrl4j.envs.planning;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mbrl4j.env.Env;
import org.mbrl4j.env.EnvRegistry;
import org.mbrl4j.env.EnvSpec;
import org.mbrl4j.env.StatefulEnv;
import org.mbrl4j.env.Step;
import org.mbrl4j.planning.PlannerProvider;
import org.mbrl4j.planning.Planners;
import org.mbrl4j.planning.TrajectoryOptimizer;
import org.mbrl4j.planning.TrueDynamics;

/**
 * Acrobot-v1 and MountainCar-v0 pay −1 per step until the goal, so a short-horizon planner sees every candidate score
 * the same until the goal is inside the horizon. With the environment's named planning cost (Acrobot: tip depth;
 * MountainCar: missing energy) the discrete CEM with the true dynamics reaches the goal; with the reward alone it does
 * not within the same number of steps.
 */
class SparseRewardPlanningTest {

    @ParameterizedTest
    @CsvSource({"Acrobot-v1, tip-depth, 20, 150", "MountainCar-v0, energy-gap, 20, 160"})
    void theNamedCostTakesTheTrueDynamicsPlannerToTheGoal(String id, String cost, int horizon, int limit) {
        assertThat(stepsToGoal(id, Map.of(cost, 1.0), horizon, limit, 3)).as("steps to the goal with %s", cost)
                .isLessThan(limit);
        assertThat(stepsToGoal(id, Map.of(), horizon, limit, 3)).as("steps to the goal with the reward alone")
                .isEqualTo(limit);
    }

    @org.junit.jupiter.api.Test
    void theNamedCostsAreZeroAtTheGoalAndLargestHangingAtRest() {
        EnvRegistry registry = EnvRegistry.load();
        double[] out = new double[3];
        // Acrobot observations (cos θ1, sin θ1, cos θ2, sin θ2, θ̇1, θ̇2): hanging, horizontal, upright
        registry.spec("Acrobot-v1").planningCosts().get("tip-depth").compute(3, new double[18], new double[3],
                new double[] {1, 0, 1, 0, 0, 0, 0, 1, 1, 0, 0, 0, -1, 0, 1, 0, 0, 0}, out);
        assertThat(out).containsExactly(new double[] {3, 1, -1}, org.assertj.core.api.Assertions.within(1e-12));
        // MountainCar (position, velocity): at rest at the bottom, at rest at the goal, at the bottom fast enough to
        // reach the goal's height (v²/2 = the energy between bottom and goal)
        double g = 0.0025 / 3;
        double vGoal = Math.sqrt(2 * g * (Math.sin(1.5) + 1));
        registry.spec("MountainCar-v0").planningCosts().get("energy-gap").compute(3, new double[6], new double[3],
                new double[] {-Math.PI / 6, 0, 0.5, 0, -Math.PI / 6, vGoal}, out);
        assertThat(out).containsExactly(new double[] {1, 0, 0}, org.assertj.core.api.Assertions.within(1e-12));
        assertThat(registry.spec("CartPole-v1").planningCosts()).isEmpty();
    }

    private static int stepsToGoal(String id, Map<String, Double> cost, int horizon, int limit, long seed) {
        EnvRegistry registry = EnvRegistry.load();
        EnvSpec spec = registry.spec(id);
        try (Env env = registry.make(id); Env copy = registry.make(id)) {
            env.reset(seed);
            TrajectoryOptimizer cem = Planners.create("cem-discrete",
                    new PlannerProvider.Settings(env.actionSpace(), horizon, 60, 3, null), id);
            TrueDynamics truth = new TrueDynamics(copy, spec.rewardFn().withStateCost(cost,
                    env.observationSpace().flatDim(), spec.planningCosts()));
            SplittableRandom rng = new SplittableRandom(seed);
            double[] plan = new double[horizon];
            for (int t = 1; t <= limit; t++) {
                plan = cem.optimize(truth.objective(StatefulEnv.of(env).getState()), plan, rng);
                Step s = env.step(new double[] {plan[0]});
                if (s.terminated()) {
                    return t;
                }
                System.arraycopy(plan, 1, plan, 0, horizon - 1);
            }
            return limit;
        }
    }
}
