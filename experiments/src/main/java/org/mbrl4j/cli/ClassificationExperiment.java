package org.mbrl4j.cli;

import org.mbrl4j.optim.Adam;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.mbrl4j.bilevel.ClosedFormReward;
import org.mbrl4j.paper.classification.CategoricalPolicy;
import org.mbrl4j.paper.classification.ClassifierTrainer;
import org.mbrl4j.paper.classification.TabularData;
import org.mbrl4j.event.Event;
import org.mbrl4j.objective.PolicyGradient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code experiment classification}: the paper's Tables 1–2 on the bundled datasets. Per dataset and seed (a different
 * stratified split each): cross-entropy ("NLL"), PG with β = 1 and PG with β* = λC/(2 tr Σ̂_onehot); test accuracy.
 */
@Command(name = "classification", mixinStandardHelpOptions = true,
        description = "Tables 1–2: test accuracy of NLL vs PG(β = 1) vs PG(β*) on iris, wine, breast cancer and digits.")
final class ClassificationExperiment extends ExperimentCommand.Base {
    /** The paper's older run (λ = 0.1, normalize, 5 reps): test accuracy of NLL and PG(β*). */
    private static final Map<String, double[]> PAPER = Map.of("iris", new double[] {0.773, 0.793}, "wine",
            new double[] {1.0, 1.0}, "breast_cancer", new double[] {0.968, 0.977}, "digits", new double[] {0.956, 0.958});

    @Option(names = "--datasets", split = ",", description = "Datasets (default: all bundled: iris, wine, breast_cancer, digits).")
    List<String> datasets;

    @Option(names = "--lambda", defaultValue = "0.1", description = "Entropy weight λ (default ${DEFAULT-VALUE}, the paper's).")
    double lambda;

    @Option(names = "--epochs", description = "Epochs (default 100, the paper's; --quick: 30).")
    Integer epochs;

    @Option(names = "--lr", defaultValue = "0.01", description = "Adam learning rate (default ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = "--generations", defaultValue = "50", description = "PG samples per input G (default ${DEFAULT-VALUE}).")
    int generations;

    @Option(names = "--transform", defaultValue = "normalize", description = "Reward transform: none, normalize, rbf (default ${DEFAULT-VALUE}).")
    String transform;

    @Option(names = "--hidden", split = ",", description = "Hidden layers of an MLP policy (default: none, logistic regression).")
    int[] hidden;

    @Override
    String name() {
        return "classification";
    }

    @Override
    int[] defaultSeeds() {
        return new int[] {10, 3};
    }

    private int epochCount() {
        return epochs != null ? epochs : quick ? 30 : 100;
    }

    private List<String> names() {
        return datasets != null ? datasets : TabularData.NAMES;
    }

    @Override
    Map<String, Object> settings() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("datasets", names());
        m.put("lambda", lambda);
        m.put("epochs", epochCount());
        m.put("lr", lr);
        m.put("generations", generations);
        m.put("transform", transform);
        m.put("hidden", hidden == null ? new int[0] : hidden);
        m.put("batch", 128);
        m.put("split", "stratified: test 0.2, validation 0.2, standardised with training statistics");
        return m;
    }

    @Override
    Map<String, Double> run(RunContext run) {
        PolicyGradient.Transform t;
        try {
            t = PolicyGradient.Transform.valueOf(transform.toUpperCase());
        } catch (IllegalArgumentException e) {
            throw bad("--transform must be none, normalize or rbf, got '" + transform + "'");
        }
        for (String d : names()) {
            if (!TabularData.NAMES.contains(d)) {
                throw bad("--datasets: unknown dataset '" + d + "'; bundled: " + TabularData.NAMES);
            }
        }
        if (!(lambda >= 0) || !(lr > 0) || generations < 1 || epochCount() < 1) {
            throw bad("--lambda must be ≥ 0, --lr > 0, --generations and --epochs ≥ 1");
        }
        Results results = new Results();
        int n = seedCount();
        int[] layers = hidden == null ? new int[0] : hidden;
        String[] methods = {"NLL", "PG(β=1)", "PG(β*)"};
        for (String name : names()) {
            TabularData data = TabularData.load(name);
            IntStream.range(0, n).parallel().forEach(seed -> {
                TabularData.Split split = data.stratifiedSplit(0.2, 0.2, seed);
                double betaStar = ClosedFormReward.classificationBeta(split.train().y(), data.classes(), lambda);
                for (String method : methods) {
                    double beta = method.equals("PG(β*)") ? betaStar : 1;
                    ClassifierTrainer.Builder b = ClassifierTrainer.builder().setSeed(seed).optLambda(lambda)
                            .optEpochs(epochCount()).optLr(lr).optGenerations(generations).optTransform(t).optBeta(beta);
                    if (method.equals("NLL")) {
                        b.optLoss(ClassifierTrainer.Loss.CROSS_ENTROPY);
                    }
                    CategoricalPolicy p = new CategoricalPolicy(data.features(), data.classes(), layers,
                            new SplittableRandom(seed));
                    double acc = b.build().train(p, split).testAccuracy();
                    results.add("dataset", name, "method", method, "seed", seed, "beta", method.equals("NLL") ? Double.NaN
                            : beta, "test_accuracy", acc);
                }
            });
        }
        results.writeCsv(run.dir().resolve("results.csv"));
        StringBuilder md = new StringBuilder("# Tabular classification (Tables 1–2)\n\n").append(String.format(
                "%s, λ = %s, transform %s, G = %d, Adam lr %s, %d epochs, batch 128; %d stratified splits per dataset "
                        + "(test 0.2, validation 0.2). Test accuracy, mean ± std over splits.%n%n",
                layers.length == 0 ? "Logistic regression" : "MLP " + java.util.Arrays.toString(layers), lambda,
                transform, generations, lr, epochCount(), n))
                .append(results.summary(List.of("dataset", "method"), List.of("test_accuracy", "beta")))
                .append("\n## Beside the paper (older run: 5 repetitions; NLL vs PG(β*))\n\n")
                .append("| dataset | NLL (ours) | PG(β*) (ours) | PG(β=1) (ours) | NLL (paper) | PG(β*) (paper) |\n")
                .append("|---|---|---|---|---|---|\n");
        Map<String, double[]> means = new LinkedHashMap<>();
        Map<String, double[]> errs = new LinkedHashMap<>();
        Map<String, Double> out = new LinkedHashMap<>();
        List<String> names = names();
        for (String method : methods) {
            means.put(method, new double[names.size()]);
            errs.put(method, new double[names.size()]);
        }
        for (int i = 0; i < names.size(); i++) {
            String d = names.get(i);
            double[] paper = PAPER.get(d);
            String[] cells = new String[3];
            for (int m = 0; m < 3; m++) {
                double[] v = results.values("test_accuracy", Map.of("dataset", d, "method", methods[m]));
                means.get(methods[m])[i] = java.util.Arrays.stream(v).average().orElse(Double.NaN);
                errs.get(methods[m])[i] = Plots.ci95(v);
                cells[m] = Results.meanStd(v);
                out.put(d + "_" + methods[m], means.get(methods[m])[i]);
                run.bus().publish(new Event.Scalar("accuracy/" + d + "/" + methods[m], 0, means.get(methods[m])[i]));
            }
            md.append(String.format("| %s | %s | %s | %s | %.3f | %.3f |%n", d, cells[0], cells[2], cells[1], paper[0],
                    paper[1]));
        }
        Results.writeText(run.dir().resolve("results.md"), md.toString());
        Plots.write(run.dir().resolve("plot.png"), new ArrayList<>(List.of(Plots.bars(
                "test accuracy (mean, 95 % interval over splits)", "accuracy", names, means, errs, 0.5))));
        System.out.print(md);
        return out;
    }
}
