package org.mbrl4j.planning;

import org.mbrl4j.env.TerminationFn;

import org.mbrl4j.env.RewardFn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.mbrl4j.model.DynamicsModel;

class CemTest {

    @Test
    void findsTheOptimumOfAQuadratic() {
        double[] target = {0.3, -0.7, 0.1, 0.9, -0.2, 0.5};
        List<TrajectoryOptimizer.Iteration> its = new ArrayList<>();
        Cem cem = Cem.builder().setHorizon(3).setActionBounds(new double[] {-1, -1}, new double[] {1, 1})
                .optPopulation(300).optIterations(12).optListener(its::add).build();
        double[] x = cem.optimize((n, s, v) -> {
            for (int i = 0; i < n; i++) {
                double d = 0;
                for (int j = 0; j < 6; j++) {
                    d += (s[i * 6 + j] - target[j]) * (s[i * 6 + j] - target[j]);
                }
                v[i] = -d;
            }
        }, null, new SplittableRandom(1));
        for (int j = 0; j < 6; j++) {
            assertThat(x[j]).isCloseTo(target[j], within(0.02));
        }
        assertThat(its).hasSize(12);
        assertThat(its.get(11).std()).isLessThan(its.get(0).std());
        assertThat(its.get(11).best()).isGreaterThanOrEqualTo(its.get(0).best());
    }

    @Test
    void prefersTheHigherOfTwoModes() {
        // a low wide bump at −0.6 and a higher narrow one at +0.6
        SequenceObjective f = (n, s, v) -> {
            for (int i = 0; i < n; i++) {
                double a = s[i];
                v[i] = Math.exp(-(a + 0.6) * (a + 0.6) / 0.1) + 1.5 * Math.exp(-(a - 0.6) * (a - 0.6) / 0.02);
            }
        };
        double[] x = Cem.builder().setHorizon(1).setActionBounds(new double[] {-1}, new double[] {1}).optPopulation(400)
                .optIterations(8).build().optimize(f, new double[] {0}, new SplittableRandom(3));
        assertThat(x[0]).isCloseTo(0.6, within(0.05));
    }

    @Test
    void badSettingsAreNamed() {
        assertThatThrownBy(() -> Cem.builder().setHorizon(0).build()).hasMessageContaining("horizon");
        assertThatThrownBy(() -> Cem.builder().setHorizon(2).setActionBounds(new double[] {0}, new double[] {Double.POSITIVE_INFINITY})
                .build()).hasMessageContaining("finite");
    }

    /** Member k of this fake ensemble adds k + action to every observation component, deterministically. */
    static final class ShiftModel implements DynamicsModel {
        final int members;

        ShiftModel(int members) {
            this.members = members;
        }

        @Override
        public int obsDim() {
            return 1;
        }

        @Override
        public int actDim() {
            return 1;
        }

        @Override
        public int size() {
            return members;
        }

        @Override
        public int[] elites() {
            return java.util.stream.IntStream.range(0, members).toArray();
        }

        @Override
        public Prediction predict(double[] obs, double[] act, int n, Propagation mode, int[] assign, RandomGenerator rng) {
            double[] mean = new double[n];
            for (int i = 0; i < n; i++) {
                double shift = switch (mode) {
                    case TSINF -> assign[i];
                    case TS1 -> rng.nextInt(members);
                    case EXPECTATION -> (members - 1) / 2.0;
                };
                mean[i] = obs[i] + shift + act[i];
            }
            return new Prediction(n, 1, mean, new double[n]);
        }
    }

    @Test
    void modelEnvPropagationModesDifferAsSpecified() {
        RewardFn lastObs = (n, o, a, x, out) -> System.arraycopy(x, 0, out, 0, n);
        int horizon = 4;
        double[] seq = new double[horizon];
        double[] v = new double[1];
        // expectation: every particle moves by the mean shift (1.5 per step for 4 members): return 1.5+3+4.5+6 = 15
        new ModelEnv(new ShiftModel(4), lastObs, null, DynamicsModel.Propagation.EXPECTATION, 8)
                .evaluate(new double[] {0}, 1, seq, new SplittableRandom(0), v);
        assertThat(v[0]).isCloseTo(15, within(1e-12));
        // TS∞ with one particle: one member for the whole horizon, so the return is 10·k for some k in 0..3
        for (long seed = 0; seed < 20; seed++) {
            new ModelEnv(new ShiftModel(4), lastObs, null, DynamicsModel.Propagation.TSINF, 1)
                    .evaluate(new double[] {0}, 1, seq, new SplittableRandom(seed), v);
            assertThat(v[0] % 10).isZero();
        }
        // TS1 redraws members every step: returns that are not multiples of 10 appear
        boolean mixed = false;
        for (long seed = 0; seed < 20; seed++) {
            new ModelEnv(new ShiftModel(4), lastObs, null, DynamicsModel.Propagation.TS1, 1)
                    .evaluate(new double[] {0}, 1, seq, new SplittableRandom(seed), v);
            mixed |= v[0] % 10 != 0;
        }
        assertThat(mixed).isTrue();
        // terminated particles stop accumulating: terminate once the observation exceeds 2.5 (after step 2 of +1.5)
        TerminationFn over = (n, o, a, x, out) -> {
            for (int i = 0; i < n; i++) {
                out[i] = x[i] > 2.5;
            }
        };
        new ModelEnv(new ShiftModel(4), lastObs, over, DynamicsModel.Propagation.EXPECTATION, 1)
                .evaluate(new double[] {0}, 1, seq, new SplittableRandom(0), v);
        assertThat(v[0]).isCloseTo(1.5 + 3, within(1e-12));
    }
}
