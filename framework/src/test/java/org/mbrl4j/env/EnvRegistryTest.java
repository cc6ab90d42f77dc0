package org.mbrl4j.env;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvRegistryTest {
    private final EnvRegistry registry = EnvRegistry.of(List.of(
            EnvSpec.builder().setId("Counting-v0").setFactory(o -> {
                EnvSpec.requireKnownOptions("Counting-v0", o, List.of("end"));
                return new CountingEnv(((Number) o.getOrDefault("end", 1000)).intValue());
            }).optMaxEpisodeSteps(3).build(),
            EnvSpec.builder().setId("Counting-v1").setFactory(o -> new CountingEnv(1000)).build(),
            EnvSpec.builder().setId("Other-v0").setFactory(o -> new CountingEnv(1000)).build()));

    @Test
    void makeAppliesTheSpecTimeLimit() {
        Env env = registry.make("Counting-v0");
        env.reset(0);
        assertThat(env.step(new double[] {0}).truncated()).isFalse();
        assertThat(env.step(new double[] {0}).truncated()).isFalse();
        Step last = env.step(new double[] {0});
        assertThat(last.truncated()).isTrue();
        assertThat(last.terminated()).isFalse();
    }

    @Test
    void optionsOverrideTheLimitAndReachTheFactory() {
        Env env = registry.make("Counting-v0", Map.of("max_episode_steps", 10, "end", 2));
        env.reset(0);
        env.step(new double[] {0});
        Step s = env.step(new double[] {0});
        assertThat(s.terminated()).isTrue();
        assertThat(s.truncated()).isFalse();
        assertThatThrownBy(() -> registry.make("Counting-v0", Map.of("ned", 2)))
                .hasMessageContaining("ned").hasMessageContaining("accepted: [end]");
        assertThatThrownBy(() -> registry.make("Counting-v0", Map.of("max_episode_steps", 1.5)))
                .hasMessageContaining("max_episode_steps must be an integer");
    }

    @Test
    void stepAfterEpisodeEndOrBeforeResetFails() {
        Env env = registry.make("Counting-v0");
        assertThatThrownBy(() -> env.step(new double[] {0})).hasMessageContaining("before reset");
        env.reset();
        for (int i = 0; i < 3; i++) {
            env.step(new double[] {0});
        }
        assertThatThrownBy(() -> env.step(new double[] {0})).hasMessageContaining("after the episode ended");
        env.reset();
        assertThat(env.step(new double[] {0}).observation()).containsExactly(1.0);
    }

    @Test
    void unknownIdListsTheClosestIds() {
        assertThatThrownBy(() -> registry.make("counting-v2"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("unknown environment 'counting-v2'; closest registered: [Counting-v0, Counting-v1, Other-v0]");
    }

    @Test
    void duplicateAndMalformedIdsAreRejected() {
        EnvSpec a = EnvSpec.builder().setId("A-v0").setFactory(o -> new CountingEnv(1)).build();
        assertThatThrownBy(() -> EnvRegistry.of(List.of(a, a))).hasMessageContaining("registered twice");
        assertThatThrownBy(() -> EnvSpec.builder().setId("no version").setFactory(o -> null).build())
                .hasMessageContaining("Name-vN");
        assertThatThrownBy(() -> EnvSpec.builder().setId("A-v0").build()).hasMessageContaining("setFactory");
        assertThat(EnvSpec.builder().setId("gymnasium/HalfCheetah-v5").setFactory(o -> null).build().id())
                .isEqualTo("gymnasium/HalfCheetah-v5");
    }
}
