package org.mbrl4j.env;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.mbrl4j.env.VectorEnv.AutoresetMode;
import org.mbrl4j.env.VectorEnv.VectorStep;

class SyncVectorEnvTest {

    private static double[][] zeros(int n) {
        return new double[n][1];
    }

    @Test
    void nextStepModeResetsOnTheFollowingStep() {
        // env 0 ends after 2 steps, env 1 after 3
        int[] ends = {2, 3};
        int[] k = {0};
        try (SyncVectorEnv v = new SyncVectorEnv(() -> new CountingEnv(ends[k[0]++]), 2)) {
            assertThat(v.autoresetMode()).isEqualTo(AutoresetMode.NEXT_STEP);
            var r = v.reset(10L);
            assertThat(r.infos().get(1).get("seed")).isEqualTo(11L);
            v.step(zeros(2));
            VectorStep s2 = v.step(zeros(2));
            assertThat(s2.terminated()).containsExactly(true, false);
            assertThat(s2.observations()[0]).containsExactly(2.0);
            VectorStep s3 = v.step(zeros(2));
            assertThat(s3.resetStep()).containsExactly(true, false);
            assertThat(s3.isTransition(0)).isFalse();
            assertThat(s3.observations()[0]).containsExactly(0.0);
            assertThat(s3.rewards()[0]).isZero();
            assertThat(s3.terminated()).containsExactly(false, true);
            assertThatThrownBy(() -> s3.transitionNextObs(0)).hasMessageContaining("autoreset step");
            VectorStep s4 = v.step(new double[][] {{0.5}, {0}});
            assertThat(s4.observations()[0]).containsExactly(1.0);
            assertThat(s4.rewards()[0]).isEqualTo(0.5);
            assertThat(s4.resetStep()).containsExactly(false, true);
        }
    }

    @Test
    void sameStepModeKeepsTheFinalObservationInTheInfo() {
        try (SyncVectorEnv v = new SyncVectorEnv(() -> new CountingEnv(2), 3, AutoresetMode.SAME_STEP)) {
            v.reset(0L);
            v.step(zeros(3));
            VectorStep s = v.step(zeros(3));
            for (int i = 0; i < 3; i++) {
                assertThat(s.terminated()[i]).isTrue();
                assertThat(s.observations()[i]).containsExactly(0.0);
                assertThat(s.transitionNextObs(i)).containsExactly(2.0);
                assertThat(s.isTransition(i)).isTrue();
            }
        }
    }

    @Test
    void rejectsWrongActionRowsAndStepBeforeReset() {
        try (SyncVectorEnv v = new SyncVectorEnv(() -> new CountingEnv(2), 2)) {
            assertThatThrownBy(() -> v.step(zeros(2))).hasMessageContaining("before reset");
            v.reset(0L);
            assertThatThrownBy(() -> v.step(zeros(3))).hasMessageContaining("one row per environment (2)");
        }
    }
}
