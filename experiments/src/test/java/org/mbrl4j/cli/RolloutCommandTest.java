package org.mbrl4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mbrl4j.data.TransitionDataset;

class RolloutCommandTest {
    @TempDir
    Path dir;

    /** Runs the CLI, capturing stderr; returns the exit code. */
    static int run(StringBuilder err, String... args) {
        PrintStream old = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setErr(new PrintStream(buf, true));
        try {
            return Main.run(args);
        } finally {
            System.setErr(old);
            err.append(buf);
        }
    }

    @Test
    void randomPendulumEpisodesWriteFourHundredRowsInTheDatasetFormat() throws Exception {
        Path out = dir.resolve("p.csv");
        StringBuilder err = new StringBuilder();
        assertThat(run(err, "rollout", "--env", "Pendulum-v1", "--policy", "random", "--episodes", "2", "--out",
                out.toString())).isZero();
        List<String> lines = Files.readAllLines(out);
        assertThat(lines).hasSize(401);
        assertThat(lines.get(0)).isEqualTo(
                "obs_0,obs_1,obs_2,act_0,next_obs_0,next_obs_1,next_obs_2,reward,terminated,truncated,episode");
        TransitionDataset d = TransitionDataset.read(out);
        assertThat(d.size()).isEqualTo(400);
        assertThat(d.truncated(199)).isTrue();
        assertThat(d.truncated(198)).isFalse();
        assertThat(d.episode(199)).isZero();
        assertThat(d.episode(200)).isEqualTo(1);
        for (int i = 0; i < 399; i++) {
            if (d.episode(i) == d.episode(i + 1)) {
                assertThat(d.obs(i + 1)).as("row %d continues row %d", i + 1, i).isEqualTo(d.nextObs(i));
            }
        }
        assertThat(Files.exists(dir.resolve("p.csv.partial"))).isFalse();
    }

    @Test
    void replayedActionsFromAStateAreDeterministicAndStopWithTheFile() throws Exception {
        Path actions = dir.resolve("a.csv");
        Files.writeString(actions, "act_0\n1\n1\n-1\n0.5\n");
        Path a = dir.resolve("a1.csv");
        Path b = dir.resolve("a2.csv");
        StringBuilder err = new StringBuilder();
        for (Path out : List.of(a, b)) {
            assertThat(run(err, "rollout", "--env", "MountainCarContinuous-v0", "--state", "-0.5,0.01", "--actions",
                    actions.toString(), "--seed", "3", "--out", out.toString())).isZero();
        }
        assertThat(Files.readAllLines(a)).hasSize(5).isEqualTo(Files.readAllLines(b));
        TransitionDataset d = TransitionDataset.read(a);
        assertThat(d.obs(0)).containsExactly((float) -0.5, (float) 0.01);
        assertThat(d.action(2)).containsExactly(-1.0);
    }

    @Test
    void badFlagsAndValuesExitWithTwoNamingTheFlag() {
        StringBuilder err = new StringBuilder();
        assertThat(run(err, "rollout", "--env", "Pendulm-v1", "--policy", "random", "--out", dir.resolve("x").toString()))
                .isEqualTo(2);
        assertThat(err).contains("--env: unknown environment 'Pendulm-v1'; closest registered: [Pendulum-v1");
        err.setLength(0);
        assertThat(run(err, "rollout", "--env", "Pendulum-v1", "--policy", "greedy", "--out", "x")).isEqualTo(2);
        assertThat(err).contains("--policy");
        err.setLength(0);
        assertThat(run(err, "rollout", "--env", "Pendulum-v1", "--policy", "random", "--state", "1,2,3", "--out", "x"))
                .isEqualTo(2);
        assertThat(err).contains("--state: Pendulum-v1 has 2 state values theta,theta_dot, got 3");
        err.setLength(0);
        assertThat(run(err, "rollout", "--env", "Pendulum-v1", "--actions", dir.resolve("none.csv").toString(), "--out",
                "x")).isEqualTo(2);
        assertThat(err).contains("--actions file").contains("does not exist");
        err.setLength(0);
        assertThat(run(err, "rollout", "--env", "Pendulum-v1", "--policy", "random", "--episodes", "0", "--out", "x"))
                .isEqualTo(2);
        assertThat(err).contains("--episodes must be positive");
        err.setLength(0);
        assertThat(run(err, "rollout", "--policy", "random", "--out", "x")).isEqualTo(2);
        assertThat(err).contains("--env");
        err.setLength(0);
        assertThat(run(err, "frobnicate")).isEqualTo(2);
    }

    @Test
    void integerActionsOfADiscreteSpaceAreReplayedAndWrittenAsIntegers() throws Exception {
        Path actions = dir.resolve("a.csv");
        Files.writeString(actions, "act_0\n" + "0\n1\n1\n0\n".repeat(5));
        Path out = dir.resolve("c.csv");
        StringBuilder err = new StringBuilder();
        assertThat(run(err, "rollout", "--env", "CartPole-v1", "--seed", "4", "--actions", actions.toString(), "--out",
                out.toString())).as(err.toString()).isZero();
        List<String> lines = Files.readAllLines(out);
        int act = List.of(lines.get(0).split(",")).indexOf("act_0");
        assertThat(lines.stream().skip(1).map(l -> l.split(",")[act]).toList())
                .isEqualTo(Files.readAllLines(actions).subList(1, lines.size()));
        // the file read back as a dataset holds the same integer actions
        TransitionDataset data = TransitionDataset.read(out);
        assertThat(data.action(0)).containsExactly(0.0);
        assertThat(data.action(1)).containsExactly(1.0);

        Files.writeString(actions, "act_0\n0\n0.5\n");
        assertThat(run(err, "rollout", "--env", "CartPole-v1", "--actions", actions.toString(), "--out",
                dir.resolve("d.csv").toString())).isEqualTo(2);
        assertThat(err).contains("--actions row 2: action [0.5] is not in Discrete(2)");
    }

    @Test
    void actionsOutsideTheSpaceAreRejectedWithTheRow() throws Exception {
        Path actions = dir.resolve("a.csv");
        Files.writeString(actions, "act_0\n0\n1\n2\n");
        StringBuilder err = new StringBuilder();
        assertThat(run(err, "rollout", "--env", "CartPole-v1", "--actions", actions.toString(), "--out",
                dir.resolve("c.csv").toString())).isEqualTo(2);
        assertThat(err).contains("--actions row 3: action [2.0] is not in Discrete(2)");
        assertThat(Files.exists(dir.resolve("c.csv.partial"))).as("rows collected so far are kept").isTrue();
    }

    @Test
    void aGymnasiumHalfCheetahEpisodeWritesAThousandRows() throws Exception {
        Path out = dir.resolve("hc.csv");
        StringBuilder err = new StringBuilder();
        assertThat(run(err, "rollout", "--env", "gymnasium/HalfCheetah-v5", "--policy", "random", "--episodes", "1",
                "--out", out.toString())).as(err.toString()).isZero();
        TransitionDataset d = TransitionDataset.read(out);
        assertThat(d.size()).isEqualTo(1000);
        assertThat(d.obsDim()).isEqualTo(17);
        assertThat(d.actDim()).isEqualTo(6);
        assertThat(d.truncated(999)).isTrue();
        assertThat(d.terminated(999)).isFalse();
    }

    @Test
    void envsListsEveryClassicEnvironment() {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true));
        try {
            assertThat(Main.run("envs", "--ids")).isZero();
        } finally {
            System.setOut(old);
        }
        assertThat(buf.toString().lines().toList()).contains("Pendulum-v1", "CartPole-v1", "MountainCarContinuous-v0",
                "MountainCar-v0", "Acrobot-v1", "gymnasium/HalfCheetah-v5", "gymnasium/Hopper-v5");
    }
}
