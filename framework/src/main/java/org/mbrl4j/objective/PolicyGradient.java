package org.mbrl4j.objective;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.random.RandomGenerator;
import org.mbrl4j.random.ZigguratNormal;

/**
 * The reward-driven objective of arXiv 2510.07624, exactly as the reference computes it: G samples ŷ ~ N(m, σ) per
 * input (no gradient through them), nlp = −log N(ŷ | m, σ) averaged over output dimensions, r = T(−(ŷ−y)ᵀU(ŷ−y)),
 * optionally nlp clamped to ±clip, and
 * <pre>loss = mean_{G,B}(nlp · r) − λ · mean_{B,dims}(entropy)</pre>
 * (REINFORCE: minimising it raises the likelihood of high-reward samples). With {@code rsample} the samples are
 * reparameterised and loss = −mean(T(r)) − λ·H.
 *
 * <p>The gradient with respect to the head outputs is analytic (d nlp/dm = −ε/(σn), d nlp/d log σ = (1 − ε²)/n with
 * ŷ = m + σε), so one step costs one backward pass through the network whatever G is.
 */
public final class PolicyGradient implements Objective {

    /** Reward transform T. */
    public enum Transform {
        /** T(r) = r (the reference default). */
        NONE,
        /** T(r) = r − min over the G samples of the same input. */
        NORMALIZE,
        /** T(r) = exp(γ r). */
        RBF
    }

    private final MahalanobisReward reward;
    private final double lambda;
    private final int generations;
    private final Transform transform;
    private final double gamma;
    private final double clip;
    private final boolean rsample;
    private final int threads;

    private PolicyGradient(Builder b) {
        reward = b.reward;
        lambda = b.lambda;
        generations = b.generations;
        transform = b.transform;
        gamma = b.gamma;
        clip = b.clip;
        rsample = b.rsample;
        threads = b.threads;
    }

    /** A new builder. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String name() {
        return "pg";
    }

    /** The reward. */
    public MahalanobisReward reward() {
        return reward;
    }

    /** The entropy weight λ. */
    public double lambda() {
        return lambda;
    }

    /** Samples per input. */
    public int generations() {
        return generations;
    }

    /**
     * Rows are processed in {@link #chunks} fixed chunks, each with its own normal stream seeded from {@code rng} in
     * chunk order, and the partial sums are combined in chunk order: the result depends on the seed only, not on how
     * many threads run the chunks.
     */
    @Override
    public Evaluation evaluate(GaussianOutput out, double[] y, RandomGenerator rng, double[] dMean, double[] dLogStd) {
        int batch = out.batch();
        int n = out.dim();
        if (n != reward.dim()) {
            throw new IllegalArgumentException("the reward is " + reward.dim() + "-dimensional, the model predicts " + n);
        }
        int chunks = chunks(batch);
        long[] seeds = new long[chunks];
        for (int c = 0; c < chunks; c++) {
            seeds[c] = rng.nextLong();
        }
        Partial[] parts = new Partial[chunks];
        java.util.function.IntConsumer run = c -> parts[c] = chunk(out, y, c * batch / chunks, (c + 1) * batch / chunks,
                ZigguratNormal.seeded(seeds[c]), dMean, dLogStd);
        if (threads > 1 && chunks > 1) {
            java.util.stream.IntStream.range(0, chunks).parallel().forEach(run);
        } else {
            for (int c = 0; c < chunks; c++) {
                run.accept(c);
            }
        }
        double loss = 0;
        double entropy = 0;
        double rewardSum = 0;
        GaussianMetrics.Sums sums = new GaussianMetrics.Sums();
        for (Partial p : parts) {
            loss += p.loss;
            entropy += p.entropy;
            rewardSum += p.rewardSum;
            sums.se += p.sums.se;
            sums.nll += p.sums.nll;
            sums.ent += p.sums.ent;
        }
        double inv = 1.0 / ((double) generations * batch);
        loss *= inv;
        loss -= lambda * entropy / ((double) batch * n);
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("loss", loss);
        sums.into(metrics, (long) batch * n);
        metrics.put("reward_mean", rewardSum * inv);
        return new Evaluation(loss, metrics);
    }

    /** Number of fixed chunks for a batch: 1 for small batches, {@value #CHUNKS} from 4096 rows on. */
    static int chunks(int batch) {
        return batch >= 4096 ? CHUNKS : 1;
    }

    /** Chunks of large batches (a multiple of the usual core counts). */
    static final int CHUNKS = 4;

    /** Partial sums of one chunk. */
    private static final class Partial {
        double loss;
        double entropy;
        double rewardSum;
        final GaussianMetrics.Sums sums = new GaussianMetrics.Sums();
    }

    private Partial chunk(GaussianOutput out, double[] y, int from, int to, ZigguratNormal normal, double[] dMean,
            double[] dLogStd) {
        int batch = out.batch();
        int n = out.dim();
        int g = generations;
        double[] m = out.mean();
        double[] ls = out.logStd();
        boolean grads = dMean != null;
        // the isotropic reward's −u‖d‖² is summed in the sampling loop; a full U takes its own pass
        boolean isotropic = reward.isIsotropic();
        double u = reward.scale();
        double[] eps = new double[g * n];
        double[] diff = new double[g * n];
        double[] sigma = new double[n];
        double[] invSigma = new double[n];
        double[] gm = new double[n];
        double[] gl = new double[n];
        double[] raw = new double[g];
        double[] t = new double[g];
        double[] nlp = new double[g];
        double[] ud = new double[n];
        double inv = 1.0 / ((double) g * batch);
        double entWeight = lambda / ((double) batch * n);
        // sums kept in locals (not fields) inside the loop: the JIT keeps them in registers
        double loss = 0;
        double lsTotal = 0;
        double rewardSum = 0;
        double se = 0;
        double nll = 0;
        for (int b = from; b < to; b++) {
            int row = b * n;
            double lsRow = 0;
            for (int d = 0; d < n; d++) {
                double l = ls[row + d];
                double sg = Math.exp(l);
                double is = 1 / sg;
                sigma[d] = sg;
                invSigma[d] = is;
                double r = y[row + d] - m[row + d];
                double z = r * is;
                se += r * r;
                nll += 0.5 * z * z;
                lsRow += l;
                gm[d] = 0;
                gl[d] = -entWeight;
            }
            lsTotal += lsRow;
            int argmin = 0;
            normal.fill(eps, 0, g * n);
            for (int k = 0; k < g; k++) {
                int o = k * n;
                double sq = 0;
                double dd = 0;
                for (int d = 0; d < n; d++) {
                    double e = eps[o + d];
                    double df = m[row + d] + sigma[d] * e - y[row + d];
                    diff[o + d] = df;
                    sq += e * e;
                    dd += df * df;
                }
                nlp[k] = (0.5 * sq + lsRow) / n + GaussianMetrics.HALF_LOG_2PI;
                raw[k] = isotropic ? -u * dd : reward.value(diff, o);
                rewardSum += raw[k];
                if (raw[k] < raw[argmin]) {
                    argmin = k;
                }
            }
            for (int k = 0; k < g; k++) {
                t[k] = switch (transform) {
                    case NONE -> raw[k];
                    case NORMALIZE -> raw[k] - raw[argmin];
                    case RBF -> Math.exp(gamma * raw[k]);
                };
            }
            if (!rsample) {
                for (int k = 0; k < g; k++) {
                    double v = nlp[k];
                    boolean active = true;
                    if (clip > 0 && (v > clip || v < -clip)) {
                        v = Math.max(-clip, Math.min(clip, v));
                        active = false;
                    }
                    loss += v * t[k];
                    if (grads && active) {
                        double wgt = t[k] * inv / n;
                        int o = k * n;
                        for (int d = 0; d < n; d++) {
                            double e = eps[o + d];
                            gm[d] -= wgt * e;
                            gl[d] += wgt * (1 - e * e);
                        }
                    }
                }
                if (grads) {
                    for (int d = 0; d < n; d++) {
                        dMean[row + d] = gm[d] * invSigma[d];
                        dLogStd[row + d] = gl[d];
                    }
                }
            } else {
                if (grads) {
                    for (int d = 0; d < n; d++) {
                        dMean[row + d] = 0;
                        dLogStd[row + d] = -entWeight;
                    }
                }
                for (int k = 0; k < g; k++) {
                    loss -= t[k];
                    if (grads) {
                        // dLoss/dr_k, then through r = −dᵀUd to ŷ = m + σε
                        double dr = transform == Transform.RBF ? -inv * gamma * t[k] : -inv;
                        accumulateReparam(k, n, row, dr, diff, eps, sigma, ud, dMean, dLogStd);
                    }
                }
                if (grads && transform == Transform.NORMALIZE) {
                    // every T_k subtracts r_argmin: its gradient collects +inv from each of the G terms
                    accumulateReparam(argmin, n, row, g * inv, diff, eps, sigma, ud, dMean, dLogStd);
                }
            }
        }
        Partial p = new Partial();
        p.loss = loss;
        p.rewardSum = rewardSum;
        p.entropy = (double) (to - from) * n * (0.5 + GaussianMetrics.HALF_LOG_2PI) + lsTotal;
        p.sums.se = se;
        p.sums.nll = nll + lsTotal;
        p.sums.ent = lsTotal;
        return p;
    }

    /**
     * The sensitivity of the directional derivative vᵀ∇θL to the reward matrix: returns ∂(vᵀ∇θL)/∂U ({@code dim × dim},
     * row-major) given the head tangents J·v (how mean and log σ of every row move along v), drawing exactly the
     * samples {@link #evaluate} draws from the same {@code rng} state. For the REINFORCE loss it is
     * mean_{G,B}[w·∂T(r)/∂U] with w = vᵀ∇θ nlp = Σ_d(−ε_d/σ_d·Jm_d + (1 − ε_d²)·Jls_d)/n and ∂r/∂U = −d dᵀ, d = ŷ − y;
     * this is the mixed second derivative an implicit-differentiation reward learner needs.
     */
    public double[] rewardSensitivity(GaussianOutput out, double[] y, RandomGenerator rng, double[] tangentMean,
            double[] tangentLogStd) {
        if (rsample) {
            throw new UnsupportedOperationException("the reward sensitivity is implemented for REINFORCE, not rsample");
        }
        int batch = out.batch();
        int n = out.dim();
        int chunks = chunks(batch);
        long[] seeds = new long[chunks];
        for (int c = 0; c < chunks; c++) {
            seeds[c] = rng.nextLong();
        }
        double[] total = new double[n * n];
        double[] m = out.mean();
        double[] ls = out.logStd();
        double[] eps = new double[generations * n];
        double[] diff = new double[generations * n];
        double[] raw = new double[generations];
        boolean[] clamped = new boolean[generations];
        double[] sigma = new double[n];
        for (int c = 0; c < chunks; c++) {
            ZigguratNormal normal = ZigguratNormal.seeded(seeds[c]);
            for (int b = c * batch / chunks; b < (c + 1) * batch / chunks; b++) {
                int row = b * n;
                for (int d = 0; d < n; d++) {
                    sigma[d] = Math.exp(ls[row + d]);
                }
                int argmin = 0;
                double sumW = 0;
                normal.fill(eps, 0, generations * n);
                for (int k = 0; k < generations; k++) {
                    int o = k * n;
                    double s = 0;
                    for (int d = 0; d < n; d++) {
                        double e = eps[o + d];
                        diff[o + d] = m[row + d] + sigma[d] * e - y[row + d];
                        s += 0.5 * e * e + ls[row + d];
                    }
                    raw[k] = reward.value(diff, o);
                    if (raw[k] < raw[argmin]) {
                        argmin = k;
                    }
                    double nlp = s / n + GaussianMetrics.HALF_LOG_2PI;
                    clamped[k] = clip > 0 && (nlp > clip || nlp < -clip);
                }
                for (int k = 0; k < generations; k++) {
                    int o = k * n;
                    if (clamped[k]) {
                        continue; // a clamped −log p has no gradient
                    }
                    double w = 0;
                    for (int d = 0; d < n; d++) {
                        double e = eps[o + d];
                        w += -e / sigma[d] * tangentMean[row + d] + (1 - e * e) * tangentLogStd[row + d];
                    }
                    w /= n;
                    double coef = switch (transform) {
                        case NONE, NORMALIZE -> -w;
                        case RBF -> -w * gamma * Math.exp(gamma * raw[k]);
                    };
                    addOuter(total, diff, o, n, coef);
                    sumW += w;
                }
                if (transform == Transform.NORMALIZE) {
                    // every T_k subtracts r_argmin, whose derivative is −d_a d_aᵀ
                    addOuter(total, diff, argmin * n, n, sumW);
                }
            }
        }
        double inv = 1.0 / ((double) generations * batch);
        for (int i = 0; i < total.length; i++) {
            total[i] *= inv;
        }
        return total;
    }

    private static void addOuter(double[] acc, double[] v, int off, int n, double coef) {
        for (int i = 0; i < n; i++) {
            double a = coef * v[off + i];
            for (int j = 0; j < n; j++) {
                acc[i * n + j] += a * v[off + j];
            }
        }
    }

    /** A builder holding this objective's settings. */
    public Builder toBuilder() {
        return builder().setReward(reward).optLambda(lambda).optGenerations(generations).optTransform(transform)
                .optGamma(gamma).optClip(clip).optRsample(rsample).optThreads(threads);
    }

    /** The same objective with another reward. */
    public PolicyGradient withReward(MahalanobisReward r) {
        return toBuilder().setReward(r).build();
    }

    private void accumulateReparam(int k, int n, int row, double dr, double[] diff, double[] eps, double[] sigma,
            double[] ud, double[] dMean, double[] dLogStd) {
        reward.apply(diff, k * n, ud);
        for (int d = 0; d < n; d++) {
            double dy = dr * -2 * ud[d];
            dMean[row + d] += dy;
            dLogStd[row + d] += dy * sigma[d] * eps[k * n + d];
        }
    }

    @Override
    public String toString() {
        return "PolicyGradient[" + reward + ", λ=" + lambda + ", G=" + generations + ", transform=" + transform
                + (transform == Transform.RBF ? "(γ=" + gamma + ")" : "") + (clip > 0 ? ", clip=" + clip : "")
                + (rsample ? ", rsample" : "") + "]";
    }

    /** Builder: {@code setReward} is required. */
    public static final class Builder {
        private MahalanobisReward reward;
        private double lambda = 1.0;
        private int generations = 5;
        private Transform transform = Transform.NONE;
        private double gamma = 1.0;
        private double clip;
        private boolean rsample;
        private int threads = 1;

        private Builder() {
        }

        /** Required: the Mahalanobis reward. */
        public Builder setReward(MahalanobisReward r) {
            this.reward = r;
            return this;
        }

        /** Entropy weight λ > 0 (default 1). */
        public Builder optLambda(double lambda) {
            this.lambda = lambda;
            return this;
        }

        /** Samples per input G ≥ 1 (default 5). */
        public Builder optGenerations(int g) {
            this.generations = g;
            return this;
        }

        /** Reward transform (default NONE). */
        public Builder optTransform(Transform t) {
            this.transform = t;
            return this;
        }

        /** γ of the RBF transform (default 1). */
        public Builder optGamma(double gamma) {
            this.gamma = gamma;
            return this;
        }

        /** Clamp of −log p to ±clip (default 0: off). */
        public Builder optClip(double clip) {
            this.clip = clip;
            return this;
        }

        /** Reparameterised samples instead of REINFORCE (default false). */
        public Builder optRsample(boolean on) {
            this.rsample = on;
            return this;
        }

        /** Threads that evaluate the loss (default 1); results do not depend on it. */
        public Builder optThreads(int threads) {
            this.threads = threads;
            return this;
        }

        /** Validates and builds. */
        public PolicyGradient build() {
            if (threads < 1) {
                throw new IllegalArgumentException("PolicyGradient threads must be ≥ 1, got " + threads);
            }
            if (reward == null) {
                throw new IllegalArgumentException("PolicyGradient reward is required (setReward)");
            }
            if (!(lambda >= 0) || !Double.isFinite(lambda)) {
                throw new IllegalArgumentException("PolicyGradient lambda must be ≥ 0 and finite, got " + lambda);
            }
            if (generations < 1) {
                throw new IllegalArgumentException("PolicyGradient generations must be ≥ 1, got " + generations);
            }
            if (!(gamma > 0)) {
                throw new IllegalArgumentException("PolicyGradient gamma must be > 0, got " + gamma);
            }
            if (!(clip >= 0)) {
                throw new IllegalArgumentException("PolicyGradient clip must be ≥ 0 (0: off), got " + clip);
            }
            return new PolicyGradient(this);
        }
    }

    /**
     * Provider of {@code pg}. Options: {@code lambda}, {@code generations}, {@code reward} ({@code identity},
     * {@code scaled}, {@code full}, {@code u=VALUE} from the training targets; {@code conditional} and {@code learned}
     * fitted by the context; or a {@link MahalanobisReward}), {@code transform} ({@code none}, {@code normalize},
     * {@code rbf}), {@code gamma}, {@code clip}, {@code rsample}.
     */
    public static final class Provider implements ObjectiveProvider {
        @Override
        public String name() {
            return "pg";
        }

        @Override
        public Set<String> options() {
            return Set.of("lambda", "generations", "reward", "transform", "gamma", "clip", "rsample", "threads");
        }

        @Override
        public Objective create(Map<String, Object> o, ObjectiveContext context) {
            double lambda = number(o, "lambda", 1.0);
            Object r = o.getOrDefault("reward", "identity");
            boolean fitted = FITTED.contains(String.valueOf(r));
            MahalanobisReward reward = r instanceof MahalanobisReward given ? given
                    : fitted ? MahalanobisReward.identity(context.dim())
                    : rewardFor(String.valueOf(r), lambda, context.trainTargets(), context.dim());
            String tr = String.valueOf(o.getOrDefault("transform", "none"));
            Transform t;
            try {
                t = Transform.valueOf(tr.toUpperCase());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("transform '" + tr + "' is unknown; accepted: none, normalize, rbf");
            }
            Objective built = builder().setReward(reward).optLambda(lambda).optGenerations((int) number(o, "generations", 5))
                    .optTransform(t).optGamma(number(o, "gamma", 1.0)).optClip(number(o, "clip", 0))
                    .optRsample(Boolean.parseBoolean(String.valueOf(o.getOrDefault("rsample", "false"))))
                    .optThreads((int) number(o, "threads", 1)).build();
            PolicyGradient pg = (PolicyGradient) built;
            return fitted ? pg.withReward(context.fitReward(String.valueOf(r), pg)) : pg;
        }

        /** Every reward value the {@code reward} option accepts. */
        public static final String REWARDS = "identity, scaled, full, conditional, u=VALUE, learned";

        /** The reward values fitted with a model and data rather than computed from the targets. */
        private static final Set<String> FITTED = Set.of("conditional", "learned");

        /** The reward named by a flag value: identity, scaled, full, or u=VALUE. */
        public static MahalanobisReward rewardFor(String r, double lambda, double[] trainTargets, int dim) {
            if (r.equals("identity")) {
                return MahalanobisReward.identity(dim);
            }
            if (r.equals("scaled")) {
                return MahalanobisReward.scaled(lambda, Covariance.of(trainTargets, dim));
            }
            if (r.equals("full")) {
                return MahalanobisReward.full(lambda, Covariance.of(trainTargets, dim));
            }
            if (r.startsWith("u=")) {
                try {
                    return MahalanobisReward.isotropic(Double.parseDouble(r.substring(2)), dim);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("reward '" + r + "': u must be a number");
                }
            }
            throw new IllegalArgumentException("reward '" + r + "' is unknown; accepted: " + REWARDS);
        }

        private static double number(Map<String, Object> o, String key, double def) {
            Object v = o.get(key);
            if (v == null) {
                return def;
            }
            if (v instanceof Number n) {
                return n.doubleValue();
            }
            try {
                return Double.parseDouble(v.toString());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("pg option " + key + " must be a number, got '" + v + "'");
            }
        }
    }
}
