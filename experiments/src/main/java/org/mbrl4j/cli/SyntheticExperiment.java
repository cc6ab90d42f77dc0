package org.mbrl4j.cli;

import org.mbrl4j.optim.Adam;

import org.mbrl4j.objective.GaussianOutput;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.knowm.xchart.internal.chartpart.Chart;
import org.mbrl4j.paper.SyntheticGaussian;
import org.mbrl4j.event.Event;
import org.mbrl4j.model.GaussianMlp;
import org.mbrl4j.model.ModelTrainer;
import org.mbrl4j.objective.MahalanobisReward;
import org.mbrl4j.objective.Mse;
import org.mbrl4j.objective.Nll;
import org.mbrl4j.objective.Objective;
import org.mbrl4j.objective.PolicyGradient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code experiment synthetic}: the paper's Fig 1 (paper-notes §5). Per seed, an offset loc ~ U(−6, 6) and a noise
 * scale σ ~ U(0.1, 2.5); 100 distinct training x × 10 targets, 100 validation and 100 test points; MLP
 * [64, 64], Adam lr 0.01, full-batch epochs; MSE, NLL and, for every λ, PG(U = I) and PG(U* = λ/(2σ²)·I) with G = 5.
 * Curves per epoch: validation NLL, mean error (RMSE of the mean) and σ-error (mean ‖σ_θ(x) − σ·1‖₂), with 95 %
 * intervals over seeds.
 */
@Command(name = "synthetic", mixinStandardHelpOptions = true,
        description = "Fig 1: validation NLL, mean error and σ-error per epoch for MSE, NLL, PG(U=I) and PG(U*) over λ.")
final class SyntheticExperiment extends ExperimentCommand.Base {

    @Option(names = "--lambdas", split = ",", description = "Entropy weights (default 0.3,0.53,0.95,1.69; --quick: 0.95).")
    double[] lambdas;

    @Option(names = "--epochs", description = "Full-batch epochs (default 100; --quick: 40).")
    Integer epochs;

    @Override
    String name() {
        return "synthetic";
    }

    @Override
    int[] defaultSeeds() {
        return new int[] {5, 2};
    }

    private double[] lambdaList() {
        return lambdas != null ? lambdas : quick ? new double[] {0.95} : new double[] {0.3, 0.53, 0.95, 1.69};
    }

    private int epochCount() {
        int e = epochs != null ? epochs : quick ? 40 : 100;
        if (e < 1) {
            throw bad("--epochs must be ≥ 1, got " + e);
        }
        return e;
    }

    @Override
    Map<String, Object> settings() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("lambdas", lambdaList());
        m.put("epochs", epochCount());
        m.put("data", "n = 2, x ~ U(-5,5)^2, y = x + loc + scale·ε, loc ~ U(-6,6), scale ~ U(0.1,2.5); 100×10 train, "
                + "100 val, 100 test");
        m.put("model", "MLP [64, 64] ReLU, Adam lr 0.01, full batch, PG G = 5, transform none");
        return m;
    }

    @Override
    Map<String, Double> run(RunContext run) {
        double[] ls = lambdaList();
        for (double l : ls) {
            if (!(l > 0)) {
                throw bad("--lambdas must be > 0, got " + l);
            }
        }
        int epochsN = epochCount();
        Results curves = new Results();
        ModelTrainer.setNd4jThreads(1);
        IntStream.range(0, seedCount()).parallel().forEach(seed -> {
            SplittableRandom r = new SplittableRandom(seed);
            double loc = -6 + 12 * r.nextDouble();
            double scale = 0.1 + 2.4 * r.nextDouble();
            SyntheticGaussian problem = new SyntheticGaussian(2, loc, scale);
            ModelTrainer.Data train = GaussianTheoryExperiment.data(problem.sample(100, 10, r.split()), 2);
            ModelTrainer.Data val = GaussianTheoryExperiment.data(problem.sample(100, 1, r.split()), 2);
            List<Object[]> methods = new ArrayList<>();
            methods.add(new Object[] {"MSE", Double.NaN, new Mse()});
            methods.add(new Object[] {"NLL", Double.NaN, new Nll()});
            for (double l : ls) {
                methods.add(new Object[] {"PG(U=I)", l, PolicyGradient.builder().setReward(MahalanobisReward.identity(2))
                        .optLambda(l).build()});
                methods.add(new Object[] {"PG(U*)", l, PolicyGradient.builder().setReward(
                        MahalanobisReward.isotropic(problem.optimalScale(l), 2)).optLambda(l).build()});
            }
            for (Object[] m : methods) {
                String method = (String) m[0];
                double lambda = (Double) m[1];
                GaussianMlp model = GaussianMlp.builder().setInputs(2).setOutputs(2).optHidden(64, 64).setSeed(seed)
                        .build();
                String tag = method + (Double.isNaN(lambda) ? "" : " λ=" + lambda);
                ModelTrainer.builder().setSeed(seed).optEpochs(epochsN).optLr(0.01).optListener(e -> {
                    double sigmaError = sigmaError(model, val, scale);
                    curves.add("method", method, "lambda", Double.isNaN(lambda) ? "–" : Double.toString(lambda), "seed",
                            seed, "epoch", e.epoch(), "val_nll", e.val().get("nll"), "mean_error", e.val().get("rmse"),
                            "sigma_error", sigmaError, "scale", scale);
                    if (seed == 0) {
                        run.bus().publish(new Event.Scalar(tag + "/val_nll", e.epoch(), e.val().get("nll")));
                        run.bus().publish(new Event.Scalar(tag + "/mean_error", e.epoch(), e.val().get("rmse")));
                        run.bus().publish(new Event.Scalar(tag + "/sigma_error", e.epoch(), sigmaError));
                    }
                }).build().train(model, (Objective) m[2], train, val, null);
            }
        });
        curves.writeCsv(run.dir().resolve("curves.csv"));
        Results last = new Results();
        for (Map<String, Object> row : curves.rows()) {
            if ((Integer) row.get("epoch") == epochsN - 1) {
                last.add("method", row.get("method"), "lambda", row.get("lambda"), "seed", row.get("seed"), "val_nll",
                        row.get("val_nll"), "mean_error", row.get("mean_error"), "sigma_error", row.get("sigma_error"),
                        "val_nll_epoch10", valueAt(curves, row, Math.min(9, epochsN - 1)));
            }
        }
        last.writeCsv(run.dir().resolve("results.csv"));
        String md = "# Synthetic linear-Gaussian data (Fig 1)\n\n" + seedCount() + " seeds, " + epochsN
                + " epochs; values after the last epoch (mean ± std over seeds); `val_nll_epoch10` is the validation NLL "
                + "after epoch 10.\n\n"
                + last.summary(List.of("method", "lambda"), List.of("val_nll", "mean_error", "sigma_error",
                        "val_nll_epoch10"));
        Results.writeText(run.dir().resolve("results.md"), md);
        double shown = ls[ls.length / 2];
        List<Chart<?, ?>> charts = new ArrayList<>();
        for (String metric : List.of("val_nll", "mean_error", "sigma_error")) {
            List<Plots.Series> series = new ArrayList<>();
            for (String[] m : new String[][] {{"MSE", "–"}, {"NLL", "–"}, {"PG(U=I)", Double.toString(shown)},
                {"PG(U*)", Double.toString(shown)}}) {
                if (m[0].equals("MSE") && metric.equals("val_nll")) {
                    continue; // MSE leaves the std head untrained
                }
                double[] x = new double[epochsN];
                double[] y = new double[epochsN];
                double[] err = new double[epochsN];
                for (int e = 0; e < epochsN; e++) {
                    double[] v = curves.values(metric, Map.of("method", m[0], "lambda", m[1], "epoch", e));
                    x[e] = e;
                    y[e] = java.util.Arrays.stream(v).average().orElse(Double.NaN);
                    err[e] = Plots.ci95(v);
                }
                series.add(new Plots.Series(m[0], x, y, err));
            }
            charts.add(Plots.lines(metric + " (λ = " + shown + " for PG; 95 % intervals)", "epoch", metric, series,
                    metric.equals("val_nll")));
        }
        List<Plots.Series> byLambda = new ArrayList<>();
        for (String method : List.of("PG(U=I)", "PG(U*)")) {
            double[] y = new double[ls.length];
            for (int i = 0; i < ls.length; i++) {
                y[i] = java.util.Arrays.stream(last.values("val_nll", Map.of("method", method, "lambda",
                        Double.toString(ls[i])))).average().orElse(Double.NaN);
            }
            byLambda.add(new Plots.Series(method, ls, y, null));
        }
        charts.add(Plots.lines("final validation NLL vs λ", "λ", "val_nll", byLambda, true));
        Plots.write(run.dir().resolve("plot.png"), charts);
        Map<String, Double> out = new LinkedHashMap<>();
        for (String method : List.of("NLL", "PG(U=I)", "PG(U*)")) {
            double[] v = last.values("val_nll", method.equals("NLL") ? Map.of("method", method)
                    : Map.of("method", method, "lambda", Double.toString(shown)));
            out.put("val_nll_" + method, java.util.Arrays.stream(v).average().orElse(Double.NaN));
        }
        System.out.print(md);
        return out;
    }

    private static Object valueAt(Results curves, Map<String, Object> row, int epoch) {
        double[] v = curves.values("val_nll", Map.of("method", row.get("method"), "lambda", row.get("lambda"), "seed",
                row.get("seed"), "epoch", epoch));
        return v.length == 0 ? Double.NaN : v[0];
    }

    /** Mean over rows of ‖σ_θ(x) − σ·1‖₂. */
    static double sigmaError(GaussianMlp model, ModelTrainer.Data d, double sigma) {
        GaussianOutput out = model.forward(d.inputs());
        double total = 0;
        for (int b = 0; b < out.batch(); b++) {
            double s = 0;
            for (int k = 0; k < out.dim(); k++) {
                double diff = Math.exp(out.logStd()[b * out.dim() + k]) - sigma;
                s += diff * diff;
            }
            total += Math.sqrt(s);
        }
        return total / out.batch();
    }
}
