package org.mbrl4j.planning;

import org.mbrl4j.env.RewardFn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.mbrl4j.random.ZigguratNormal;

/** Random shooting, MPPI and iCEM on known objectives, and iCEM's coloured noise. */
class PlannersTest {
    private static final double[] TARGET = {0.3, -0.7, 0.1, 0.9, -0.2, 0.5};
    private static final double[] LOW = {-1, -1};
    private static final double[] HIGH = {1, 1};

    /** −‖s − target‖² over a horizon of 3 with 2 action dimensions. */
    private static final SequenceObjective QUADRATIC = (n, s, v) -> {
        for (int i = 0; i < n; i++) {
            double d = 0;
            for (int j = 0; j < 6; j++) {
                d += (s[i * 6 + j] - TARGET[j]) * (s[i * 6 + j] - TARGET[j]);
            }
            v[i] = -d;
        }
    };

    /** A low wide bump at −0.6 and a higher narrow one at +0.6, horizon 1, one dimension. */
    private static final SequenceObjective TWO_MODES = (n, s, v) -> {
        for (int i = 0; i < n; i++) {
            double a = s[i];
            v[i] = Math.exp(-(a + 0.6) * (a + 0.6) / 0.1) + 1.5 * Math.exp(-(a - 0.6) * (a - 0.6) / 0.02);
        }
    };

    private static double distance(double[] x) {
        double d = 0;
        for (int j = 0; j < 6; j++) {
            d += (x[j] - TARGET[j]) * (x[j] - TARGET[j]);
        }
        return Math.sqrt(d);
    }

    @Test
    void randomShootingReturnsTheBestSampleAndKeepsAGoodWarmStart() {
        RandomShooting rs = RandomShooting.builder().setHorizon(3).setActionBounds(LOW, HIGH).optPopulation(5000).build();
        double[] x = rs.optimize(QUADRATIC, null, new SplittableRandom(1));
        assertThat(distance(x)).isLessThan(0.45);
        // the warm start is a candidate: a perfect one is returned unchanged
        assertThat(rs.optimize(QUADRATIC, TARGET, new SplittableRandom(2))).containsExactly(TARGET);
        double[] m = RandomShooting.builder().setHorizon(1).setActionBounds(new double[] {-1}, new double[] {1})
                .optPopulation(400).build().optimize(TWO_MODES, null, new SplittableRandom(3));
        assertThat(m[0]).isCloseTo(0.6, within(0.05));
    }

    @Test
    void mppiConvergesOnAQuadraticAndFindsTheHigherMode() {
        List<TrajectoryOptimizer.Iteration> its = new ArrayList<>();
        double[] x = Mppi.builder().setHorizon(3).setActionBounds(LOW, HIGH).optPopulation(500).optIterations(10)
                .optGamma(50).optSigma(0.1).optBeta(1.0).optListener(its::add).build().optimize(QUADRATIC, null, new SplittableRandom(4));
        assertThat(distance(x)).isLessThan(0.1);
        assertThat(its).hasSize(10);
        assertThat(its.get(9).eliteMean()).isGreaterThan(its.get(0).eliteMean());
        double[] m = Mppi.builder().setHorizon(1).setActionBounds(new double[] {-1}, new double[] {1}).optPopulation(400)
                .optIterations(8).optGamma(50).optSigma(0.4).build().optimize(TWO_MODES, null, new SplittableRandom(5));
        assertThat(m[0]).isCloseTo(0.6, within(0.05));
    }

    @Test
    void icemConvergesOnAQuadraticAndFindsTheHigherMode() {
        List<TrajectoryOptimizer.Iteration> its = new ArrayList<>();
        double[] x = ICem.builder().setHorizon(3).setActionBounds(LOW, HIGH).optIterations(8).optNoiseBeta(0.5)
                .optListener(its::add).build().optimize(QUADRATIC, null, new SplittableRandom(6));
        assertThat(distance(x)).isLessThan(0.05);
        assertThat(its.get(its.size() - 1).std()).isLessThan(its.get(0).std());
        double[] m = ICem.builder().setHorizon(1).setActionBounds(new double[] {-1}, new double[] {1}).optPopulation(400)
                .optIterations(6).build().optimize(TWO_MODES, null, new SplittableRandom(7));
        assertThat(m[0]).isCloseTo(0.6, within(0.05));
    }

    @Test
    void colouredNoiseHasUnitVarianceAndTheRequestedSmoothness() {
        for (int h : new int[] {15, 30}) {
            double lag1White = lagOneCorrelation(new ICem.ColoredNoise(h, 0), h);
            double lag1Red = lagOneCorrelation(new ICem.ColoredNoise(h, 2), h);
            assertThat(lag1White).as("white noise, h = %d", h).isCloseTo(0, within(0.05));
            assertThat(lag1Red).as("1/f² noise, h = %d", h).isGreaterThan(0.6);
        }
    }

    private static double lagOneCorrelation(ICem.ColoredNoise noise, int h) {
        ZigguratNormal z = new ZigguratNormal(new SplittableRandom(11));
        double[] x = new double[h];
        double sum2 = 0;
        double lag = 0;
        int n = 4000;
        for (int i = 0; i < n; i++) {
            noise.sample(z, x);
            for (int t = 0; t < h; t++) {
                sum2 += x[t] * x[t];
                if (t > 0) {
                    lag += x[t] * x[t - 1];
                }
            }
        }
        double var = sum2 / (n * h);
        assertThat(var).as("variance, h = %d", h).isCloseTo(1, within(0.05));
        return lag / (n * (h - 1)) / var;
    }

    @Test
    void badSettingsAreNamed() {
        assertThatThrownBy(() -> Mppi.builder().setHorizon(2).setActionBounds(LOW, HIGH).optBeta(0).build())
                .hasMessageContaining("β in (0, 1]");
        assertThatThrownBy(() -> ICem.builder().setHorizon(2).setActionBounds(LOW, HIGH).optPopulation(5).build())
                .hasMessageContaining("population ≥ 2·elites");
        assertThatThrownBy(() -> RandomShooting.builder().setHorizon(2).setActionBounds(new double[] {1}, new double[] {0})
                .build()).hasMessageContaining("low < high");
        assertThatThrownBy(() -> RandomShooting.builder().setHorizon(2).setActionBounds(LOW, HIGH).build()
                .optimize(QUADRATIC, new double[3], new SplittableRandom(1))).hasMessageContaining("must have 4 values");
    }

    @Test
    void aStateCostSubtractsWeightedSquaresOfObservationDimensionsAndWeightedNamedCosts() {
        RewardFn alive = (n, obs, act, next, out) -> java.util.Arrays.fill(out, 0, n, 1.0);
        RewardFn sum = (n, obs, act, next, out) -> {
            for (int i = 0; i < n; i++) {
                out[i] = next[3 * i] + next[3 * i + 1];
            }
        };
        java.util.Map<String, RewardFn> named = java.util.Map.of("sum", sum);
        RewardFn shaped = alive.withStateCost(java.util.Map.of("0", 0.5, "2", 2.0), 3, named);
        double[] next = {0.4, 9, -1, -2, 9, 0.1};
        double[] out = new double[2];
        shaped.compute(2, new double[6], new double[2], next, out);
        assertThat(out[0]).isCloseTo(1 - 0.5 * 0.16 - 2.0 * 1, within(1e-12));
        assertThat(out[1]).isCloseTo(1 - 0.5 * 4 - 2.0 * 0.01, within(1e-12));
        alive.withStateCost(java.util.Map.of("2", 2.0, "sum", 0.25), 3, named).compute(2, new double[6], new double[2], next, out);
        assertThat(out[0]).isCloseTo(1 - 2.0 * 1 - 0.25 * 9.4, within(1e-12));
        assertThat(out[1]).isCloseTo(1 - 2.0 * 0.01 - 0.25 * 7, within(1e-12));
        assertThat(alive.withStateCost(java.util.Map.of(), 3, named)).isSameAs(alive);
        assertThatThrownBy(() -> alive.withStateCost(java.util.Map.of("3", 1.0), 3, named))
                .hasMessageContaining("state cost 3=1.0").hasMessageContaining("0..2").hasMessageContaining("named cost (sum)");
        assertThatThrownBy(() -> alive.withStateCost(java.util.Map.of("height", 1.0), 3, java.util.Map.of()))
                .hasMessageContaining("state cost height=1.0").hasMessageContaining("0..2");
        assertThatThrownBy(() -> alive.withStateCost(java.util.Map.of("0", Double.NaN), 3, named)).hasMessageContaining("finite ≥ 0");
        assertThatThrownBy(() -> alive.withStateCost(java.util.Map.of("sum", -1.0), 3, named)).hasMessageContaining("finite ≥ 0");
    }
}
