package org.mbrl4j.bilevel;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.mbrl4j.event.Event;
import org.mbrl4j.event.EventBus;
import org.mbrl4j.objective.MahalanobisReward;
import org.mbrl4j.optim.Adam;

/**
 * The outer optimisation shared by the gradient-based reward learners: φ takes Adam steps along a hypergradient that
 * the learner computes at the inner solution, with the moments kept across steps (or reset every step, as the
 * reference does), the hypergradient clamped elementwise, and optional early stopping on validation NLL.
 */
final class OuterLoop {

    /** What one inner solve reports. */
    record Inner(double[] theta, double outerLoss, double valNll, double[] hypergradient) {
    }

    /** Solves the inner level for U and differentiates the outer loss; θ is null or the previous solution. */
    interface Solver {
        Inner solve(MahalanobisReward u, double[] phi, double[] theta, SplittableRandom rng);
    }

    /** The chosen φ, the inner solution that goes with it, and the trajectory. */
    record Outcome(double[] phi, double[] theta, List<RewardLearner.Step> trajectory) {
    }

    int steps = 100;
    double lr = 1e-2;
    double clip = 10;
    boolean resetAdam;
    int patience;
    long seed;
    EventBus bus;

    Outcome run(RewardForm form, double u0, int n, Solver solver) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] phi = form.initial(u0, n);
        Adam adam = Adam.builder().setSize(phi.length).setLr(lr).optClipValue(clip).build();
        double[] theta = null;
        double[] bestPhi = phi.clone();
        double[] bestTheta = null;
        double bestScore = Double.POSITIVE_INFINITY;
        int sinceBest = 0;
        List<RewardLearner.Step> trajectory = new ArrayList<>();
        for (int s = 0; s < steps; s++) {
            MahalanobisReward u = form.reward(phi, n);
            Inner in = solver.solve(u, phi, theta, rng);
            theta = in.theta();
            double[] hg = in.hypergradient();
            double hgNorm = Math.sqrt(InnerProblem.dot(hg, hg));
            if (!Double.isFinite(in.outerLoss()) || !Double.isFinite(hgNorm)) {
                throw new IllegalStateException("reward learning diverged at outer step " + s + " (U = " + u
                        + "): outer loss " + in.outerLoss() + ", hypergradient norm " + hgNorm
                        + "; lower the inner learning rate or the outer step");
            }
            RewardLearner.Step step = new RewardLearner.Step(s, u.isIsotropic() ? u.scale() : Double.NaN,
                    u.frobeniusNorm(), in.outerLoss(), hgNorm, in.valNll());
            trajectory.add(step);
            if (bus != null) {
                bus.publish(new Event.RewardStep(s, step.u(), step.uNorm(), step.outerLoss(), hgNorm, step.valNll()));
            }
            double score = Double.isNaN(in.valNll()) ? in.outerLoss() : in.valNll();
            if (score < bestScore) {
                bestScore = score;
                bestPhi = phi.clone();
                bestTheta = theta.clone();
                sinceBest = 0;
            } else if (patience > 0 && ++sinceBest >= patience) {
                break;
            }
            if (resetAdam) {
                adam.reset();
            }
            adam.step(phi, hg);
            form.project(phi, n);
        }
        return patience > 0 ? new Outcome(bestPhi, bestTheta, List.copyOf(trajectory))
                : new Outcome(phi, theta, List.copyOf(trajectory));
    }
}
