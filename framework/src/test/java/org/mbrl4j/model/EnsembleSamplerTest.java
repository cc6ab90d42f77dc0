package org.mbrl4j.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.mbrl4j.data.TransitionDataset;
import org.mbrl4j.model.DynamicsModel.Propagation;

/**
 * The batched imagination path gives what {@link DynamicsModel#sample} gives, on random inputs, for every propagation
 * mode, with and without reward head, delta targets, input and target normalisation, soft log-σ bounds and one-hot
 * actions, on one and on two threads, and after the weights change.
 */
class EnsembleSamplerTest {
    private static final int OBS = 5;

    private static Ensemble model(boolean rewardHead, boolean delta, boolean normalize, boolean soft, int choices, long seed) {
        Ensemble e = Ensemble.builder().setObsDim(OBS).setActDim(choices > 0 ? 1 : 2).optSize(4).optHidden(24, 16)
                .optActivation(GaussianMlp.Activation.SILU).optDeltaTargets(delta, 1).optNormalizeInputs(normalize)
                .optNormalizeTargets(normalize).optRewardHead(rewardHead).optSoftLogStdBounds(soft)
                .optOneHotActions(choices, choices > 0 ? -1 : 0).setRandom(new SplittableRandom(seed)).build();
        if (normalize) {
            e.fitNormalizers(data(e, 300, choices, new SplittableRandom(seed + 1)));
        }
        return e;
    }

    /** Random transitions with observations far from standard (so normalisation matters). */
    private static TransitionDataset data(Ensemble e, int n, int choices, SplittableRandom rng) {
        int a = e.actDim();
        double[] obs = rng.doubles((long) n * OBS, -3, 7).toArray();
        double[] act = new double[n * a];
        for (int i = 0; i < act.length; i++) {
            act[i] = choices > 0 ? rng.nextInt(choices) - 1 : rng.nextDouble(-2, 2);
        }
        double[] next = rng.doubles((long) n * OBS, -3, 7).toArray();
        double[] rew = rng.doubles(n, -10, 0).toArray();
        return TransitionDataset.of(OBS, a, obs, act, next, rew, new boolean[n], new boolean[n], new int[n]);
    }

    /** Equal to 1e-12 relative (σ under soft bounds comes from an equal closed form; the rest is bit for bit). */
    private static void assertClose(double[] actual, double[] expected, String what) {
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < actual.length; i++) {
            assertThat(actual[i]).as("%s, value %d", what, i).isCloseTo(expected[i],
                    org.assertj.core.api.Assertions.within(1e-12 * Math.max(1, Math.abs(expected[i]))));
        }
    }

    @Test
    void theBatchedPathSamplesWhatThePredictionPathSamples() {
        int rows = 150;
        int cases = 0;
        for (Propagation mode : Propagation.values()) {
            for (int variant = 0; variant < 8; variant++) {
                boolean rewardHead = (variant & 1) != 0;
                boolean delta = (variant & 2) != 0;
                boolean normalize = (variant & 4) != 0;
                for (int choices : new int[] {0, 3}) {
                    for (int threads = 1; threads <= 2; threads++) {
                        long seed = 31L * cases + 7;
                        Ensemble e = model(rewardHead, delta, normalize, variant % 3 != 0, choices, seed);
                        if (variant == 5) {
                            e.train(data(e, 200, choices, new SplittableRandom(seed)), data(e, 60, choices,
                                    new SplittableRandom(seed + 2)), t -> new org.mbrl4j.objective.Nll(), ModelTrainer
                                    .builder().optEpochs(1).optBatchSize(50).build(), seed);
                        }
                        TransitionDataset in = data(e, rows, choices, new SplittableRandom(seed + 3));
                        double[] obs = in.columns("obs");
                        double[] act = in.columns("act");
                        int[] members = e.assignMembers(rows, new SplittableRandom(seed + 4));
                        double[] expected = e.sample(obs, act, rows, mode, members, new SplittableRandom(seed + 5));
                        try (DynamicsModel.Sampler s = e.sampler(rows, mode, threads)) {
                            double[] out = new double[expected.length];
                            // twice: buffers reused give the same again
                            for (int rep = 0; rep < 2; rep++) {
                                s.sample(obs, act, members, new SplittableRandom(seed + 5), out);
                                assertClose(out, expected, mode + " variant " + variant + " choices " + choices + " threads "
                                        + threads);
                            }
                            // the sampler reads the weights live: a changed member changes its samples
                            GaussianMlp m = e.member(e.elites()[0]);
                            double[] p = m.getParams();
                            for (int i = 0; i < p.length; i++) {
                                p[i] *= 1.5;
                            }
                            m.setParams(p);
                            double[] changed = e.sample(obs, act, rows, mode, members, new SplittableRandom(seed + 5));
                            s.sample(obs, act, members, new SplittableRandom(seed + 5), out);
                            assertClose(out, changed, "changed weights");
                            assertThat(changed).isNotEqualTo(expected);
                        }
                        e.close();
                        cases++;
                    }
                }
            }
        }
        assertThat(cases).isEqualTo(3 * 8 * 2 * 2);
    }
}
