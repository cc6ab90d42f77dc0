package org.mbrl4j.env;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SpaceTest {

    @Test
    void boxHasFloat32Semantics() {
        Box b = Box.uniform(-0.1, 0.1, 2);
        assertThat(b.low(0)).isEqualTo((double) (float) -0.1);
        // 0.1 as a double is above float32(0.1)? membership is judged on the float32 value, so it is inside
        assertThat(b.contains(new double[] {0.1, -0.1})).isTrue();
        assertThat(b.contains(new double[] {0.1000001, 0})).isFalse();
        assertThat(b.contains(new double[] {0})).as("wrong length").isFalse();
        assertThat(b.contains(new double[] {Double.NaN, 0})).isFalse();
    }

    @Test
    void boxSamplesStayInsideIncludingUnboundedComponents() {
        Box b = new Box(new double[] {-1, 0, Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY},
                new double[] {1, Double.POSITIVE_INFINITY, 5, Double.POSITIVE_INFINITY});
        SplittableRandom rng = new SplittableRandom(3);
        double min3 = Double.MAX_VALUE;
        for (int i = 0; i < 2000; i++) {
            double[] x = b.sample(rng);
            assertThat(b.contains(x)).isTrue();
            assertThat(x[1]).isGreaterThanOrEqualTo(0);
            assertThat(x[2]).isLessThanOrEqualTo(5);
            assertThat((double) (float) x[3]).isEqualTo(x[3]);
            min3 = Math.min(min3, x[3]);
        }
        assertThat(min3).as("normal samples in unbounded components").isLessThan(-2);
        assertThat(b.isBounded()).isFalse();
    }

    @Test
    void boxRejectsInconsistentBounds() {
        assertThatThrownBy(() -> new Box(new double[] {1}, new double[] {0})).hasMessageContaining("bound 0");
        assertThatThrownBy(() -> new Box(new double[] {1}, new double[] {2, 3})).hasMessageContaining("low has 1");
        assertThatThrownBy(() -> new Box(new double[] {0, 0}, new double[] {1, 1}, new int[] {3}))
                .hasMessageContaining("holds 3");
    }

    @Test
    void discreteContainsOnlyIndices() {
        Discrete d = new Discrete(3);
        assertThat(d.contains(new double[] {2})).isTrue();
        assertThat(d.contains(new double[] {3})).isFalse();
        assertThat(d.contains(new double[] {0.5})).isFalse();
        assertThat(d.contains(new double[] {-1})).isFalse();
        assertThat(new Discrete(2, 5).contains(new double[] {6})).isTrue();
        SplittableRandom rng = new SplittableRandom(1);
        int[] counts = new int[3];
        for (int i = 0; i < 3000; i++) {
            counts[d.index(d.sample(rng))]++;
        }
        assertThat(java.util.Arrays.stream(counts).min().getAsInt()).isGreaterThan(800);
        assertThatThrownBy(() -> d.index(new double[] {7})).hasMessageContaining("not in Discrete(3)");
        assertThatThrownBy(() -> new Discrete(0)).hasMessageContaining("positive");
    }
}
