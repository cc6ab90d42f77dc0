package org.mbrl4j.agents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mbrl4j.env.Discrete;
import org.mbrl4j.event.EventBus;

/** PETS from library code: injected environment and model, an immutable configuration, plugins by id. */
class PetsTest {
    @Test
    void plansWithAnInjectedEnvironmentAndTheTrueDynamicsAndLeavesTheEnvironmentOpen() {
        Cart env = new Cart();
        Pets pets = Pets.builder().optEnvironment(env, Cart.REWARD, null).optModel(Cart.TRUE_DYNAMICS).optEpisodes(2)
                .optHorizon(10).optPopulation(50).optCemIterations(3).optParticles(1).build();
        List<OnlineLoop.EpisodeResult> rs = pets.run(EventBus.create(), null);
        assertThat(rs).hasSize(3);
        double random = rs.get(0).ret();
        assertThat(rs.get(2).ret()).as("planning with the true model vs the random episode's %s", random)
                .isGreaterThan(random * 0.5);
        assertThat(env.closed).as("an injected environment belongs to its caller").isFalse();
    }

    @Test
    void theConfigRoundTripsAndTheBuiltRunDoesNotAliasItsBuilder() {
        Pets.Builder b = Pets.builder().optHidden(8, 8).optStateCost(Map.of("1", 0.5)).optObjective("pg",
                Map.of("reward", "full", "lambda", 1.0));
        Pets pets = b.build();
        b.optHidden(4).optEpisodes(7);
        assertThat(pets.settings().hidden()).containsExactly(8, 8);
        assertThat(pets.settings().episodes()).isEqualTo(10);
        Map<String, Object> m = pets.settings().toMap();
        assertThat(m).containsEntry("state_cost", Map.of("1", 0.5)).containsEntry("reward_head", false)
                .containsKey("objective_options");
        assertThat(Pets.Config.fromMap(m)).isEqualTo(pets.settings());
        assertThat(pets.config()).containsEntry("reward", "full").doesNotContainKey("objective_options");
        Map<String, Object> bad = new LinkedHashMap<>(m);
        bad.put("horizon", "long");
        assertThatThrownBy(() -> Pets.Config.fromMap(bad)).hasMessageContaining("'horizon'");
        assertThatThrownBy(() -> Pets.builder().optPlanner("nope").build())
                .hasMessageContaining("planner 'nope' is unknown; registered: cem, cem-discrete, icem, mppi, mppi-discrete, random, random-discrete");
        assertThatThrownBy(() -> Pets.builder().optReplanEvery(99).build()).hasMessageContaining("replan every 99");
    }

    @Test
    void thePetsProviderIsRegisteredAndChecksItsSettings() {
        AgentProvider p = AgentProvider.find("pets");
        assertThat(p.defaults()).containsEntry("planner", null).containsEntry("horizon", 15);
        assertThat(org.mbrl4j.planning.Planners.defaultFor(new Discrete(3))).isEqualTo("cem-discrete");
        assertThat(p.create(Map.of("horizon", 7)).config()).containsEntry("horizon", 7);
        assertThatThrownBy(() -> p.create(Map.of("horizn", 7))).hasMessageContaining("no setting 'horizn'");
        assertThatThrownBy(() -> AgentProvider.find("dreamer")).hasMessageContaining("registered: pets");
    }

    @Test
    void aPlannerOverAnotherActionSpaceIsRejectedNamingBoth() {
        assertThatThrownBy(() -> org.mbrl4j.planning.Planners.find("mppi", new Discrete(2), "CartPole-v1"))
                .hasMessage("mppi plans over bounded Box actions; CartPole-v1 has Discrete(2); accepted: cem-discrete, mppi-discrete, random-discrete");
    }
}
