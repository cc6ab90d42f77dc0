package org.mbrl4j.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/**
 * Adam's update against the textbook formulas (PyTorch's {@code torch.optim.Adam}): the first step moves every
 * parameter by lr·g/(|g| + ε); decay, value clipping and norm clipping happen before the moments in that order.
 */
class AdamTest {

    /** Two steps of the textbook update, written out. */
    private static double[] reference(double[] theta, double[][] grads, double lr, double b1, double b2, double eps) {
        double[] th = theta.clone();
        double[] m = new double[th.length];
        double[] v = new double[th.length];
        for (int t = 1; t <= grads.length; t++) {
            for (int i = 0; i < th.length; i++) {
                double g = grads[t - 1][i];
                m[i] = b1 * m[i] + (1 - b1) * g;
                v[i] = b2 * v[i] + (1 - b2) * g * g;
                double mHat = m[i] / (1 - Math.pow(b1, t));
                double vHat = v[i] / (1 - Math.pow(b2, t));
                th[i] -= lr * mHat / (Math.sqrt(vHat) + eps);
            }
        }
        return th;
    }

    @Test
    void stepsFollowTheTextbookUpdate() {
        double[] theta = {0.5, -1.0, 2.0};
        double[][] grads = {{0.3, -2.0, 1e-3}, {-0.1, -1.5, 4.0}, {0.2, 0.0, -3.0}};
        Adam adam = Adam.builder().setSize(3).setLr(0.01).optBetas(0.8, 0.99).optEps(1e-6).build();
        double[] p = theta.clone();
        for (double[] g : grads) {
            adam.step(p, g.clone());
        }
        double[] ref = reference(theta, grads, 0.01, 0.8, 0.99, 1e-6);
        for (int i = 0; i < 3; i++) {
            assertThat(p[i]).isCloseTo(ref[i], within(1e-15));
        }
        double[] first = {1.0};
        new Adam(1, 0.1).step(first, new double[] {-7.0});
        assertThat(first[0]).isCloseTo(1.0 + 0.1 * 7 / (7 + 1e-8), within(1e-15));
    }

    @Test
    void decayThenValueClipThenNormClip() {
        double[] p = {1.0, -2.0};
        double[] g = {3.0, 0.5};
        // decay 0.5: (3.5, −0.5); clamp to ±1: (1, −0.5); norm √1.25 > 1 → scaled to norm 1
        double norm = Adam.builder().setSize(2).setLr(0.1).optWeightDecay(0.5).optClipValue(1).optClipNorm(1).build()
                .step(p, g);
        assertThat(norm).isCloseTo(Math.sqrt(1.25), within(1e-15));
        double c = 1 / (Math.sqrt(1.25) + 1e-6);
        assertThat(g).containsExactly(new double[] {c, -0.5 * c}, within(1e-15));
        // the first step moves each parameter by lr·sign(g)
        assertThat(p).containsExactly(new double[] {0.9, -1.9}, within(1e-7));
    }

    @Test
    void aNonFiniteGradientLeavesEverythingAsItWas() {
        Adam adam = new Adam(2, 0.1);
        double[] p = {1.0, 2.0};
        assertThat(adam.step(p, new double[] {Double.NaN, 1})).isNaN();
        assertThat(p).containsExactly(1.0, 2.0);
        // the moments are untouched too: the next step is a first step
        adam.step(p, new double[] {2, -3});
        assertThat(p).containsExactly(new double[] {0.9, 2.1}, within(1e-7));
        adam.reset();
        adam.setLr(0.5);
        adam.step(p, new double[] {1, 1});
        assertThat(p).containsExactly(new double[] {0.4, 1.6}, within(1e-7));
    }

    @Test
    void badSettingsNameTheField() {
        assertThatThrownBy(() -> Adam.builder().setSize(2).build()).hasMessage("Adam: lr must be > 0, got NaN");
        assertThatThrownBy(() -> Adam.builder().setSize(2).setLr(0.1).optBetas(1, 0.9).build())
                .hasMessageContaining("betas must be in [0, 1)");
        assertThatThrownBy(() -> Adam.builder().setSize(2).setLr(0.1).optClipNorm(-1).build())
                .hasMessageContaining("clip norm must be ≥ 0");
        assertThatThrownBy(() -> new Adam(2, 0.1).setLr(0)).hasMessageContaining("must be > 0, got 0.0");
    }
}
