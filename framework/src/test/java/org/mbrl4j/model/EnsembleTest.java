package org.mbrl4j.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.mbrl4j.data.TransitionDataset;
import org.mbrl4j.model.DynamicsModel.Prediction;
import org.mbrl4j.model.DynamicsModel.Propagation;
import org.mbrl4j.objective.Nll;

class EnsembleTest {

    private static Ensemble trained(int size, int elites) {
        Ensemble e = Ensemble.builder().setObsDim(3).setActDim(1).optSize(size).optElites(elites).optHidden(16)
                .optDeltaTargets(true).optNormalizeInputs(true).setRandom(new SplittableRandom(5)).build();
        e.train(ModelPersistenceTest.dataset(400, 1), ModelPersistenceTest.dataset(200, 2), t -> new Nll(),
                ModelTrainer.builder().setSeed(1).optEpochs(150).optLr(1e-2).build(), 3);
        return e;
    }

    /** Two-dimensional observations, actions in {−1, 0, 1}: the next observation moves by the action. */
    private static TransitionDataset discrete(int n, boolean skipOne) {
        SplittableRandom r = new SplittableRandom(4);
        double[] obs = new double[2 * n];
        double[] act = new double[n];
        double[] next = new double[2 * n];
        for (int i = 0; i < n; i++) {
            obs[2 * i] = r.nextDouble();
            obs[2 * i + 1] = r.nextDouble();
            act[i] = skipOne ? (i % 2 == 0 ? -1 : 0) : r.nextInt(3) - 1;
            next[2 * i] = obs[2 * i] + 0.1 * act[i];
            next[2 * i + 1] = obs[2 * i + 1];
        }
        return TransitionDataset.of(2, 1, obs, act, next, new double[n], new boolean[n], new boolean[n], new int[n]);
    }

    @Test
    void discreteActionsEnterAsOneHotCodesThroughNormalisationAndCheckpoints(@org.junit.jupiter.api.io.TempDir
            java.nio.file.Path dir) {
        Ensemble raw = Ensemble.builder().setObsDim(2).setActDim(1).optSize(1).optHidden(8).optOneHotActions(3, -1)
                .setRandom(new SplittableRandom(1)).build();
        TransitionDataset d = discrete(6, false);
        double[] in = raw.data(0, d).inputs().castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).data().asDouble();
        assertThat(raw.member(0).inputs()).isEqualTo(5);
        for (int r = 0; r < 6; r++) {
            double[] code = java.util.Arrays.copyOfRange(in, r * 5 + 2, r * 5 + 5);
            double[] expected = new double[3];
            expected[(int) d.action(r)[0] + 1] = 1;
            assertThat(code).as("row %d, action %s", r, d.action(r)[0]).containsExactly(expected);
        }
        // normalised: each column keeps two values, the hot one the larger; a never-taken action's column stays 0
        Ensemble norm = Ensemble.builder().setObsDim(2).setActDim(1).optSize(1).optHidden(8).optOneHotActions(3, -1)
                .optNormalizeInputs(true).setRandom(new SplittableRandom(1)).build();
        TransitionDataset skip = discrete(40, true);
        norm.fitNormalizers(skip);
        double[] z = norm.data(0, skip).inputs().castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).data().asDouble();
        for (int r = 0; r < 40; r++) {
            double hot = z[r * 5 + 2 + (int) skip.action(r)[0] + 1];
            double cold = z[r * 5 + 2 + (skip.action(r)[0] == -1 ? 1 : 0)];
            assertThat(hot).isGreaterThan(cold);
            assertThat(z[r * 5 + 4]).as("action 1 is never taken").isEqualTo(0.0);
        }
        assertThatThrownBy(() -> raw.predict(new double[] {0.5, 0.5}, new double[] {2}, 1, Propagation.EXPECTATION, null,
                new SplittableRandom(0))).hasMessage("action 2.0 is not one of the model's discrete actions -1..1");
        assertThatThrownBy(() -> raw.predict(new double[] {0.5, 0.5}, new double[] {0.5}, 1, Propagation.EXPECTATION, null,
                new SplittableRandom(0))).hasMessageContaining("action 0.5 is not one");
        java.nio.file.Path f = dir.resolve("m.json");
        raw.save(f, org.mbrl4j.event.Provenance.capture(0, java.util.List.of(), java.util.Map.of()));
        Ensemble back = Ensemble.load(f);
        for (double a : new double[] {-1, 0, 1}) {
            assertThat(back.predict(new double[] {0.3, 0.7}, new double[] {a}, 1, Propagation.EXPECTATION, null,
                    new SplittableRandom(0)).mean()).containsExactly(raw.predict(new double[] {0.3, 0.7}, new double[] {a},
                    1, Propagation.EXPECTATION, null, new SplittableRandom(0)).mean());
        }
        assertThatThrownBy(() -> Ensemble.builder().setObsDim(2).setActDim(2).optOneHotActions(3, 0)
                .setRandom(new SplittableRandom(1)).build()).hasMessageContaining("one-hot actions need one action value");
    }

    @Test
    void closingFreesEveryMemberAndLaterUseFailsClearly() {
        Ensemble e = Ensemble.builder().setObsDim(3).setActDim(1).optSize(2).optHidden(8)
                .setRandom(new SplittableRandom(1)).build();
        Prediction before = e.predict(new double[] {1, 2, 3}, new double[] {0.5}, 1, Propagation.EXPECTATION, null,
                new SplittableRandom(0));
        assertThat(before.mean()).hasSize(3);
        try (DynamicsModel m = e) {
            assertThat(e.member(0).isClosed()).isFalse();
        }
        assertThat(e.member(0).isClosed()).isTrue();
        assertThat(e.member(1).isClosed()).isTrue();
        assertThatThrownBy(() -> e.predict(new double[] {1, 2, 3}, new double[] {0.5}, 1, Propagation.EXPECTATION, null,
                new SplittableRandom(0))).hasMessage("this GaussianMlp is closed: its native buffers are freed");
        e.close();
        GaussianMlp single = GaussianMlp.builder().setInputs(2).setOutputs(1).optHidden(4).setSeed(0).build();
        single.forward(single.inputs(new double[] {1, 2}, 1));
        single.close();
        assertThatThrownBy(() -> single.newPass(3)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void propagationModesDifferAsSpecified() {
        Ensemble e = trained(4, 4);
        int n = 64;
        double[] obs = new double[n * 3];
        double[] act = new double[n];
        for (int i = 0; i < n; i++) {
            obs[3 * i] = 0.5;
            obs[3 * i + 1] = 1.0;
            obs[3 * i + 2] = 5.5;
            act[i] = 0.3;
        }
        // identical rows: TS∞ with member k must equal member k's own prediction, row for row
        int[] assign = new int[n];
        for (int i = 0; i < n; i++) {
            assign[i] = i % 4;
        }
        Prediction inf = e.predict(obs, act, n, Propagation.TSINF, assign, null);
        for (int i = 4; i < n; i++) {
            for (int j = 0; j < 3; j++) {
                assertThat(inf.mean()[i * 3 + j]).isEqualTo(inf.mean()[(i % 4) * 3 + j]);
            }
        }
        assertThat(inf.mean()[0]).as("members differ").isNotEqualTo(inf.mean()[3]);
        // TS1 draws members at random: every row equals one of the four member predictions, and more than one is used
        Prediction ts1 = e.predict(obs, act, n, Propagation.TS1, null, new SplittableRandom(0));
        java.util.Set<Double> seen = new java.util.HashSet<>();
        for (int i = 0; i < n; i++) {
            double v = ts1.mean()[i * 3];
            assertThat(v).isIn(inf.mean()[0], inf.mean()[3], inf.mean()[6], inf.mean()[9]);
            seen.add(v);
        }
        assertThat(seen).hasSizeGreaterThan(1);
        // expectation: the mean of the member means; variance includes the spread of the means
        Prediction ex = e.predict(obs, act, n, Propagation.EXPECTATION, null, null);
        double mean = (inf.mean()[0] + inf.mean()[3] + inf.mean()[6] + inf.mean()[9]) / 4;
        assertThat(ex.mean()[0]).isCloseTo(mean, within(1e-9));
        double minStd = Math.min(Math.min(inf.std()[0], inf.std()[3]), Math.min(inf.std()[6], inf.std()[9]));
        assertThat(ex.std()[0]).isGreaterThanOrEqualTo(minStd);
        // and it learned the system: s0' = 0.9 s0 + 0.1 a
        assertThat(ex.mean()[0]).isCloseTo(0.9 * 0.5 + 0.1 * 0.3, within(0.05));
        assertThatThrownBy(() -> e.predict(obs, act, n, Propagation.TSINF, null, null)).hasMessageContaining("member index per row");
    }

    @Test
    void elitesAreTheBestMembersByValidationNll() {
        Ensemble e = trained(5, 2);
        assertThat(e.elites()).hasSize(2);
        TransitionDataset val = ModelPersistenceTest.dataset(200, 2);
        double[] nll = new double[5];
        for (int k = 0; k < 5; k++) {
            nll[k] = ModelTrainer.evaluate(e.member(k), new Nll(), e.data(k, val), new SplittableRandom(0)).get("nll");
        }
        double worstElite = Math.max(nll[e.elites()[0]], nll[e.elites()[1]]);
        for (int k = 0; k < 5; k++) {
            if (k != e.elites()[0] && k != e.elites()[1]) {
                assertThat(nll[k]).isGreaterThanOrEqualTo(worstElite);
            }
        }
    }

    @Test
    void electingElitesWithAnObjectiveThatReportsNoNllFailsNamingIt() {
        Ensemble e = Ensemble.builder().setObsDim(3).setActDim(1).optSize(3).optElites(2).optHidden(8)
                .setRandom(new SplittableRandom(1)).build();
        org.mbrl4j.objective.Objective noNll = new org.mbrl4j.objective.Objective() {
            @Override
            public String name() {
                return "no-nll";
            }

            @Override
            public Evaluation evaluate(org.mbrl4j.objective.GaussianOutput out, double[] y,
                    java.util.random.RandomGenerator rng, double[] dm, double[] dl) {
                Evaluation ev = new Nll().evaluate(out, y, rng, dm, dl);
                java.util.Map<String, Double> m = new java.util.LinkedHashMap<>(ev.metrics());
                m.remove("nll");
                return new Evaluation(ev.loss(), m);
            }
        };
        ModelTrainer trainer = ModelTrainer.builder().setSeed(1).optEpochs(1).build();
        assertThatThrownBy(() -> e.train(ModelPersistenceTest.dataset(50, 1), ModelPersistenceTest.dataset(20, 2),
                t -> noNll, trainer, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("objective no-nll reports no 'nll' metric");
    }

    @Test
    void deltaTargetsArePredictedRelativeToTheObservation() {
        Ensemble e = Ensemble.builder().setObsDim(3).setActDim(1).optDeltaTargets(true, 2).setRandom(new SplittableRandom(1)).build();
        TransitionDataset d = ModelPersistenceTest.dataset(5, 1);
        double[] t = e.targets(d);
        assertThat(t[0]).isCloseTo(d.nextObs(0)[0] - d.obs(0)[0], within(1e-12));
        assertThat(t[2]).isEqualTo(d.nextObs(0)[2]);
    }

    /** The linear system of {@link ModelPersistenceTest#dataset} with a nonlinear reward −(s0² + 0.1 a²). */
    private static TransitionDataset rewarded(int n, long seed, java.nio.file.Path file) {
        SplittableRandom r = new SplittableRandom(seed);
        try (TransitionDataset.Writer w = TransitionDataset.writer(file, 3, 1)) {
            for (int i = 0; i < n; i++) {
                double[] s = {r.nextDouble() * 2 - 1, r.nextDouble() * 2, 5 + r.nextDouble()};
                double[] a = {r.nextDouble() * 2 - 1};
                double[] s2 = {0.9 * s[0] + 0.1 * a[0], 0.9 * s[1] - 0.2 * a[0], s[2] + 0.05 * a[0]};
                w.add(s, a, s2, -(s[0] * s[0] + 0.1 * a[0] * a[0]), false, false, 0);
            }
            w.commit();
        }
        return TransitionDataset.read(file);
    }

    @Test
    void aRewardHeadLearnsTheRewardAndReplacesTheRewardFunctionInPlanning(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        TransitionDataset train = rewarded(800, 1, dir.resolve("train.csv"));
        TransitionDataset val = rewarded(300, 2, dir.resolve("val.csv"));
        Ensemble e = Ensemble.builder().setObsDim(3).setActDim(1).optSize(2).optHidden(32, 32).optDeltaTargets(true)
                .optNormalizeInputs(true).optNormalizeTargets(true).optRewardHead(true).setRandom(new SplittableRandom(5))
                .build();
        assertThat(e.predictsReward()).isTrue();
        assertThat(e.targets(train)).hasSize(train.size() * 4);
        assertThat(e.targets(train)[3]).isEqualTo(train.reward(0));
        e.train(train, val, t -> new Nll(), ModelTrainer.builder().setSeed(1).optEpochs(100).optBatchSize(32).optLr(3e-3).build(), 3);
        int n = val.size();
        Prediction p = e.predict(val.columns("obs"), val.columns("act"), n, Propagation.EXPECTATION, null, null);
        assertThat(p.dim()).isEqualTo(4);
        double err = 0;
        double var = 0;
        double mean = java.util.Arrays.stream(val.columns("reward")).average().orElseThrow();
        for (int i = 0; i < n; i++) {
            err += Math.pow(p.mean()[i * 4 + 3] - val.reward(i), 2) / n;
            var += Math.pow(val.reward(i) - mean, 2) / n;
            assertThat(p.mean()[i * 4]).as("next s0 of row %d", i).isCloseTo(val.nextObs(i)[0], within(0.05));
        }
        assertThat(Math.sqrt(err)).as("reward RMSE vs the reward's std %s", Math.sqrt(var)).isLessThan(0.1 * Math.sqrt(var));

        java.nio.file.Path f = dir.resolve("m.json");
        e.save(f, org.mbrl4j.event.Provenance.capture(0, java.util.List.of(), java.util.Map.of()));
        Ensemble back = Ensemble.load(f);
        assertThat(back.predictsReward()).isTrue();
        assertThat(back.predict(val.columns("obs"), val.columns("act"), n, Propagation.EXPECTATION, null, null).mean())
                .containsExactly(p.mean());

        // planning with the head: the same sampled trajectories as with the true reward function, rewards predicted
        org.mbrl4j.env.RewardFn truth = (rows, obs, act, next, out) -> {
            for (int i = 0; i < rows; i++) {
                out[i] = -(obs[i * 3] * obs[i * 3] + 0.1 * act[i] * act[i]);
            }
        };
        int horizon = 5;
        int seqs = 8;
        double[] sequences = new double[seqs * horizon];
        SplittableRandom r = new SplittableRandom(9);
        for (int i = 0; i < sequences.length; i++) {
            sequences[i] = r.nextDouble() * 2 - 1;
        }
        double[] obs0 = {0.6, 1.0, 5.5};
        double[] learned = new double[seqs];
        double[] exact = new double[seqs];
        new org.mbrl4j.planning.ModelEnv(e, null, null, Propagation.TSINF, 4).evaluate(obs0, seqs, sequences,
                new SplittableRandom(3), learned);
        new org.mbrl4j.planning.ModelEnv(e, truth, null, Propagation.TSINF, 4).evaluate(obs0, seqs, sequences,
                new SplittableRandom(3), exact);
        for (int i = 0; i < seqs; i++) {
            assertThat(learned[i]).as("sequence %d", i).isCloseTo(exact[i], within(0.05 * Math.abs(exact[i]) + 0.05));
        }
        assertThat(learned).as("the head's rewards are used, not the function's").isNotEqualTo(exact);
        Ensemble plain = trained(1, 1);
        assertThatThrownBy(() -> new org.mbrl4j.planning.ModelEnv(plain, null, null, Propagation.TSINF, 4))
                .hasMessageContaining("reward function or a model with a reward head");
    }

    @Test
    void passesEvictedFromTheBatchSizeCacheFreeTheirNativeBuffersAtOnce() {
        GaussianMlp m = GaussianMlp.builder().setInputs(3).setOutputs(2).optHidden(8, 8).setSeed(1).build();
        m.forward(org.nd4j.linalg.factory.Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 7, 3));
        GaussianMlp.Pass first = m.lastPass();
        for (int n = 8; n < 30; n++) {
            m.forward(org.nd4j.linalg.factory.Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, n, 3));
            assertThat(m.lastPass().head.wasClosed()).isFalse();
        }
        assertThat(first.head.wasClosed()).as("a pass evicted (iCEM's changing batch sizes) is closed, not left to the GC")
                .isTrue();
        assertThat(first.z[0].wasClosed()).isTrue();
        assertThat(first.grad.wasClosed()).isTrue();
    }
}
