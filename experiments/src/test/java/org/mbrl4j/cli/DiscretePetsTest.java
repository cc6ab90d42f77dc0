package org.mbrl4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PETS over discrete actions: CartPole-v1 with the default planner for its Discrete(2) space (cem-discrete) and a
 * planning-only cost on cart position and pole angle, NLL world model. The returns counted are the environment's.
 */
class DiscretePetsTest {
    @TempDir
    Path dir;

    @Test
    void cartPoleImprovesByAtLeast100OverTheRandomEpisode() throws Exception {
        Path out = dir.resolve("cartpole");
        StringBuilder err = new StringBuilder();
        int code = RolloutCommandTest.run(err, "run", "pets", "--env", "CartPole-v1", "--episodes", "5", "--state-cost",
                "0=0.01,2=1", "--population", "100", "--iterations", "3", "--particles", "10", "--horizon", "20",
                "--ensemble", "3", "--hidden", "64,64", "--out", out.toString());
        assertThat(code).as(err.toString()).isZero();
        List<double[]> rows = Files.readAllLines(out.resolve("returns.csv")).stream().skip(1)
                .map(l -> java.util.Arrays.stream(l.split(",")).mapToDouble(Double::parseDouble).toArray()).toList();
        assertThat(rows).hasSize(6);
        double random = rows.get(0)[2];
        double best = rows.stream().skip(1).mapToDouble(r -> r[2]).max().orElseThrow();
        assertThat(best).as("best planning return vs the random episode's %s", random).isGreaterThanOrEqualTo(random + 100);
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource(delimiter = ';', value = {
        "Acrobot-v1; mse; tip-depth=1; 3; 0,1,2; tip-depth",
        "CartPole-v1; pg; 0=0.1; 2; 0,1; 0"})
    void aDiscreteRunExtendedByResumingEndsAsTheUninterruptedRunWithIntegerActionsInItsBuffer(String env, String objective,
            String cost, int n, String actions, String costKey) throws Exception {
        List<String> tiny = List.of("run", "pets", "--env", env, "--objective", objective, "--ensemble", "2", "--hidden",
                "16,16", "--particles", "2", "--horizon", "4", "--population", "10", "--iterations", "1",
                "--model-epochs", "3", "--state-cost", cost, "--seed", "3");
        Path whole = dir.resolve("whole");
        Path extended = dir.resolve("extended");
        StringBuilder err = new StringBuilder();
        assertThat(RolloutCommandTest.run(err, concat(tiny, "--episodes", "2", "--out", whole.toString())))
                .as(err.toString()).isZero();
        assertThat(RolloutCommandTest.run(err, concat(tiny, "--episodes", "1", "--out", extended.toString())))
                .as(err.toString()).isZero();
        assertThat(RolloutCommandTest.run(err, "run", "pets", "--resume", extended.toString(), "--episodes", "2"))
                .as(err.toString()).isZero();
        List<String> buffer = Files.readAllLines(whole.resolve("checkpoint/buffer.csv"));
        assertThat(Files.readAllLines(extended.resolve("checkpoint/buffer.csv"))).isEqualTo(buffer);
        int act = List.of(buffer.get(0).split(",")).indexOf("act_0");
        assertThat(buffer.stream().skip(1).map(l -> l.split(",")[act]).distinct().sorted().toList())
                .isEqualTo(List.of(actions.split(",")));
        assertThat(new com.fasterxml.jackson.databind.ObjectMapper().readTree(whole.resolve("checkpoint/model.json").toFile())
                .findValue("one_hot_actions").toString()).isEqualTo("[" + n + ",0]");
        assertThat(Files.readString(whole.resolve("checkpoint/state.json"))).contains("\"planner\":\"cem-discrete\"",
                "\"objective\":\"" + objective + "\"", "\"state_cost\":{\"" + costKey + "\":");
    }

    @Test
    void benchActTimesAWholePlanOfTheDefaultPlannerOfEachSpace() {
        java.io.PrintStream oldOut = System.out;
        for (String[] c : new String[][] {{"CartPole-v1", "cem-discrete", "6"}, {"Pendulum-v1", "cem", "4"}}) {
            java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
            StringBuilder err = new StringBuilder();
            System.setOut(new java.io.PrintStream(buf, true));
            try {
                assertThat(RolloutCommandTest.run(err, "bench", "act", "--env", c[0], "--population", "10",
                        "--iterations", "2", "--horizon", "4", "--particles", "2", "--repeats", "2")).as(err.toString()).isZero();
            } finally {
                System.setOut(oldOut);
            }
            assertThat(buf.toString()).contains("\"planner\": \"" + c[1] + "\"", "\"model_inputs\": " + c[2],
                    "\"horizon\": 4").containsPattern("\"seconds_per_action\": 0\\.\\d*[1-9]");
        }
        StringBuilder err = new StringBuilder();
        assertThat(RolloutCommandTest.run(err, "bench", "act", "--env", "CartPole-v1", "--planner", "mppi")).isEqualTo(2);
        assertThat(err.toString()).contains("mppi plans over bounded Box actions; CartPole-v1 has Discrete(2)");
    }

    private static String[] concat(List<String> head, String... tail) {
        List<String> all = new java.util.ArrayList<>(head);
        all.addAll(List.of(tail));
        return all.toArray(String[]::new);
    }

    @Test
    void aPlannerForAnotherSpaceIsRejectedNamingBothAndTheOnesThatFit() {
        StringBuilder err = new StringBuilder();
        assertThat(RolloutCommandTest.run(err, "run", "pets", "--env", "CartPole-v1", "--planner", "mppi", "--episodes", "1",
                "--out", dir.resolve("x").toString())).isEqualTo(2);
        assertThat(err.toString()).contains("mppi plans over bounded Box actions; CartPole-v1 has Discrete(2); accepted: "
                + "cem-discrete, mppi-discrete, random-discrete");
    }
}
