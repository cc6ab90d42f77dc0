package org.mbrl4j.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReplayBufferTest {
    @TempDir
    Path dir;

    private static void fill(ReplayBuffer b, int n, int episodeLength) {
        for (int i = 0; i < n; i++) {
            boolean end = (i + 1) % episodeLength == 0;
            b.add(new double[] {i, -i}, new double[] {i * 0.1}, new double[] {i + 1, -i - 1}, i, end, false, i / episodeLength);
        }
    }

    @Test
    void dropsTheOldestWhenFullAndKeepsOrder() {
        ReplayBuffer b = new ReplayBuffer(10, 2, 1);
        fill(b, 25, 5);
        assertThat(b.size()).isEqualTo(10);
        assertThat(b.added()).isEqualTo(25);
        TransitionDataset d = b.toDataset();
        assertThat(d.obs(0)).containsExactly(15, -15);
        assertThat(d.obs(9)).containsExactly(24, -24);
        assertThat(b.trajectories()).hasSize(2);
        assertThat(b.trajectories().get(0)).containsExactly(0, 1, 2, 3, 4);
        assertThat(d.terminated(4)).isTrue();
    }

    @Test
    void samplesUniformlyAndSurvivesSaveAndLoad() {
        ReplayBuffer b = new ReplayBuffer(100, 2, 1);
        fill(b, 60, 20);
        TransitionDataset s = b.sample(6000, new SplittableRandom(1));
        int[] counts = new int[60];
        for (int i = 0; i < s.size(); i++) {
            counts[(int) s.obs(i)[0]]++;
        }
        assertThat(java.util.Arrays.stream(counts).min().getAsInt()).isGreaterThan(60);
        Path f = dir.resolve("buffer.csv");
        b.save(f);
        ReplayBuffer back = ReplayBuffer.load(f, 100);
        assertThat(back.size()).isEqualTo(60);
        assertThat(back.toDataset().columns("obs", "act", "next_obs", "reward")).isEqualTo(b.toDataset()
                .columns("obs", "act", "next_obs", "reward"));
        assertThat(back.trajectories()).hasSize(3);
        assertThatThrownBy(() -> new ReplayBuffer(10, 2, 1).sample(1, new SplittableRandom(0))).hasMessageContaining("empty");
        assertThatThrownBy(() -> b.add(new double[3], new double[1], new double[2], 0, false, false, 0))
                .hasMessageContaining("2 observation and 1 action");
    }
}
