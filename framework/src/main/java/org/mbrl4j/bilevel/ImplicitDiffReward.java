package org.mbrl4j.bilevel;

import org.mbrl4j.optim.Adam;

import org.mbrl4j.event.EventBus;
import org.mbrl4j.model.GaussianMlp;
import org.mbrl4j.model.ModelTrainer;
import org.mbrl4j.objective.MahalanobisReward;
import org.mbrl4j.objective.PolicyGradient;

/**
 * Learns U by implicit differentiation (paper-notes §4.2). Each outer step trains the inner model for K Adam steps on
 * the PG loss with U(φ) (every gradient element clamped to ±1, as the reference does), takes the outer loss
 * L_out = training NLL at that solution θ*, and the hypergradient of the implicit function theorem
 * <pre>dL_out/dφ = −∂/∂φ (vᵀ ∇θ L_in),   v = [∇²θθ L_in]⁻¹ ∇θ L_out</pre>
 * with v from conjugate gradient on Hessian-vector products (central differences of double-precision gradients with
 * common random numbers, truncated at non-positive curvature, optional damping) and the mixed derivative in closed
 * form ({@link PolicyGradient#rewardSensitivity}). φ then takes an Adam step whose moments persist across outer steps
 * (the reference re-creates Adam every step, so u oscillates by ±lr; {@link Builder#optResetOuterAdam} restores that).
 *
 * <p>The returned reward is U after the last outer step, or, with early stopping on, U of the step with the best
 * validation NLL. The returned model is the inner solution of the last step (of the best step with early
 * stopping), or a fresh model trained with the returned U by the final trainer
 * when one is set.
 */
public final class ImplicitDiffReward implements RewardLearner {
    private final PolicyGradient objective;
    private final RewardForm form;
    private final double u0;
    private final int outerSteps;
    private final double outerLr;
    private final int innerSteps;
    private final double innerLr;
    private final double innerClamp;
    private final boolean warmStart;
    private final int cgIterations;
    private final double damping;
    private final double hypergradClip;
    private final boolean resetOuterAdam;
    private final int patience;
    private final ModelTrainer finalTrainer;
    private final long seed;
    private final EventBus bus;

    private ImplicitDiffReward(Builder b) {
        objective = b.objective;
        form = b.form;
        u0 = b.u0;
        outerSteps = b.outerSteps;
        outerLr = b.outerLr;
        innerSteps = b.innerSteps;
        innerLr = b.innerLr;
        innerClamp = b.innerClamp;
        warmStart = b.warmStart;
        cgIterations = b.cgIterations;
        damping = b.damping;
        hypergradClip = b.hypergradClip;
        resetOuterAdam = b.resetOuterAdam;
        patience = b.patience;
        finalTrainer = b.finalTrainer;
        seed = b.seed;
        bus = b.bus;
    }

    /** A new builder. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public Result learn(GaussianMlp model, ModelTrainer.Data train, ModelTrainer.Data val) {
        try (InnerProblem ip = new InnerProblem(model, train, val)) {
            int n = train.targets().length / train.size();
            OuterLoop loop = new OuterLoop();
            loop.steps = outerSteps;
            loop.lr = outerLr;
            loop.clip = hypergradClip;
            loop.resetAdam = resetOuterAdam;
            loop.patience = patience;
            loop.seed = seed;
            loop.bus = bus;
            OuterLoop.Outcome o = loop.run(form, u0, n, (u, phi, previous, rng) -> {
                PolicyGradient pg = objective.withReward(u);
                double[] theta = previous == null || !warmStart ? ip.initialParams(rng) : previous.clone();
                long[] seeds = new long[innerSteps];
                for (int k = 0; k < innerSteps; k++) {
                    seeds[k] = rng.nextLong();
                }
                ip.adam(theta, pg, innerSteps, innerLr, innerClamp, seeds);
                double[] gOut = new double[theta.length];
                double outer = ip.trainNll(theta, gOut);
                return new OuterLoop.Inner(theta, outer, ip.valNll(theta),
                        hypergradient(ip, theta, pg, rng.nextLong(), gOut, phi, n));
            });
            MahalanobisReward learned = form.reward(o.phi(), n);
            GaussianMlp trained;
            if (finalTrainer != null) {
                trained = model.copy();
                finalTrainer.train(trained, objective.withReward(learned), train, val, null);
            } else {
                trained = ip.modelAt(o.theta(), model);
            }
            return new Result(learned, trained, o.trajectory());
        }
    }

    /** dL_out/dφ at θ for the current φ. */
    double[] hypergradient(InnerProblem ip, double[] theta, PolicyGradient pg, long hseed, double[] gOut, double[] phi,
            int n) {
        double[] v = conjugateGradient(ip, theta, pg, hseed, gOut);
        double[] dU = ip.rewardSensitivity(theta, pg, hseed, v);
        double[] g = form.chain(dU, phi, n);
        for (int i = 0; i < g.length; i++) {
            g[i] = -g[i];
        }
        return g;
    }

    /** Approximately solves (H + δI)v = b by CG, stopping at non-positive curvature. */
    private double[] conjugateGradient(InnerProblem ip, double[] theta, PolicyGradient pg, long hseed, double[] b) {
        double[] v = new double[b.length];
        double[] r = b.clone();
        double[] p = b.clone();
        double rs = InnerProblem.dot(r, r);
        double tol = 1e-20 * rs;
        for (int it = 0; it < cgIterations && rs > tol; it++) {
            double[] hp = ip.hessianVector(theta, pg, hseed, p);
            for (int i = 0; i < hp.length; i++) {
                hp[i] += damping * p[i];
            }
            double curvature = InnerProblem.dot(p, hp);
            if (!(curvature > 0)) {
                if (it == 0) {
                    // no usable curvature along ∇L_out: fall back to a scaled gradient, which keeps the descent sign
                    double scale = curvature == 0 ? 1 : rs / Math.abs(curvature);
                    for (int i = 0; i < v.length; i++) {
                        v[i] = scale * b[i];
                    }
                }
                break;
            }
            double alpha = rs / curvature;
            for (int i = 0; i < v.length; i++) {
                v[i] += alpha * p[i];
                r[i] -= alpha * hp[i];
            }
            double rsNew = InnerProblem.dot(r, r);
            for (int i = 0; i < p.length; i++) {
                p[i] = r[i] + rsNew / rs * p[i];
            }
            rs = rsNew;
        }
        return v;
    }

    /** Builder: {@code setObjective} is required (its λ, G, transform and clip are used; its reward is replaced). */
    public static final class Builder {
        private PolicyGradient objective;
        private RewardForm form = RewardForm.SCALAR;
        private double u0 = 1.0;
        private int outerSteps = 100;
        private double outerLr = 1e-2;
        private int innerSteps = 50;
        private double innerLr = 1e-2;
        private double innerClamp = 1.0;
        private boolean warmStart = true;
        private int cgIterations = 10;
        private double damping;
        private double hypergradClip = 10;
        private boolean resetOuterAdam;
        private int patience;
        private ModelTrainer finalTrainer;
        private long seed;
        private EventBus bus;

        private Builder() {
        }

        /** The PG objective of the inner level. */
        public Builder setObjective(PolicyGradient pg) {
            this.objective = pg;
            return this;
        }

        /** Parametrisation of U (default SCALAR). */
        public Builder optForm(RewardForm f) {
            this.form = f;
            return this;
        }

        /** Initial U = u0·I (default 1). */
        public Builder optU0(double u0) {
            this.u0 = u0;
            return this;
        }

        /** Outer steps (default 100, the reference's). */
        public Builder optOuterSteps(int s) {
            this.outerSteps = s;
            return this;
        }

        /** Outer Adam learning rate (default 1e-2, the reference's). */
        public Builder optOuterLr(double lr) {
            this.outerLr = lr;
            return this;
        }

        /** Inner Adam steps K per outer step (default 50, the reference's). */
        public Builder optInnerSteps(int k) {
            this.innerSteps = k;
            return this;
        }

        /** Inner Adam learning rate (default 1e-2). */
        public Builder optInnerLr(double lr) {
            this.innerLr = lr;
            return this;
        }

        /** Elementwise clamp of inner gradients (default 1, the reference's; 0: off). */
        public Builder optInnerClamp(double c) {
            this.innerClamp = c;
            return this;
        }

        /**
         * Continue the inner model from the previous outer step (default true) instead of re-initialising it (the
         * reference): K steps from scratch leave the inner problem far from its optimum, where the implicit function
         * theorem does not hold.
         */
        public Builder optWarmStart(boolean on) {
            this.warmStart = on;
            return this;
        }

        /** CG iterations per hypergradient (default 10; the reference uses 1). */
        public Builder optCgIterations(int it) {
            this.cgIterations = it;
            return this;
        }

        /** δ added to the Hessian's diagonal in CG (default 0). */
        public Builder optDamping(double d) {
            this.damping = d;
            return this;
        }

        /** Elementwise clamp of the hypergradient (default 10, the reference's; 0: off). */
        public Builder optHypergradClip(double c) {
            this.hypergradClip = c;
            return this;
        }

        /** Re-create the outer Adam every step as the reference does (default false). */
        public Builder optResetOuterAdam(boolean on) {
            this.resetOuterAdam = on;
            return this;
        }

        /** Stop after this many outer steps without a better validation NLL and keep the best U (default 0: off). */
        public Builder optPatience(int p) {
            this.patience = p;
            return this;
        }

        /** Trains a fresh model with the learned U at the end (default: return the inner solution). */
        public Builder optFinalTrainer(ModelTrainer t) {
            this.finalTrainer = t;
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
        public ImplicitDiffReward build() {
            if (objective == null) {
                throw new IllegalArgumentException("ImplicitDiffReward needs setObjective (the inner PG objective)");
            }
            if (!(u0 > 0) || outerSteps < 1 || innerSteps < 1 || !(outerLr > 0) || !(innerLr > 0) || cgIterations < 1
                    || damping < 0 || patience < 0) {
                throw new IllegalArgumentException("ImplicitDiffReward: u0, learning rates must be > 0, steps and "
                        + "cgIterations ≥ 1, damping and patience ≥ 0; got u0=" + u0 + ", outerSteps=" + outerSteps
                        + ", innerSteps=" + innerSteps + ", outerLr=" + outerLr + ", innerLr=" + innerLr
                        + ", cgIterations=" + cgIterations + ", damping=" + damping + ", patience=" + patience);
            }
            return new ImplicitDiffReward(this);
        }
    }
}
