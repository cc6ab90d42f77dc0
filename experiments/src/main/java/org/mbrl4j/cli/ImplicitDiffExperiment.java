package org.mbrl4j.cli;

import org.mbrl4j.optim.Adam;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.knowm.xchart.internal.chartpart.Chart;
import org.mbrl4j.bilevel.ImplicitDiffReward;
import org.mbrl4j.bilevel.RewardLearner;
import org.mbrl4j.bilevel.UnrolledReward;
import org.mbrl4j.event.EventBus;
import org.mbrl4j.model.GaussianMlp;
import org.mbrl4j.model.ModelTrainer;
import org.mbrl4j.objective.MahalanobisReward;
import org.mbrl4j.objective.PolicyGradient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code experiment implicit-diff}: the paper's Fig 3. The reward scale u of U = u·I is learned on the synthetic
 * problem with σ = 1.25, loc = 6, λ = 1 (u* = 0.32) from u0, by implicit differentiation (or the unrolled solver),
 * several repetitions; the trajectory of u and of the outer loss, the final u per run, and the NLL landscape over u.
 */
@Command(name = "implicit-diff", mixinStandardHelpOptions = true,
        description = "Fig 3: learn u of U = u·I from u0 toward u* = 0.32 by implicit differentiation; trajectories, "
                + "final u per run, and the NLL landscape.")
final class ImplicitDiffExperiment extends ExperimentCommand.Base {

    @Option(names = "--u0", split = ",", defaultValue = "1.0", description = "Initial u, one or more (default ${DEFAULT-VALUE}).")
    double[] u0;

    @Option(names = "--method", defaultValue = "implicit", description = "implicit or unrolled (default ${DEFAULT-VALUE}).")
    String method;

    @Option(names = "--outer-steps", description = "Outer steps (default 100, the paper's; --quick: 40).")
    Integer outerSteps;

    @Option(names = "--outer-lr", description = "Outer Adam learning rate (default 0.03; the paper's 0.01 with a persistent Adam does not travel from 1.0 to 0.32 in 100 steps; --quick: 0.05).")
    Double outerLr;

    @Option(names = "--inner-steps", defaultValue = "50", description = "Inner steps per outer step (default ${DEFAULT-VALUE}, the paper's).")
    int innerSteps;

    @Option(names = "--inner-lr", defaultValue = "0.01", description = "Inner learning rate (default ${DEFAULT-VALUE}, the paper's).")
    double innerLr;

    @Option(names = "--cg-iterations", defaultValue = "3", description = "CG iterations per hypergradient (default ${DEFAULT-VALUE}; the reference uses 1).")
    int cgIterations;

    @Option(names = "--cold-start", description = "Re-initialise the inner model every outer step, as the reference does (default: warm start).")
    boolean coldStart;

    @Option(names = "--reset-outer-adam", description = "Re-create the outer Adam every step, as the reference does.")
    boolean resetOuterAdam;

    @Option(names = "--landscape-points", description = "Points of the NLL landscape over u ∈ [1e-4, 1] (default 20; --quick: 6; 0: none).")
    Integer landscapePoints;

    @Override
    String name() {
        return "implicit-diff";
    }

    @Override
    int[] defaultSeeds() {
        return new int[] {5, 2};
    }

    private int steps() {
        return outerSteps != null ? outerSteps : quick ? 40 : 100;
    }

    private double lr() {
        return outerLr != null ? outerLr : quick ? 0.05 : 0.03;
    }

    private int points() {
        return landscapePoints != null ? landscapePoints : quick ? 6 : 20;
    }

    @Override
    Map<String, Object> settings() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("u0", u0);
        m.put("method", method);
        m.put("outer_steps", steps());
        m.put("outer_lr", lr());
        m.put("inner_steps", innerSteps);
        m.put("inner_lr", innerLr);
        m.put("cg_iterations", cgIterations);
        m.put("warm_start", !coldStart);
        m.put("reset_outer_adam", resetOuterAdam);
        m.put("landscape_points", points());
        m.put("problem", "n = 2, σ = 1.25, loc = 6, λ = 1, 100×10 train, 100 val; MLP [64, 64], G = 5");
        return m;
    }

    private RewardLearner learner(double start, long seed, EventBus bus) {
        PolicyGradient pg = PolicyGradient.builder().setReward(MahalanobisReward.identity(2)).optLambda(1).build();
        if (method.equals("unrolled")) {
            return UnrolledReward.builder().setObjective(pg).optU0(start).optOuterSteps(steps()).optOuterLr(lr())
                    .optInnerSteps(innerSteps).optInnerLr(innerLr).optWarmStart(!coldStart).setSeed(seed).optBus(bus)
                    .build();
        }
        return ImplicitDiffReward.builder().setObjective(pg).optU0(start).optOuterSteps(steps()).optOuterLr(lr())
                .optInnerSteps(innerSteps).optInnerLr(innerLr).optCgIterations(cgIterations).optWarmStart(!coldStart)
                .optResetOuterAdam(resetOuterAdam).setSeed(seed).optBus(bus).build();
    }

    @Override
    Map<String, Double> run(RunContext run) {
        if (!method.equals("implicit") && !method.equals("unrolled")) {
            throw bad("--method must be implicit or unrolled, got '" + method + "'");
        }
        if (steps() < 1 || !(lr() > 0) || innerSteps < 1 || !(innerLr > 0) || cgIterations < 1 || points() < 0) {
            throw bad("--outer-steps, --inner-steps, --cg-iterations must be ≥ 1, learning rates > 0, "
                    + "--landscape-points ≥ 0");
        }
        for (double u : u0) {
            if (!(u > 0)) {
                throw bad("--u0 values must be > 0, got " + u);
            }
        }
        double uStar = GaussianTheoryExperiment.PROBLEM.optimalScale(1.0);
        Results finals = new Results();
        Results trajectory = new Results();
        ModelTrainer.setNd4jThreads(1);
        int n = seedCount();
        List<double[]> jobs = new ArrayList<>();
        for (double start : u0) {
            for (int r = 0; r < n; r++) {
                jobs.add(new double[] {start, r});
            }
        }
        RewardLearner.Result[] done = new RewardLearner.Result[jobs.size()];
        double[] seconds = new double[jobs.size()];
        IntStream.range(0, jobs.size()).parallel().forEach(j -> {
            double start = jobs.get(j)[0];
            int r = (int) jobs.get(j)[1];
            ModelTrainer.Data train = GaussianTheoryExperiment.data(GaussianTheoryExperiment.PROBLEM.sample(100, 10,
                    new SplittableRandom(r)), 2);
            ModelTrainer.Data val = GaussianTheoryExperiment.data(GaussianTheoryExperiment.PROBLEM.sample(100, 1,
                    new SplittableRandom(1000 + r)), 2);
            GaussianMlp model = GaussianMlp.builder().setInputs(2).setOutputs(2).optHidden(64, 64).setSeed(r).build();
            long t0 = System.nanoTime();
            // only the first run of the first u0 feeds the live event stream (TensorBoard), the others the tables
            done[j] = learner(start, r, j == 0 ? run.bus() : null).learn(model, train, val);
            seconds[j] = (System.nanoTime() - t0) / 1e9;
        });
        for (int j = 0; j < jobs.size(); j++) {
            double start = jobs.get(j)[0];
            int r = (int) jobs.get(j)[1];
            RewardLearner.Result res = done[j];
            for (RewardLearner.Step s : res.trajectory()) {
                trajectory.add("u0", start, "run", r, "step", s.step(), "u", s.u(), "outer_loss", s.outerLoss(),
                        "hypergrad_norm", s.hypergradNorm(), "val_nll", s.valNll());
            }
            RewardLearner.Step last = res.trajectory().get(res.trajectory().size() - 1);
            finals.add("u0", start, "run", r, "method", method, "final_u", res.reward().scale(), "abs_error_to_u_star",
                    Math.abs(res.reward().scale() - uStar), "final_outer_loss", last.outerLoss(), "final_val_nll",
                    last.valNll(), "outer_steps", res.trajectory().size(), "seconds", seconds[j]);
        }
        trajectory.writeCsv(run.dir().resolve("trajectory.csv"));
        finals.writeCsv(run.dir().resolve("results.csv"));
        Results landscape = new Results();
        double[] us = new double[points()];
        for (int i = 0; i < us.length; i++) {
            us[i] = us.length == 1 ? uStar : 1e-4 + (1 - 1e-4) * i / (us.length - 1);
        }
        if (us.length > 0) {
            GaussianTheoryExperiment.landscape(us, 1, quick ? 150 : 300, landscape, run);
            landscape.writeCsv(run.dir().resolve("landscape.csv"));
        }
        StringBuilder md = new StringBuilder("# Learning u by ").append(method).append(" differentiation (Fig 3)\n\n")
                .append(String.format("u* = λ/(2σ²) = %.4f. %d outer steps of Adam lr %s, %d inner steps (lr %s, %s), "
                        + "%s.%n%n", uStar, steps(), lr(), innerSteps, innerLr, coldStart ? "re-initialised" : "warm-started",
                        method.equals("implicit") ? cgIterations + " CG iteration(s)" : "forward-mode tangent"))
                .append("## Final u per run\n\n")
                .append(finals.summary(List.of("u0", "run"), List.of("final_u", "final_outer_loss", "final_val_nll",
                        "seconds")))
                .append("\n## Over runs\n\n")
                .append(finals.summary(List.of("u0"), List.of("final_u", "abs_error_to_u_star")));
        Map<String, Double> out = new LinkedHashMap<>();
        for (double start : u0) {
            double[] f = finals.values("final_u", Map.of("u0", start)).clone();
            java.util.Arrays.sort(f);
            double median = f[f.length / 2];
            md.append(String.format("%nMedian final u from u0 = %s: %.4f (|error| %.4f)%n", start, median,
                    Math.abs(median - uStar)));
            out.put("median_final_u_from_" + start, median);
        }
        if (us.length > 0) {
            md.append("\n## NLL landscape (1 seed)\n\n").append(landscape.summary(List.of("u"), List.of("val_nll",
                    "theory_nll")));
        }
        Results.writeText(run.dir().resolve("results.md"), md.toString());
        List<Chart<?, ?>> charts = new ArrayList<>();
        List<Plots.Series> uSeries = new ArrayList<>();
        List<Plots.Series> lossSeries = new ArrayList<>();
        for (double start : u0) {
            for (int r = 0; r < n; r++) {
                Map<String, Object> where = Map.of("u0", start, "run", r);
                double[] steps = trajectory.values("step", where);
                uSeries.add(new Plots.Series("u0=" + start + " run " + r, steps, trajectory.values("u", where), null));
                lossSeries.add(new Plots.Series("u0=" + start + " run " + r, steps, trajectory.values("outer_loss", where),
                        null));
            }
        }
        uSeries.add(new Plots.Series("u*", new double[] {0, steps() - 1}, new double[] {uStar, uStar}, null));
        charts.add(Plots.lines("u per outer step", "outer step", "u", uSeries, false));
        charts.add(Plots.lines("outer loss (training NLL at the inner solution)", "outer step", "NLL", lossSeries, false));
        if (us.length > 0) {
            List<Plots.Series> ls = new ArrayList<>();
            ls.add(new Plots.Series("validation NLL (trained)", us, GaussianTheoryExperiment.landscapeMean(landscape, us,
                    "val_nll"), null));
            ls.add(new Plots.Series("theory NLL(u)", us, GaussianTheoryExperiment.landscapeMean(landscape, us,
                    "theory_nll"), null));
            double[] fu = finals.rows().stream().mapToDouble(r -> (Double) r.get("final_u")).toArray();
            double[] fl = new double[fu.length];
            java.util.Arrays.fill(fl, GaussianTheoryExperiment.theoryNll(uStar, 1, 1.25));
            ls.add(new Plots.Series("final u of the runs", fu, fl, null, true));
            charts.add(Plots.lines("NLL landscape over u", "u", "NLL per dimension", ls, false));
        }
        Plots.write(run.dir().resolve("plot.png"), charts);
        System.out.print(md);
        return out;
    }
}
