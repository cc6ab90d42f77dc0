package org.mbrl4j.bilevel;

import org.mbrl4j.optim.Adam;

import org.mbrl4j.event.EventBus;
import org.mbrl4j.model.GaussianMlp;
import org.mbrl4j.model.ModelTrainer;
import org.mbrl4j.objective.MahalanobisReward;
import org.mbrl4j.objective.PolicyGradient;

/**
 * Learns U = u·I by explicit differentiation through the inner optimisation (paper-notes §4.3): K plain gradient steps
 * θ_{k+1} = θ_k − η∇θL_in(θ_k, u) carried forward together with their tangent τ_k = dθ_k/du,
 * <pre>τ_{k+1} = τ_k − η (H_k τ_k + ∂_u ∇θL_in(θ_k, u)),   dL_out/du = ∇θL_out(θ_K)ᵀ τ_K</pre>
 * (forward mode: one tangent for the one parameter, memory independent of K). H_kτ_k and ∂_u∇θL_in are central
 * differences of gradients that draw the samples of step k (common random numbers), in double precision. With warm
 * starts the tangent restarts at 0 each outer step (truncated differentiation). The outer loop is the one of
 * {@link ImplicitDiffReward}.
 */
public final class UnrolledReward implements RewardLearner {
    private final PolicyGradient objective;
    private final double u0;
    private final int innerSteps;
    private final double innerLr;
    private final boolean warmStart;
    private final OuterLoop loop = new OuterLoop();

    private UnrolledReward(Builder b) {
        objective = b.objective;
        u0 = b.u0;
        innerSteps = b.innerSteps;
        innerLr = b.innerLr;
        warmStart = b.warmStart;
        loop.steps = b.outerSteps;
        loop.lr = b.outerLr;
        loop.clip = b.hypergradClip;
        loop.seed = b.seed;
        loop.bus = b.bus;
    }

    /** A new builder. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public Result learn(GaussianMlp model, ModelTrainer.Data train, ModelTrainer.Data val) {
        try (InnerProblem ip = new InnerProblem(model, train, val)) {
            int n = train.targets().length / train.size();
            OuterLoop.Outcome o = loop.run(RewardForm.SCALAR, u0, n, (u, phi, previous, rng) -> {
                double[] theta = previous == null || !warmStart ? ip.initialParams(rng) : previous.clone();
                long[] seeds = new long[innerSteps];
                for (int k = 0; k < innerSteps; k++) {
                    seeds[k] = rng.nextLong();
                }
                double[] tangent = unroll(ip, theta, u.scale(), n, seeds);
                double[] gOut = new double[theta.length];
                double outer = ip.trainNll(theta, gOut);
                return new OuterLoop.Inner(theta, outer, ip.valNll(theta),
                        new double[] {InnerProblem.dot(gOut, tangent)});
            });
            return new Result(RewardForm.SCALAR.reward(o.phi(), n), ip.modelAt(o.theta(), model), o.trajectory());
        }
    }

    /** Runs the K steps from θ in place and returns dθ_K/du. */
    double[] unroll(InnerProblem ip, double[] theta, double u, int n, long[] seeds) {
        double du = 1e-4 * u;
        PolicyGradient pg = objective.withReward(MahalanobisReward.isotropic(u, n));
        PolicyGradient up = objective.withReward(MahalanobisReward.isotropic(u + du, n));
        PolicyGradient down = objective.withReward(MahalanobisReward.isotropic(u - du, n));
        double[] tangent = new double[theta.length];
        double[] g = new double[theta.length];
        double[] gu = new double[theta.length];
        double[] gd = new double[theta.length];
        for (int k = 0; k < seeds.length; k++) {
            double[] hv = k == 0 ? null : ip.hessianVector(theta, pg, seeds[k], tangent);
            ip.gradient(theta, up, seeds[k], gu);
            ip.gradient(theta, down, seeds[k], gd);
            ip.gradient(theta, pg, seeds[k], g);
            for (int i = 0; i < theta.length; i++) {
                double mixed = (gu[i] - gd[i]) / (2 * du);
                tangent[i] -= innerLr * ((hv == null ? 0 : hv[i]) + mixed);
                theta[i] -= innerLr * g[i];
            }
        }
        return tangent;
    }

    /** Builder: {@code setObjective} is required (its λ, G, transform and clip are used; its reward is replaced). */
    public static final class Builder {
        private PolicyGradient objective;
        private double u0 = 1.0;
        private int outerSteps = 100;
        private double outerLr = 1e-2;
        private int innerSteps = 50;
        private double innerLr = 1e-2;
        private boolean warmStart = true;
        private double hypergradClip = 10;
        private long seed;
        private EventBus bus;

        private Builder() {
        }

        /** The PG objective of the inner level. */
        public Builder setObjective(PolicyGradient pg) {
            this.objective = pg;
            return this;
        }

        /** Initial u (default 1). */
        public Builder optU0(double u0) {
            this.u0 = u0;
            return this;
        }

        /** Outer steps (default 100). */
        public Builder optOuterSteps(int s) {
            this.outerSteps = s;
            return this;
        }

        /** Outer Adam learning rate (default 1e-2). */
        public Builder optOuterLr(double lr) {
            this.outerLr = lr;
            return this;
        }

        /** Unrolled inner gradient steps K (default 50). */
        public Builder optInnerSteps(int k) {
            this.innerSteps = k;
            return this;
        }

        /** Inner gradient-descent step size η (default 1e-2). */
        public Builder optInnerLr(double lr) {
            this.innerLr = lr;
            return this;
        }

        /** Continue the inner model across outer steps (default true). */
        public Builder optWarmStart(boolean on) {
            this.warmStart = on;
            return this;
        }

        /** Elementwise clamp of the hypergradient (default 10; 0: off). */
        public Builder optHypergradClip(double c) {
            this.hypergradClip = c;
            return this;
        }

        /** Seed of initialisations and PG samples. */
        public Builder setSeed(long s) {
            this.seed = s;
            return this;
        }

        /** Where outer steps are published (default: nowhere). */
        public Builder optBus(EventBus b) {
            this.bus = b;
            return this;
        }

        /** Validates and builds. */
        public UnrolledReward build() {
            if (objective == null) {
                throw new IllegalArgumentException("UnrolledReward needs setObjective (the inner PG objective)");
            }
            if (!(u0 > 0) || outerSteps < 1 || innerSteps < 1 || !(outerLr > 0) || !(innerLr > 0)) {
                throw new IllegalArgumentException("UnrolledReward: u0 and learning rates must be > 0, steps ≥ 1; got u0="
                        + u0 + ", outerSteps=" + outerSteps + ", innerSteps=" + innerSteps + ", outerLr=" + outerLr
                        + ", innerLr=" + innerLr);
            }
            return new UnrolledReward(this);
        }
    }
}
