package org.mbrl4j.env;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvCheckerTest {

    @Test
    void acceptsAWellBehavedEnvironment() {
        assertThat(new EnvChecker(50).check(() -> new TimeLimit(new CountingEnv(30), 20), 1)).isEmpty();
    }

    @Test
    void reportsObservationsOutsideTheSpace() {
        List<String> p = new EnvChecker(50).check(() -> new CountingEnv(5000), 1);
        assertThat(p).isEmpty();
        Env bad = new CountingEnv(5000) {
            @Override
            public Space observationSpace() {
                return Box.uniform(0, 3, 1);
            }
        };
        assertThat(new EnvChecker(10).check(() -> bad, 1)).anyMatch(s -> s.contains("outside"));
    }

    @Test
    void reportsNonDeterminism() {
        Env noisy = new CountingEnv(5000) {
            private final java.util.Random unseeded = new java.util.Random();

            @Override
            public Step step(double[] action) {
                Step s = super.step(action);
                return new Step(s.observation(), unseeded.nextDouble(), false, false, Map.of());
            }
        };
        assertThat(new EnvChecker(10).check(() -> noisy, 1)).anyMatch(s -> s.contains("not deterministic"));
    }
}
