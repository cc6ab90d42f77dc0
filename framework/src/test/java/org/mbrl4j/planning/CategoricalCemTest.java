package org.mbrl4j.planning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.mbrl4j.env.Box;
import org.mbrl4j.env.Discrete;

/** CEM over categorical sequences on objectives whose optimum is known. */
class CategoricalCemTest {
    private static final int H = 12;
    /** The hidden sequence, in the values of Discrete(3, start −1). */
    private static final int[] TARGET = {1, -1, 0, 0, 1, 1, -1, 0, 1, -1, -1, 0};

    private static SequenceObjective matches() {
        return (n, seqs, values) -> {
            for (int i = 0; i < n; i++) {
                int m = 0;
                for (int h = 0; h < H; h++) {
                    m += seqs[i * H + h] == TARGET[h] ? 1 : 0;
                }
                values[i] = m;
            }
        };
    }

    @Test
    void findsAHiddenSequenceThatRandomShootingWithTheSameBudgetMisses() {
        Discrete space = new Discrete(3, -1);
        List<TrajectoryOptimizer.Iteration> its = new ArrayList<>();
        CategoricalCem cem = CategoricalCem.builder().setHorizon(H).setActions(space).optPopulation(200).optElites(20)
                .optIterations(8).optListener(its::add).build();
        double[] best = cem.optimize(matches(), null, new SplittableRandom(3));
        assertThat(best).containsExactly(java.util.Arrays.stream(TARGET).asDoubleStream().toArray());
        assertThat(its).hasSize(8);
        assertThat(its.get(7).best()).isEqualTo(H);
        assertThat(its.get(7).std()).as("the distribution concentrates").isLessThan(its.get(0).std());
        // 1600 uniform draws of 3^12 = 531441 sequences: the chance that one matches all 12 is 0.3 %
        TrajectoryOptimizer random = Planners.create("random-discrete",
                new PlannerProvider.Settings(space, H, 200, 8, null), "test");
        double[] r = random.optimize(matches(), null, new SplittableRandom(3));
        double[] v = new double[1];
        matches().evaluate(1, r, v);
        assertThat(v[0]).as("random shooting's best").isLessThan(H);
        assertThat(java.util.Arrays.stream(r).allMatch(a -> a == -1 || a == 0 || a == 1)).as("values of the space").isTrue();
    }

    @Test
    void mppisRewardWeightedUpdateFindsTheHiddenSequenceWhereFlatWeightsDoNot() {
        Discrete space = new Discrete(3, -1);
        double[] best = Planners.create("mppi-discrete", new PlannerProvider.Settings(space, H, 200, 8, null), "test")
                .optimize(matches(), null, new SplittableRandom(3));
        assertThat(best).containsExactly(java.util.Arrays.stream(TARGET).asDoubleStream().toArray());
        // a flat temperature spreads the weight over every sample: the distribution stays wide and the sequence is missed
        List<TrajectoryOptimizer.Iteration> its = new ArrayList<>();
        double[] flat = CategoricalCem.builder().setHorizon(H).setActions(space).optPopulation(200).optIterations(8)
                .optGamma(1e-6).optListener(its::add).build().optimize(matches(), null, new SplittableRandom(3));
        double[] v = new double[1];
        matches().evaluate(1, flat, v);
        assertThat(v[0]).isLessThan(H);
        assertThat(its.get(7).std()).as("near-uniform weights keep the spread").isGreaterThan(0.9 * its.get(0).std());
        assertThatThrownBy(() -> CategoricalCem.builder().setHorizon(2).setActions(space).optGamma(-1).build())
                .hasMessageContaining("gamma must be finite ≥ 0");
    }

    @Test
    void underNoisyScoresTheElitesVoteRecoversTheSequenceWhereTheLuckiestSampleDoesNot() {
        // each evaluation adds noise of standard deviation 2 matches, as particle rollouts through a model do
        Discrete space = new Discrete(3, -1);
        SplittableRandom noise = new SplittableRandom(11);
        double[] lucky = new double[H];
        double[] luckiest = {Double.NEGATIVE_INFINITY};
        SequenceObjective noisy = (n, seqs, values) -> {
            matches().evaluate(n, seqs, values);
            for (int i = 0; i < n; i++) {
                values[i] += 2 * noise.nextGaussian();
                if (values[i] > luckiest[0]) {
                    luckiest[0] = values[i];
                    System.arraycopy(seqs, i * H, lucky, 0, H);
                }
            }
        };
        double[] vote = CategoricalCem.builder().setHorizon(H).setActions(space).optPopulation(200).optElites(20)
                .optIterations(6).build().optimize(noisy, null, new SplittableRandom(4));
        double[] v = new double[2];
        matches().evaluate(2, concat(vote, lucky), v);
        assertThat(v[0]).as("matches of the vote").isGreaterThanOrEqualTo(H - 1);
        assertThat(v[1]).as("matches of the best-scored sample").isLessThan(v[0]);
    }

    private static double[] concat(double[] a, double[] b) {
        double[] c = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    @Test
    void picksTheBetterOfTwoModes() {
        // all-0 scores up to 10, all-2 up to 12; every step's action counts towards its mode
        SequenceObjective twoModes = (n, seqs, values) -> {
            for (int i = 0; i < n; i++) {
                int zeros = 0;
                int twos = 0;
                for (int h = 0; h < 10; h++) {
                    zeros += seqs[i * 10 + h] == 0 ? 1 : 0;
                    twos += seqs[i * 10 + h] == 2 ? 1 : 0;
                }
                values[i] = Math.max(zeros, 1.2 * twos);
            }
        };
        for (long seed = 0; seed < 5; seed++) {
            double[] best = CategoricalCem.builder().setHorizon(10).setActions(new Discrete(3)).optPopulation(100)
                    .optElites(10).optIterations(10).build().optimize(twoModes, null, new SplittableRandom(seed));
            assertThat(best).as("seed %d", seed).containsOnly(2.0);
        }
    }

    @Test
    void theWarmStartIsACandidateAndValuesOutsideTheSpaceAreClamped() {
        // a single-sample planner cannot improve on the warm start, which scores best: it must come back unchanged
        double[] warm = java.util.Arrays.stream(TARGET).asDoubleStream().toArray();
        double[] got = CategoricalCem.builder().setHorizon(H).setActions(new Discrete(3, -1)).optPopulation(1)
                .optElites(1).optIterations(1).build().optimize(matches(), warm, new SplittableRandom(0));
        assertThat(got).containsExactly(warm);
        double[] clamped = CategoricalCem.builder().setHorizon(3).setActions(new Discrete(2, 5)).optPopulation(1)
                .optElites(1).optIterations(1).build().optimize((n, s, v) -> {
                    for (int i = 0; i < n; i++) {
                        v[i] = i;
                    }
                }, new double[] {0, 9, 5.4}, new SplittableRandom(0));
        assertThat(clamped).containsExactly(5, 6, 5);
    }

    @Test
    void spacesAndSettingsAreChecked() {
        assertThat(Planners.find("cem-discrete", new Discrete(2), "CartPole-v1").accepted()).isEqualTo("Discrete actions");
        assertThatThrownBy(() -> Planners.find("cem-discrete", new Box(new double[] {-1}, new double[] {1}), "Pendulum-v1"))
                .hasMessage("cem-discrete plans over Discrete actions; Pendulum-v1 has " + new Box(new double[] {-1},
                        new double[] {1}) + "; accepted: cem, icem, mppi, random");
        assertThatThrownBy(() -> CategoricalCem.builder().setHorizon(5).setActions(new Discrete(1)).build())
                .hasMessageContaining("at least 2 actions");
        assertThatThrownBy(() -> CategoricalCem.builder().setHorizon(5).setActions(new Discrete(4)).optFloor(0.3).build())
                .hasMessage("CategoricalCem: floor must be ≥ 0 and below 1/4, got 0.3");
    }
}
