package org.mbrl4j.envs.classic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.mbrl4j.env.Env;
import org.mbrl4j.env.EnvChecker;
import org.mbrl4j.env.EnvRegistry;
import org.mbrl4j.env.EnvSpec;
import org.mbrl4j.env.Step;

class ClassicControlTest {
    private static final EnvRegistry REGISTRY = EnvRegistry.load();

    static Stream<String> classicIds() {
        return Stream.of("Pendulum-v1", "CartPole-v1", "MountainCarContinuous-v0", "MountainCar-v0", "Acrobot-v1");
    }

    @Test
    void allFiveAreRegisteredWithGymnasiumLimits() {
        assertThat(REGISTRY.spec("Pendulum-v1").maxEpisodeSteps()).isEqualTo(200);
        assertThat(REGISTRY.spec("CartPole-v1").maxEpisodeSteps()).isEqualTo(500);
        assertThat(REGISTRY.spec("CartPole-v1").rewardThreshold()).isEqualTo(475.0);
        assertThat(REGISTRY.spec("MountainCarContinuous-v0").maxEpisodeSteps()).isEqualTo(999);
        assertThat(REGISTRY.spec("MountainCar-v0").maxEpisodeSteps()).isEqualTo(200);
        assertThat(REGISTRY.spec("Acrobot-v1").maxEpisodeSteps()).isEqualTo(500);
    }

    @ParameterizedTest
    @MethodSource("classicIds")
    void rewardAndTerminationFunctionsAgreeWithTheEnvironment(String id) {
        EnvSpec spec = REGISTRY.spec(id);
        SplittableRandom rng = new SplittableRandom(7);
        try (Env env = REGISTRY.make(id)) {
            double[] obs = env.reset(3).observation();
            int n = 0;
            int terminations = 0;
            for (int t = 0; t < 3000; t++) {
                double[] a = env.actionSpace().sample(rng);
                // pump energy half of the time so that goals are reached: terminations must be scored too
                if (t % 1000 < 700) {
                    switch (id) {
                        case "MountainCarContinuous-v0" -> a[0] = obs[1] >= 0 ? 1.2 : -1.2;
                        case "MountainCar-v0" -> a[0] = obs[1] >= 0 ? 2 : 0;
                        case "Acrobot-v1" -> a[0] = obs[4] + 0.3 * obs[5] >= 0 ? 2 : 0;
                        default -> { }
                    }
                }
                Step s = env.step(a);
                double[] r = new double[1];
                boolean[] term = new boolean[1];
                spec.rewardFn().compute(1, obs, a, s.observation(), r);
                spec.terminationFn().compute(1, obs, a, s.observation(), term);
                assertThat(r[0]).as(id + " reward at step " + t).isCloseTo(s.reward(), within(1e-4 * (1 + Math.abs(s.reward()))));
                assertThat(term[0]).as(id + " termination at step " + t).isEqualTo(s.terminated());
                terminations += s.terminated() ? 1 : 0;
                n++;
                obs = s.done() ? env.reset().observation() : s.observation();
            }
            assertThat(n).isEqualTo(3000);
            if (!id.equals("Pendulum-v1")) {
                assertThat(terminations).as(id + " episodes that terminated").isPositive();
            }
        }
    }

    @Test
    void batchedFunctionsScoreManyRowsAtOnce() {
        EnvSpec spec = REGISTRY.spec("Pendulum-v1");
        // upright and still with no torque: reward 0; hanging down: −π²
        double[] obs = {1, 0, 0, -1, 0, 0};
        double[] act = {0, 0};
        double[] out = new double[2];
        spec.rewardFn().compute(2, obs, act, obs, out);
        assertThat(out[0]).isCloseTo(0, within(1e-12));
        assertThat(out[1]).isCloseTo(-Math.PI * Math.PI, within(1e-9));
        boolean[] term = {true, true};
        spec.terminationFn().compute(2, obs, act, obs, term);
        assertThat(term).containsExactly(false, false);
    }

    @ParameterizedTest
    @MethodSource("classicIds")
    void sameSeedSameEpisodeDifferentSeedDifferentStart(String id) {
        try (Env a = REGISTRY.make(id); Env b = REGISTRY.make(id)) {
            assertThat(a.reset(42).observation()).isEqualTo(b.reset(42).observation());
            assertThat(a.reset(43).observation()).isNotEqualTo(b.reset(42).observation());
        }
    }

    @Test
    void resetOptionsAndBadActionsGiveClearErrors() {
        try (Env env = REGISTRY.make("CartPole-v1")) {
            double[] o = env.reset(1L, Map.of("low", -0.001, "high", 0.001)).observation();
            for (double v : o) {
                assertThat(Math.abs(v)).isLessThanOrEqualTo(0.001);
            }
            assertThatThrownBy(() -> env.reset(1L, Map.of("low", 1, "high", 0))).hasMessageContaining("must not exceed");
            assertThatThrownBy(() -> env.reset(1L, Map.of("lo", 1))).hasMessageContaining("accepted: [high, low]");
            env.reset(0);
            assertThatThrownBy(() -> env.step(new double[] {2})).hasMessageContaining("index in 0..1");
        }
        try (Env env = REGISTRY.make("Pendulum-v1")) {
            env.reset(0);
            assertThatThrownBy(() -> env.step(new double[] {0, 1})).hasMessageContaining("1 component");
            assertThatThrownBy(() -> env.step(new double[] {Double.NaN})).hasMessageContaining("NaN");
        }
        assertThatThrownBy(() -> REGISTRY.make("Pendulum-v1", Map.of("gravity", 9.8)))
                .hasMessageContaining("accepted: [g]");
    }

    @Test
    void envCheckerPassesOnEveryRegisteredEnvironment() {
        EnvChecker checker = new EnvChecker(600);
        for (EnvSpec spec : REGISTRY.specs()) {
            if (spec.id().contains("/")) {
                continue; // bridged environments are checked by their own module's tests
            }
            checker.checkOrThrow(spec.id(), () -> REGISTRY.make(spec.id()), 5);
        }
        assertThat(REGISTRY.specs()).hasSizeGreaterThanOrEqualTo(5);
    }
}
