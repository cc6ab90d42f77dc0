package org.mbrl4j.model;

import org.mbrl4j.objective.GaussianOutput;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.random.RandomGenerator;
import java.util.stream.IntStream;
import org.mbrl4j.data.TransitionDataset;
import org.mbrl4j.event.Provenance;
import org.mbrl4j.objective.Objective;

/**
 * An ensemble of {@link GaussianMlp} dynamics models (one member is a single model): inputs obs ⊕ action, targets the
 * next observation or its delta per dimension (mbrl-lib's {@code no_delta_list}), optional input and target
 * normalisation, bootstrap resampling of the training data per member, elite selection by validation NLL, and the
 * PETS propagation modes.
 */
public final class Ensemble implements DynamicsModel {
    private final int obsDim;
    private final int actDim;
    /** Outputs per row: the observation, plus the reward when the members have a reward head. */
    private final int outDim;
    private final boolean[] delta;
    private final List<GaussianMlp> members;
    private final boolean normalizeInputs;
    private final boolean normalizeTargets;
    private final boolean bootstrap;
    private final int eliteCount;
    /** Discrete actions as one-hot inputs: the number of actions and the first one's value; 0 actions: as given. */
    private final int choices;
    private final int firstAction;
    private int[] elites;

    private Ensemble(int obsDim, int actDim, boolean rewardHead, boolean[] delta, List<GaussianMlp> members,
            boolean normalizeInputs, boolean normalizeTargets, boolean bootstrap, int eliteCount, int choices,
            int firstAction) {
        this.obsDim = obsDim;
        this.actDim = actDim;
        this.choices = choices;
        this.firstAction = firstAction;
        this.outDim = obsDim + (rewardHead ? 1 : 0);
        this.delta = delta;
        this.members = members;
        this.normalizeInputs = normalizeInputs;
        this.normalizeTargets = normalizeTargets;
        this.bootstrap = bootstrap;
        this.eliteCount = eliteCount;
        this.elites = IntStream.range(0, members.size()).toArray();
    }

    /** A new builder. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public int obsDim() {
        return obsDim;
    }

    @Override
    public int actDim() {
        return actDim;
    }

    @Override
    public boolean predictsReward() {
        return outDim > obsDim;
    }

    /** Model outputs per row: {@link #obsDim()}, plus one with a reward head. */
    public int outDim() {
        return outDim;
    }

    @Override
    public int size() {
        return members.size();
    }

    @Override
    public int[] elites() {
        return elites.clone();
    }

    /** Member {@code k}. */
    public GaussianMlp member(int k) {
        return members.get(k);
    }

    /** Whether observation dimension {@code j} is predicted as a delta. */
    public boolean isDelta(int j) {
        return delta[j];
    }

    /**
     * Raw model targets of a dataset, {@link #outDim()} per row: next observation, or next − current on delta
     * dimensions, then the reward when the members have a reward head.
     */
    public double[] targets(TransitionDataset d) {
        double[] next = d.columns("next_obs");
        double[] obs = d.columns("obs");
        for (int i = 0; i < next.length; i++) {
            if (delta[i % obsDim]) {
                next[i] -= obs[i];
            }
        }
        if (outDim == obsDim) {
            return next;
        }
        double[] t = new double[d.size() * outDim];
        for (int r = 0; r < d.size(); r++) {
            System.arraycopy(next, r * obsDim, t, r * outDim, obsDim);
            t[r * outDim + obsDim] = d.reward(r);
        }
        return t;
    }

    /** Fits the input normaliser (obs ⊕ act) and, when enabled, the target normaliser on {@code d}. */
    public void fitNormalizers(TransitionDataset d) {
        Normalizer in = normalizeInputs ? Normalizer.fit(inputColumns(d), d.size(), inWidth()) : null;
        Normalizer out = normalizeTargets ? Normalizer.fit(targets(d), d.size(), outDim) : null;
        for (GaussianMlp m : members) {
            m.setInputNormalizer(in);
            m.setTargetNormalizer(out);
        }
    }

    /** Model-space data of member {@code k} for {@code d}. */
    public ModelTrainer.Data data(int k, TransitionDataset d) {
        GaussianMlp m = members.get(k);
        return new ModelTrainer.Data(m.inputs(inputColumns(d), d.size()), m.targets(targets(d)));
    }

    /** Width of a member's input: the observation, then the action or its one-hot code. */
    private int inWidth() {
        return obsDim + (choices > 0 ? choices : actDim);
    }

    /** The members' input columns of {@code d}, row-major. */
    private double[] inputColumns(TransitionDataset d) {
        double[] obsAct = d.columns("obs", "act");
        if (choices == 0) {
            return obsAct;
        }
        int n = d.size();
        int w = inWidth();
        double[] in = new double[n * w];
        for (int r = 0; r < n; r++) {
            System.arraycopy(obsAct, r * (obsDim + 1), in, r * w, obsDim);
            in[r * w + obsDim + choice(obsAct[r * (obsDim + 1) + obsDim])] = 1;
        }
        return in;
    }

    /** The index of discrete action value {@code a}; a value outside the space fails naming it and the accepted ones. */
    int choice(double a) {
        long k = Math.round(a) - firstAction;
        if (a != Math.rint(a) || k < 0 || k >= choices) {
            throw new IllegalArgumentException("action " + a + " is not one of the model's discrete actions "
                    + firstAction + ".." + (firstAction + choices - 1));
        }
        return (int) k;
    }

    /**
     * Fits normalisers on {@code train}, trains every member (on a bootstrap resample of {@code train} when enabled)
     * and selects the elites by validation NLL (all members when {@code val} is null).
     *
     * @param objectives creates the objective from the model-space training targets (all of {@code train})
     * @param trainer    trainer settings; member k trains with seed {@code seed + k}
     * @param seed       seed of bootstrap draws and training
     */
    public List<ModelTrainer.Result> train(TransitionDataset train, TransitionDataset val,
            Function<double[], Objective> objectives, ModelTrainer trainer, long seed) {
        fitNormalizers(train);
        Objective objective = objectives.apply(members.get(0).targets(targets(train)));
        SplittableRandom rng = new SplittableRandom(seed);
        List<ModelTrainer.Result> results = new ArrayList<>();
        double[] score = new double[members.size()];
        for (int k = 0; k < members.size(); k++) {
            TransitionDataset tk = train;
            if (bootstrap && members.size() > 1) {
                int[] rows = new int[train.size()];
                for (int i = 0; i < rows.length; i++) {
                    rows[i] = rng.nextInt(train.size());
                }
                tk = train.select(rows);
            }
            ModelTrainer.Result r;
            try (ModelTrainer.Data dk = data(k, tk); ModelTrainer.Data vk = val == null ? null : data(k, val)) {
                r = trainer.withSeed(seed + k).train(members.get(k), objective, dk, vk, null);
            }
            results.add(r);
            if (val != null && !r.val().containsKey("nll")) {
                throw new IllegalArgumentException("elites are selected by validation NLL, but objective "
                        + objective.name() + " reports no 'nll' metric (it reports " + r.val().keySet() + ")");
            }
            score[k] = val == null ? 0 : r.val().get("nll");
        }
        if (val != null && eliteCount < members.size()) {
            elites = IntStream.range(0, members.size()).boxed().sorted(Comparator.comparingDouble(k -> score[k]))
                    .limit(eliteCount).mapToInt(Integer::intValue).sorted().toArray();
        } else {
            elites = IntStream.range(0, members.size()).toArray();
        }
        return results;
    }

    /** Frees every member's native buffers. */
    @Override
    public void close() {
        for (GaussianMlp m : members) {
            m.close();
        }
    }

    @Override
    public Prediction predict(double[] obs, double[] act, int n, Propagation mode, int[] assignment, RandomGenerator rng) {
        if (obs.length != n * obsDim || act.length != n * actDim) {
            throw new IllegalArgumentException("expected " + n + " rows of " + obsDim + " observation and " + actDim
                    + " action values, got " + obs.length + " and " + act.length);
        }
        double[] mean = new double[n * outDim];
        double[] std = new double[n * outDim];
        if (mode == Propagation.EXPECTATION) {
            double[] m2 = new double[n * outDim];
            double[] v = new double[n * outDim];
            int[] all = IntStream.range(0, n).toArray();
            for (int k : elites) {
                double[][] p = memberPrediction(k, obs, act, all);
                for (int i = 0; i < mean.length; i++) {
                    mean[i] += p[0][i] / elites.length;
                    m2[i] += p[0][i] * p[0][i] / elites.length;
                    v[i] += p[1][i] * p[1][i] / elites.length;
                }
            }
            for (int i = 0; i < mean.length; i++) {
                std[i] = Math.sqrt(Math.max(0, v[i] + m2[i] - mean[i] * mean[i]));
            }
            return new Prediction(n, outDim, mean, std);
        }
        int[] member = new int[n];
        for (int i = 0; i < n; i++) {
            if (mode == Propagation.TS1) {
                member[i] = elites[rng.nextInt(elites.length)];
            } else {
                if (assignment == null || assignment.length != n) {
                    throw new IllegalArgumentException("TSINF propagation needs one member index per row");
                }
                member[i] = assignment[i];
                if (member[i] < 0 || member[i] >= members.size()) {
                    throw new IllegalArgumentException("member " + member[i] + " of row " + i + " is outside 0.."
                            + (members.size() - 1));
                }
            }
        }
        for (int k = 0; k < members.size(); k++) {
            final int kk = k;
            int[] rows = IntStream.range(0, n).filter(i -> member[i] == kk).toArray();
            if (rows.length == 0) {
                continue;
            }
            double[][] p = memberPrediction(k, obs, act, rows);
            for (int r = 0; r < rows.length; r++) {
                System.arraycopy(p[0], r * outDim, mean, rows[r] * outDim, outDim);
                System.arraycopy(p[1], r * outDim, std, rows[r] * outDim, outDim);
            }
        }
        return new Prediction(n, outDim, mean, std);
    }

    /**
     * The batched float32 sampler ({@link EnsembleSampler}) for {@link Propagation#TSINF} and
     * {@link Propagation#EXPECTATION}, members spread over {@code threads} Java threads (ND4J itself should then run
     * one thread each); {@link Propagation#TS1} goes through {@link #sample}.
     */
    @Override
    public Sampler sampler(int rows, Propagation mode, int threads) {
        if (mode == Propagation.TS1 || members.get(0).dataType() != org.nd4j.linalg.api.buffer.DataType.FLOAT) {
            return DynamicsModel.super.sampler(rows, mode, threads);
        }
        return new EnsembleSampler(this, rows, mode, threads);
    }

    /** {mean, std} of the raw next observation (and reward) for the given rows, by member k. */
    private double[][] memberPrediction(int k, double[] obs, double[] act, int[] rows) {
        int n = rows.length;
        int w = inWidth();
        // padded to a multiple of 32 rows: a member's batch size then takes few distinct values (TS1 draws a random
        // count per member at every step), so its per-size buffers are reused rather than created and freed
        int padded = (n + 31) / 32 * 32;
        double[] in = new double[padded * w];
        for (int r = 0; r < n; r++) {
            System.arraycopy(obs, rows[r] * obsDim, in, r * w, obsDim);
            if (choices > 0) {
                in[r * w + obsDim + choice(act[rows[r]])] = 1;
            } else {
                System.arraycopy(act, rows[r] * actDim, in, r * w + obsDim, actDim);
            }
        }
        GaussianMlp m = members.get(k);
        GaussianOutput out = m.predict(in, padded);
        double[] mean = Arrays.copyOf(out.mean(), n * outDim);
        double[] std = new double[mean.length];
        Normalizer tn = m.targetNormalizer();
        for (int i = 0; i < mean.length; i++) {
            int j = i % outDim;
            double s = Math.exp(out.logStd()[i]);
            if (tn != null) {
                mean[i] = mean[i] * tn.std()[j] + tn.mean()[j];
                s *= tn.std()[j];
            }
            if (j < obsDim && delta[j]) {
                mean[i] += obs[rows[i / outDim] * obsDim + j];
            }
            std[i] = s;
        }
        return new double[][] {mean, std};
    }

    /** Settings stored in checkpoints besides the members. */
    private Map<String, Object> settings() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("obs_dim", obsDim);
        s.put("act_dim", actDim);
        List<Boolean> d = new ArrayList<>();
        for (boolean b : delta) {
            d.add(b);
        }
        s.put("delta", d);
        s.put("normalize_inputs", normalizeInputs);
        s.put("normalize_targets", normalizeTargets);
        s.put("bootstrap", bootstrap);
        s.put("elite_count", eliteCount);
        s.put("reward_head", outDim > obsDim);
        s.put("elites", Arrays.stream(elites).boxed().toList());
        if (choices > 0) {
            s.put("one_hot_actions", List.of(choices, firstAction));
        }
        return s;
    }

    /** Writes the ensemble to one checkpoint file, atomically. */
    public void save(Path file, Provenance provenance) {
        new Checkpoint(members, settings(), provenance).save(file);
    }

    /** Loads an ensemble written by {@link #save}. */
    @SuppressWarnings("unchecked")
    public static Ensemble load(Path file) {
        Checkpoint c = Checkpoint.load(file);
        Map<String, Object> s = c.settings();
        if (!s.containsKey("obs_dim")) {
            throw new IllegalArgumentException(file + " holds models but no ensemble settings (obs_dim, act_dim, delta)");
        }
        Ensemble e;
        try {
            List<Number> oneHot = (List<Number>) s.get("one_hot_actions");
            List<Boolean> d = Checkpoint.field(s, "delta", List.class, file, "settings.");
            boolean[] delta = new boolean[d.size()];
            for (int i = 0; i < delta.length; i++) {
                delta[i] = d.get(i);
            }
            e = new Ensemble(Checkpoint.<Number>field(s, "obs_dim", Number.class, file, "settings.").intValue(),
                    Checkpoint.<Number>field(s, "act_dim", Number.class, file, "settings.").intValue(),
                    Boolean.TRUE.equals(s.get("reward_head")), delta, new ArrayList<>(c.members()),
                    Checkpoint.field(s, "normalize_inputs", Boolean.class, file, "settings."),
                    Checkpoint.field(s, "normalize_targets", Boolean.class, file, "settings."),
                    Checkpoint.field(s, "bootstrap", Boolean.class, file, "settings."),
                    Checkpoint.<Number>field(s, "elite_count", Number.class, file, "settings.").intValue(),
                    oneHot == null ? 0 : oneHot.get(0).intValue(), oneHot == null ? 0 : oneHot.get(1).intValue());
            e.elites = Checkpoint.<List<Number>>field(s, "elites", List.class, file, "settings.").stream()
                    .mapToInt(Number::intValue).toArray();
        } catch (ClassCastException | NullPointerException | IndexOutOfBoundsException bad) {
            // a hand-edited or damaged file: name it rather than fail somewhere inside
            throw new IllegalArgumentException(file + ": the ensemble settings are malformed (" + bad.getMessage() + ")", bad);
        }
        return e;
    }

    /** Builder for {@link Ensemble}. */
    public static final class Builder {
        private int obsDim = -1;
        private int actDim = -1;
        private int choices;
        private int firstAction;
        private int size = 1;
        private int[] hidden = {64, 64};
        private GaussianMlp.Activation activation = GaussianMlp.Activation.RELU;
        private boolean softBounds;
        private boolean deltaTargets;
        private int[] noDelta = {};
        private boolean normalizeInputs;
        private boolean normalizeTargets;
        private boolean bootstrap = true;
        private int eliteCount = -1;
        private boolean rewardHead;
        private RandomGenerator rng;

        private Builder() {
        }

        /** Required: observation dimension. */
        public Builder setObsDim(int d) {
            this.obsDim = d;
            return this;
        }

        /** Required: action dimension. */
        public Builder setActDim(int d) {
            this.actDim = d;
            return this;
        }

        /** Required: random generator of the members' initial weights. */
        public Builder setRandom(RandomGenerator rng) {
            this.rng = rng;
            return this;
        }

        /** Number of members (default 1). */
        public Builder optSize(int n) {
            this.size = n;
            return this;
        }

        /** Hidden layer sizes (default 64, 64). */
        public Builder optHidden(int... h) {
            this.hidden = h.clone();
            return this;
        }

        /** Hidden activation (default ReLU). */
        public Builder optActivation(GaussianMlp.Activation a) {
            this.activation = a;
            return this;
        }

        /** PETS soft log-std bounds (default off). */
        public Builder optSoftLogStdBounds(boolean on) {
            this.softBounds = on;
            return this;
        }

        /** Predict next − current instead of the next observation (default false), except on {@code noDelta} dims. */
        public Builder optDeltaTargets(boolean on, int... noDelta) {
            this.deltaTargets = on;
            this.noDelta = noDelta.clone();
            return this;
        }

        /** Standardise inputs (default false, as the reference). */
        public Builder optNormalizeInputs(boolean on) {
            this.normalizeInputs = on;
            return this;
        }

        /** Standardise targets (default false). */
        public Builder optNormalizeTargets(boolean on) {
            this.normalizeTargets = on;
            return this;
        }

        /** Bootstrap resampling per member when there are several (default true). */
        public Builder optBootstrap(boolean on) {
            this.bootstrap = on;
            return this;
        }

        /** Number of elites kept by validation NLL (default: all members). */
        public Builder optElites(int k) {
            this.eliteCount = k;
            return this;
        }

        /**
         * A reward head (default off): the members predict the reward of the transition as one more Gaussian output
         * (never a delta), so planning needs no reward function.
         */
        public Builder optRewardHead(boolean on) {
            this.rewardHead = on;
            return this;
        }

        /**
         * Discrete actions (one value per step, {@code start .. start + n − 1}) enter the members as a one-hot code of
         * {@code n} columns rather than as the value (default: the action values as given).
         */
        public Builder optOneHotActions(int n, int start) {
            this.choices = n;
            this.firstAction = start;
            return this;
        }

        /** Validates and builds. */
        public Ensemble build() {
            if (obsDim < 1 || actDim < 1) {
                throw new IllegalArgumentException("Ensemble obsDim and actDim must be ≥ 1 (setObsDim, setActDim), got "
                        + obsDim + ", " + actDim);
            }
            if (size < 1) {
                throw new IllegalArgumentException("Ensemble size must be ≥ 1, got " + size);
            }
            int elites = eliteCount < 0 ? size : eliteCount;
            if (elites < 1 || elites > size) {
                throw new IllegalArgumentException("Ensemble elites must be in 1.." + size + ", got " + eliteCount);
            }
            if (rng == null) {
                throw new IllegalArgumentException("Ensemble needs a random generator for its initial weights (setRandom)");
            }
            boolean[] delta = new boolean[obsDim];
            Arrays.fill(delta, deltaTargets);
            for (int j : noDelta) {
                if (j < 0 || j >= obsDim) {
                    throw new IllegalArgumentException("no-delta dimension " + j + " is outside 0.." + (obsDim - 1));
                }
                delta[j] = false;
            }
            if (choices != 0 && (choices < 2 || actDim != 1)) {
                throw new IllegalArgumentException("one-hot actions need one action value (actDim 1) and at least 2 "
                        + "actions, got actDim " + actDim + " and " + choices + " actions");
            }
            List<GaussianMlp> members = new ArrayList<>();
            for (int k = 0; k < size; k++) {
                members.add(GaussianMlp.builder().setInputs(obsDim + (choices > 0 ? choices : actDim)).setOutputs(obsDim + (rewardHead ? 1 : 0))
                        .optHidden(hidden)
                        .optActivation(activation).optSoftLogStdBounds(softBounds).setRandom(rng).build());
            }
            return new Ensemble(obsDim, actDim, rewardHead, delta, members, normalizeInputs, normalizeTargets, bootstrap,
                    elites, choices, firstAction);
        }
    }
}
