package org.mbrl4j.paper.classification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mbrl4j.bilevel.ClosedFormReward;

/**
 * The classification variant: datasets load with the published shapes, gradients match finite differences, and over
 * 10 stratified splits PG(β*) is as accurate as cross-entropy (mean ≥ NLL's mean − one standard error), with PG(β = 1)
 * beside them.
 */
class ClassificationTest {

    @Test
    void bundledDatasetsHaveTheirPublishedShapes() {
        int[][] shape = {{150, 4, 3}, {178, 13, 3}, {569, 30, 2}, {1797, 64, 10}};
        for (int i = 0; i < 4; i++) {
            TabularData d = TabularData.load(TabularData.NAMES.get(i));
            assertThat(new int[] {d.rows(), d.features(), d.classes()}).as(d.name()).containsExactly(shape[i]);
        }
        assertThatThrownBy(() -> TabularData.load("mnist")).hasMessageContaining("bundled: [iris, wine");
    }

    @Test
    void stratifiedSplitKeepsClassSharesAndStandardises() {
        TabularData d = TabularData.load("wine");
        TabularData.Split s = d.stratifiedSplit(0.2, 0.2, 3);
        assertThat(s.train().rows() + s.val().rows() + s.test().rows()).isEqualTo(178);
        int[] all = counts(d);
        int[] test = counts(s.test());
        for (int c = 0; c < 3; c++) {
            assertThat(test[c]).as("class %d in test", c).isEqualTo((int) Math.round(0.2 * all[c]));
        }
        for (int f = 0; f < d.features(); f++) {
            double m = 0;
            for (int r = 0; r < s.train().rows(); r++) {
                m += s.train().x()[r * d.features() + f];
            }
            assertThat(m / s.train().rows()).as("train mean of feature %d", f).isCloseTo(0, within(1e-9));
        }
    }

    private static int[] counts(TabularData d) {
        int[] c = new int[d.classes()];
        for (int y : d.y()) {
            c[y]++;
        }
        return c;
    }

    @ParameterizedTest
    @ValueSource(strings = {"CROSS_ENTROPY", "PG"})
    void gradientsMatchFiniteDifferences(String lossName) {
        ClassifierTrainer.Loss loss = ClassifierTrainer.Loss.valueOf(lossName);
        ClassifierTrainer t = ClassifierTrainer.builder().optLoss(loss).optBeta(0.7).optLambda(0.3)
                .optTransform(org.mbrl4j.objective.PolicyGradient.Transform.NONE).build();
        CategoricalPolicy p = new CategoricalPolicy(4, 3, new int[] {5}, new SplittableRandom(1));
        SplittableRandom r = new SplittableRandom(2);
        double[] x = r.doubles(6 * 4, -2, 2).toArray();
        int[] y = {0, 1, 2, 2, 1, 0};
        CategoricalPolicy.Pass pass = p.forward(x, 6);
        double[] d = new double[18];
        t.lossAndGradient(pass.logits(), y, 3, new SplittableRandom(9), d);
        double[] g = p.backward(pass, d);
        double[] theta = p.params();
        for (int k = 0; k < theta.length; k += 3) {
            double keep = theta[k];
            double h = 1e-6;
            theta[k] = keep + h;
            double up = t.lossAndGradient(p.forward(x, 6).logits(), y, 3, new SplittableRandom(9), new double[18]);
            theta[k] = keep - h;
            double down = t.lossAndGradient(p.forward(x, 6).logits(), y, 3, new SplittableRandom(9), new double[18]);
            theta[k] = keep;
            assertThat(g[k]).as("θ_%d", k).isCloseTo((up - down) / (2 * h), within(1e-6));
        }
    }

    /** Test accuracies over 10 splits for CE, PG(β = 1) and PG(β*), the paper's older tabular settings. */
    static double[][] accuracies(String name, int seeds) {
        TabularData d = TabularData.load(name);
        double[][] acc = new double[3][seeds];
        IntStream.range(0, seeds).parallel().forEach(s -> {
            TabularData.Split split = d.stratifiedSplit(0.2, 0.2, s);
            double betaStar = ClosedFormReward.classificationBeta(split.train().y(), d.classes(), 0.1);
            double[] betas = {Double.NaN, 1, betaStar};
            for (int m = 0; m < 3; m++) {
                ClassifierTrainer.Builder b = ClassifierTrainer.builder().setSeed(s).optLambda(0.1);
                b = m == 0 ? b.optLoss(ClassifierTrainer.Loss.CROSS_ENTROPY) : b.optBeta(betas[m]);
                CategoricalPolicy p = new CategoricalPolicy(d.features(), d.classes(), new int[0], new SplittableRandom(s));
                acc[m][s] = b.build().train(p, split).testAccuracy();
            }
        });
        return acc;
    }

    @ParameterizedTest
    @ValueSource(strings = {"iris", "wine", "breast_cancer", "digits"})
    void pgWithBetaStarIsAsAccurateAsCrossEntropy(String name) {
        double[][] acc = accuracies(name, 10);
        double[] mean = Arrays.stream(acc).mapToDouble(a -> Arrays.stream(a).average().orElseThrow()).toArray();
        double sd = Math.sqrt(Arrays.stream(acc[0]).map(a -> (a - mean[0]) * (a - mean[0])).sum() / 9);
        double se = sd / Math.sqrt(10);
        System.out.printf("%s: CE %.4f ± %.4f, PG(β=1) %.4f, PG(β*) %.4f%n", name, mean[0], sd, mean[1], mean[2]);
        assertThat(mean[2]).as("%s PG(β*) vs CE %.4f − se %.4f; PG(β=1) %.4f", name, mean[0], se, mean[1])
                .isGreaterThanOrEqualTo(mean[0] - se);
    }
}
