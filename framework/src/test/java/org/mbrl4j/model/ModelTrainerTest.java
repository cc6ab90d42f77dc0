package org.mbrl4j.model;

import org.mbrl4j.objective.GaussianOutput;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.mbrl4j.objective.Nll;
import org.mbrl4j.objective.Objective;

class ModelTrainerTest {

    static ModelTrainer.Data linear(GaussianMlp m, int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] x = new double[n * 2];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            x[2 * i] = r.nextDouble() * 2 - 1;
            x[2 * i + 1] = r.nextDouble() * 2 - 1;
            y[i] = 2 * x[2 * i] - x[2 * i + 1] + 0.1 * r.nextGaussian();
        }
        return new ModelTrainer.Data(m.inputs(x, n), y);
    }

    static GaussianMlp small() {
        return GaussianMlp.builder().setInputs(2).setOutputs(1).optHidden(16).setSeed(1).build();
    }

    @Test
    void sameSeedSameWeightsAndMinibatchesShuffleDeterministically() {
        double[][] p = new double[2][];
        for (int k = 0; k < 2; k++) {
            GaussianMlp m = small();
            ModelTrainer.builder().setSeed(3).optEpochs(5).optBatchSize(32).build().train(m, new Nll(), linear(m, 200, 1),
                    null, null);
            p[k] = m.getParams();
        }
        assertThat(p[0]).isEqualTo(p[1]);
        GaussianMlp m = small();
        ModelTrainer.builder().setSeed(4).optEpochs(5).optBatchSize(32).build().train(m, new Nll(), linear(m, 200, 1), null, null);
        assertThat(m.getParams()).isNotEqualTo(p[0]);
    }

    /**
     * An epoch's training RMSE over minibatches is the root of their row-weighted mean square, as over shards: with a
     * learning rate too small to move the weights it is the RMSE of the whole set (the mean of the batches' RMSEs is
     * smaller by Jensen's inequality, here by about 1 %).
     */
    @Test
    void minibatchRmseCombinesAsTheRootOfTheMeanSquare() {
        GaussianMlp m = small();
        ModelTrainer.Data d = linear(m, 103, 5);
        double whole = ModelTrainer.evaluate(m, new Nll(), d, new SplittableRandom(0)).get("rmse");
        ModelTrainer.Result r = ModelTrainer.builder().setSeed(3).optEpochs(1).optBatchSize(10).optLr(1e-15).build()
                .train(m, new Nll(), d, null, null);
        assertThat(r.epochs().get(0).train().get("rmse")).isCloseTo(whole, org.assertj.core.api.Assertions.within(1e-9));
    }

    /**
     * Large batches are split into fixed shards (2 from 4096 rows, 4 from 8192) that threads take in whatever order
     * they finish: the weights must not depend on the thread count, also for PG, whose shards draw their own samples.
     */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(ints = {5000, 9000})
    void shardedStepsGiveTheSameWeightsOnOneAndTwoThreads(int rows) {
        double[][] p = new double[2][];
        for (int threads = 1; threads <= 2; threads++) {
            GaussianMlp m = small();
            Objective pg = org.mbrl4j.objective.PolicyGradient.builder()
                    .setReward(org.mbrl4j.objective.MahalanobisReward.identity(1)).build();
            ModelTrainer.builder().setSeed(5).optEpochs(4).optLr(1e-2).optThreads(threads).build()
                    .train(m, pg, linear(m, rows, 1), null, null);
            p[threads - 1] = m.getParams();
        }
        assertThat(p[1]).isEqualTo(p[0]);
        assertThat(p[0]).isNotEqualTo(small().getParams());
    }

    @Test
    void modelThreadsTakeTheProcessNd4jThreadCount() throws Exception {
        org.nd4j.nativeblas.NativeOps ops = org.nd4j.nativeblas.NativeOpsHolder.getInstance().getDeviceNativeOps();
        int[] seen = new int[2];
        ModelTrainer.setNd4jThreads(1);
        Thread plain = new Thread(() -> seen[0] = ops.ompGetMaxThreads());
        plain.start();
        plain.join();
        Thread model = ModelTrainer.modelThreads("test").newThread(() -> seen[1] = ops.ompGetMaxThreads());
        model.start();
        model.join();
        assertThat(seen[1]).isEqualTo(1);
        if (Runtime.getRuntime().availableProcessors() > 1) {
            // what the factory is for: OpenMP's per-thread default is one thread per core
            assertThat(seen[0]).as("a plain thread keeps OpenMP's default").isGreaterThan(1);
        }
        assertThat(ModelTrainer.modelThreads("pool").newThread(() -> { }).getName()).isEqualTo("pool-1");
    }

    @Test
    void trainingReducesTheLossAndReportsTestMetrics() {
        GaussianMlp m = small();
        ModelTrainer.Result r = ModelTrainer.builder().setSeed(0).optEpochs(300).optLr(1e-2).build()
                .train(m, new Nll(), linear(m, 500, 1), linear(m, 200, 2), linear(m, 200, 3));
        assertThat(r.epochs()).hasSize(300);
        assertThat(r.curve("train", "loss")[299]).isLessThan(r.curve("train", "loss")[0] - 1);
        assertThat(r.test().get("rmse")).isLessThan(0.2);
        assertThat(r.stepMsMedian()).isPositive();
    }

    @Test
    void anEmptySetIsRejectedNamingIt() {
        GaussianMlp m = small();
        ModelTrainer t = ModelTrainer.builder().setSeed(0).optEpochs(2).build();
        double[] before = m.getParams();
        assertThatThrownBy(() -> t.train(m, new Nll(), linear(m, 50, 1), linear(m, 0, 2), null))
                .hasMessageContaining("the validation set is empty; pass null for no validation set");
        assertThatThrownBy(() -> t.train(m, new Nll(), linear(m, 0, 1), null, null))
                .hasMessageContaining("the training set is empty");
        assertThat(m.getParams()).as("nothing trained").isEqualTo(before);
    }

    @Test
    void earlyStoppingRestoresTheBestWeights() {
        GaussianMlp m = small();
        // a validation set with the opposite relation: validation loss rises once training fits the training data
        ModelTrainer.Data train = linear(m, 300, 1);
        double[] wrong = train.targets().clone();
        for (int i = 0; i < wrong.length; i++) {
            wrong[i] = -wrong[i];
        }
        ModelTrainer.Data val = new ModelTrainer.Data(train.inputs(), wrong);
        List<double[]> snapshots = new ArrayList<>();
        ModelTrainer.Result r = ModelTrainer.builder().setSeed(0).optEpochs(200).optLr(1e-2).optEarlyStopping(5)
                .optListener(e -> snapshots.add(m.getParams())).build().train(m, new Nll(), train, val, null);
        assertThat(r.stopReason()).startsWith("early stop");
        assertThat(r.epochs().size()).isLessThan(200);
        double best = r.curve("val", "loss")[r.bestEpoch()];
        for (double v : r.curve("val", "loss")) {
            assertThat(v).isGreaterThanOrEqualTo(best);
        }
        assertThat(m.getParams()).isEqualTo(snapshots.get(r.bestEpoch()));
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource({"mse, ''", "nll, ''", "pg, identity", "pg, full"})
    void everyObjectiveThatDivergesStopsAndRestoresFiniteWeights(String name, String reward) {
        GaussianMlp m = small();
        ModelTrainer.Data d = linear(m, 100, 2);
        java.util.Map<String, Object> options = reward.isEmpty() ? java.util.Map.of() : java.util.Map.of("reward", reward);
        Objective obj = org.mbrl4j.objective.Objective.create(name, options, d.targets(), 1);
        // a learning rate of 1e150 throws the weights out of range within a few updates
        ModelTrainer.Result r = ModelTrainer.builder().setSeed(0).optEpochs(20).optLr(1e150).optClipGradNorm(0).build()
                .train(m, obj, d, null, null);
        assertThat(r.stopReason()).as(name).containsPattern("non-finite (loss|gradient|weights)").contains("restored");
        assertThat(r.epochs().size()).as("stopped early").isLessThan(20);
        double[] restored = m.getParams();
        assertThat(java.util.Arrays.stream(restored).allMatch(Double::isFinite)).as("restored weights are finite").isTrue();
        assertThat(java.util.Arrays.stream(restored).map(Math::abs).max().orElseThrow()).as("not the diverged ones")
                .isLessThan(1e6);
    }

    @Test
    void nonFiniteLossStopsAndRestoresTheLastGoodWeights() {
        GaussianMlp m = small();
        Objective nll = new Nll();
        int[] calls = {0};
        List<double[]> before = new ArrayList<>();
        Objective poisoned = new Objective() {
            @Override
            public String name() {
                return "poisoned";
            }

            @Override
            public Evaluation evaluate(GaussianOutput out, double[] y, RandomGenerator rng, double[] dm, double[] dl) {
                Evaluation e = nll.evaluate(out, y, rng, dm, dl);
                if (dm != null) {
                    before.add(m.getParams());
                    if (++calls[0] == 4) {
                        return new Evaluation(Double.NaN, e.metrics());
                    }
                }
                return e;
            }
        };
        ModelTrainer.Result r = ModelTrainer.builder().setSeed(0).optEpochs(10).build().train(m, poisoned, linear(m, 100, 1),
                null, null);
        assertThat(r.stopReason()).contains("non-finite loss").contains("epoch 3").contains("restored");
        assertThat(r.epochs()).hasSize(3);
        // the weights of the last evaluation whose loss was finite (before the third update)
        assertThat(m.getParams()).isEqualTo(before.get(2));
    }

    @Test
    void plateauScheduleHalvesTheRate() {
        GaussianMlp m = small();
        ModelTrainer.Data train = linear(m, 100, 1);
        // validation targets the model cannot fit: constant loss → plateau
        ModelTrainer.Data val = new ModelTrainer.Data(train.inputs(), new double[100]);
        ModelTrainer.Result r = ModelTrainer.builder().setSeed(0).optEpochs(60).optLr(1e-2).optMonitor("rmse")
                .optReduceLrOnPlateau(0.5, 3, 1e-4).build().train(m, new Nll(), train, val, null);
        double[] lrs = r.epochs().stream().mapToDouble(ModelTrainer.Epoch::lr).toArray();
        assertThat(lrs[0]).isEqualTo(1e-2);
        assertThat(lrs[lrs.length - 1]).isLessThan(1e-2).isGreaterThanOrEqualTo(1e-4);
    }

    @Test
    void builderRejectsBadSettingsNamingThem() {
        assertThatThrownBy(() -> ModelTrainer.builder().optLr(-1).build()).hasMessageContaining("lr must be > 0");
        assertThatThrownBy(() -> ModelTrainer.builder().optEpochs(0).build()).hasMessageContaining("epochs must be ≥ 1");
        assertThatThrownBy(() -> ModelTrainer.builder().optClipGradNorm(-1).build()).hasMessageContaining("clip-grad");
        assertThatThrownBy(() -> GaussianMlp.builder().setInputs(2).setOutputs(1).build())
                .hasMessageContaining("random generator");
    }
}
