package org.mbrl4j.agents;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.mbrl4j.data.ReplayBuffer;
import org.mbrl4j.data.Split;
import org.mbrl4j.data.TransitionDataset;
import org.mbrl4j.env.Box;
import org.mbrl4j.env.Env;
import org.mbrl4j.env.EnvRegistry;
import org.mbrl4j.env.EnvSpec;
import org.mbrl4j.env.Step;
import org.mbrl4j.event.Event;
import org.mbrl4j.event.EventBus;
import org.mbrl4j.event.Provenance;
import org.mbrl4j.model.DynamicsModel.Propagation;
import org.mbrl4j.model.Ensemble;
import org.mbrl4j.model.ModelTrainer;
import org.mbrl4j.bilevel.RewardFlags;
import org.mbrl4j.objective.MahalanobisReward;
import org.mbrl4j.objective.Objective;
import org.mbrl4j.objective.PolicyGradient;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;
import org.mbrl4j.planning.Cem;
import org.mbrl4j.planning.ICem;
import org.mbrl4j.planning.ModelEnv;
import org.mbrl4j.planning.Mppi;
import org.mbrl4j.planning.RandomShooting;
import org.mbrl4j.planning.TrajectoryOptimizer;

/**
 * The PETS loop (Chua et al. 2018) with the world model trained by any objective: collect random episodes, then
 * repeat {train the probabilistic ensemble on the replay buffer, run an episode with CEM planning through imagined
 * TS∞ rollouts}. Everything the loop does is published on the event bus. With a run directory, the buffer, model,
 * planner state and results are checkpointed at every episode end and every {@code checkpointEvery} steps, and
 * {@link #fromCheckpoint} continues a killed run exactly (randomness is a function of seed, episode and step).
 */
public final class Pets {

    /**
     * One finished episode.
     *
     * @param episode  index (random episodes first)
     * @param envSteps environment steps so far
     * @param ret      return
     * @param seconds  wall time since the start of the run
     * @param phase    {@code random} (initial data), {@code train} (planning, collected) or {@code eval} (planning,
     *                 not collected; {@code envSteps} is then the training steps so far)
     */
    public record EpisodeResult(int episode, long envSteps, double ret, double seconds, String phase) {
    }

    /** Named sizes. */
    public enum Preset {
        /** The CPU-sized defaults (ensemble 5 of 3×64, 10 particles, horizon 15, CEM 5 × 200, 50 epochs). */
        DEFAULT(5, new int[] {64, 64, 64}, 10, 15, 200, 5, 50, 64),
        /**
         * mbrl-lib's HalfCheetah PETS configuration: ensemble 7 of 4×200 SiLU, 20 particles, horizon 30, CEM 5 × 400;
         * about 300 GFLOP per action, seconds per action on two cores.
         */
        MBRL_LIB_HALFCHEETAH(7, new int[] {200, 200, 200, 200}, 20, 30, 400, 5, 50, 256),
        /**
         * A MuJoCo size that runs 20k HalfCheetah steps in about two hours on two cores: ensemble 5 of 3×64,
         * 10 particles, horizon 15, CEM 4 × 150, 20 model epochs of minibatch 256.
         */
        CPU_MUJOCO(5, new int[] {64, 64, 64}, 10, 15, 150, 4, 20, 256);

        private final int ensemble;
        private final int[] hidden;
        private final int particles;
        private final int horizon;
        private final int population;
        private final int iterations;
        private final int epochs;
        private final int batch;

        Preset(int ensemble, int[] hidden, int particles, int horizon, int population, int iterations, int epochs,
                int batch) {
            this.ensemble = ensemble;
            this.hidden = hidden;
            this.particles = particles;
            this.horizon = horizon;
            this.population = population;
            this.iterations = iterations;
            this.epochs = epochs;
            this.batch = batch;
        }

        @Override
        public String toString() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }

        /** The preset called {@code name} ({@code cpu-mujoco}, …). */
        public static Preset of(String name) {
            for (Preset p : values()) {
                if (p.toString().equals(name)) {
                    return p;
                }
            }
            throw new IllegalArgumentException("preset '" + name + "' is unknown; accepted: "
                    + java.util.Arrays.stream(values()).map(Preset::toString).toList());
        }
    }

    private final Builder cfg;

    private Pets(Builder cfg) {
        this.cfg = cfg;
    }

    /** A new builder with the CPU-sized Pendulum defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** The settings as a map (for configs, provenance and hparams). */
    public Map<String, Object> config() {
        Map<String, Object> m = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : cfg.settings().entrySet()) {
            if (e.getKey().equals("objective_options")) {
                m.putAll(cfg.objectiveOptions); // flat, so hparams show reward and lambda as columns
            } else {
                m.put(e.getKey(), e.getValue() instanceof int[] h ? java.util.Arrays.stream(h).boxed().toList()
                        : e.getValue());
            }
        }
        return m;
    }

    /**
     * Runs the loop (or continues it, for a {@link #fromCheckpoint} instance), publishing on {@code bus}. With a run
     * directory, a checkpoint (buffer, model, planner state, results, position) is written to {@code runDir/checkpoint}
     * at every episode end and every {@code checkpointEvery} collected steps.
     */
    public List<EpisodeResult> run(EventBus bus, Path runDir) {
        EnvRegistry registry = EnvRegistry.load();
        EnvSpec spec = registry.spec(cfg.envId);
        if (spec.rewardFn() == null && !cfg.rewardHead) {
            throw new IllegalArgumentException(cfg.envId + " has no reward function for imagined transitions; learn one "
                    + "with the model's reward head (--learned-reward)");
        }
        ModelTrainer.setNd4jThreads(1);
        try (Env env = registry.make(cfg.envId)) {
            if (!(env.actionSpace() instanceof Box box) || !box.isBounded()) {
                throw new IllegalArgumentException("PETS plans continuous bounded actions; " + cfg.envId + " has "
                        + env.actionSpace());
            }
            return new Loop(env, spec, box, bus, runDir).run();
        }
    }

    /**
     * The run whose checkpoint is in {@code runDir}, ready to continue with {@link #run} from where the checkpoint was
     * written (exactly: the steps since are redone with the same random numbers). {@code episodes}, when not null,
     * changes the number of planning episodes (e.g. to extend a finished run).
     */
    public static Pets fromCheckpoint(Path runDir, Integer episodes) {
        Path dir = Checkpoints.latest(runDir);
        Map<String, Object> state = Checkpoints.readState(dir);
        Builder b = Builder.fromState(state);
        if (episodes != null) {
            b.optEpisodes(episodes);
        }
        Pets p = b.build();
        p.resume = dir;
        return p;
    }

    private Path resume;

    /** One run: the environment, buffer, model and agents, and where the run stands. */
    private final class Loop {
        private final Env env;
        private final Box box;
        private final EventBus bus;
        private final Path runDir;
        private final ReplayBuffer buffer;
        private final Ensemble model;
        private final StepRandom stepRng = new StepRandom();
        private final Agent random;
        private final MpcAgent mpc;
        private final List<EpisodeResult> results = new ArrayList<>();
        private final long start;
        private long steps;
        private Map<String, Object> saved;

        Loop(Env env, EnvSpec spec, Box box, EventBus bus, Path runDir) {
            this.env = env;
            this.box = box;
            this.bus = bus;
            this.runDir = runDir;
            int obsDim = env.observationSpace().flatDim();
            int actDim = box.flatDim();
            long wall = 0;
            if (resume != null) {
                saved = Checkpoints.readState(resume);
                buffer = ReplayBuffer.load(resume.resolve("buffer.csv"), cfg.bufferCapacity);
                if (buffer.size() > 0 && (buffer.obsDim() != obsDim || buffer.actDim() != actDim)) {
                    throw new IllegalArgumentException("the checkpoint's buffer holds " + buffer.obsDim() + "+"
                            + buffer.actDim() + " obs+action dims but " + cfg.envId + " has " + obsDim + "+" + actDim);
                }
                model = Ensemble.load(resume.resolve("model.json"));
                steps = ((Number) saved.get("env_steps")).longValue();
                wall = (long) (((Number) saved.get("wall_seconds")).doubleValue() * 1e9);
                for (Map<String, Object> r : Checkpoints.<List<Map<String, Object>>>get(saved, "results")) {
                    results.add(new EpisodeResult(((Number) r.get("episode")).intValue(),
                            ((Number) r.get("env_steps")).longValue(), ((Number) r.get("return")).doubleValue(),
                            ((Number) r.get("seconds")).doubleValue(), (String) r.get("phase")));
                }
            } else {
                buffer = new ReplayBuffer(cfg.bufferCapacity, obsDim, actDim);
                model = Ensemble.builder().setObsDim(obsDim).setActDim(actDim).optSize(cfg.ensembleSize)
                        .optHidden(cfg.hidden).optActivation(org.mbrl4j.model.GaussianMlp.Activation.SILU)
                        .optDeltaTargets(true).optNormalizeInputs(true).optSoftLogStdBounds(true)
                        // a reward is on another scale than observation deltas (Pendulum: −16..0 vs ~0.1)
                        .optRewardHead(cfg.rewardHead).optNormalizeTargets(cfg.rewardHead)
                        .setRandom(new SplittableRandom(derive(Stream.INIT, 0, 0, 0))).build();
            }
            start = System.nanoTime() - wall;
            random = new RandomAgent(box, stepRng);
            TrajectoryOptimizer planner = planner(box, it -> bus.publish(new Event.PlannerIteration(steps,
                    it.iteration(), it.best(), it.mean(), it.eliteMean(), it.std())));
            ModelEnv modelEnv = new ModelEnv(model,
                    cfg.rewardHead ? null : spec.rewardFn().withStateCost(cfg.stateCost, obsDim), spec.terminationFn(),
                    Propagation.TSINF, cfg.particles);
            mpc = new MpcAgent(planner, obs -> modelEnv.objective(obs, stepRng), actDim, cfg.replanEvery, stepRng, null);
        }

        List<EpisodeResult> run() {
            int fromEpisode = saved == null ? 0 : ((Number) saved.get("episode")).intValue();
            int fromStep = saved == null ? 0 : ((Number) saved.get("step")).intValue();
            int fromEval = saved == null ? 0 : ((Number) saved.get("eval_done")).intValue();
            boolean collected = saved != null && (Boolean) saved.get("collected");
            for (int ep = fromEpisode; ep < cfg.randomEpisodes + cfg.episodes; ep++) {
                boolean planning = ep >= cfg.randomEpisodes;
                boolean continuing = ep == fromEpisode;
                boolean trainAtStart = planning && (cfg.trainEvery == 0 || ep == cfg.randomEpisodes);
                if (trainAtStart && !(continuing && (collected || fromStep > 0))) {
                    train(model, buffer, bus, derive(Stream.TRAIN, ep, 0, 0));
                }
                if (!(continuing && collected)) {
                    results.add(episode(planning ? mpc : random, ep, 0, continuing ? fromStep : 0,
                            planning ? "train" : "random"));
                    checkpoint(ep, 0, 0, true);
                }
                for (int e = continuing ? fromEval : 0; planning && e < cfg.evalEpisodes; e++) {
                    results.add(episode(mpc, ep, e + 1, 0, "eval"));
                    checkpoint(ep, 0, e + 1, true);
                }
            }
            return results;
        }

        /**
         * Episode {@code ep} ({@code eval} > 0: its eval-th evaluation episode, not collected). {@code replay} > 0 continues
         * a checkpoint written after that many collected steps: the environment is reset with the episode's seed and
         * the buffer's actions are replayed (checked against the stored observations), then the planner state is
         * restored.
         */
        private EpisodeResult episode(Agent agent, int ep, int eval, int replay, String phase) {
            boolean collect = eval == 0;
            long t0 = System.nanoTime();
            double[] obs = env.reset(derive(Stream.RESET, ep, eval, 0)).observation();
            agent.reset();
            double ret = 0;
            int len = 0;
            if (replay > 0) {
                TransitionDataset d = buffer.toDataset();
                for (int i = d.size() - replay; i < d.size(); i++) {
                    Step s = env.step(d.action(i));
                    if (d.episode(i) != ep || !java.util.Arrays.equals(s.observation(), d.nextObs(i))
                            || s.reward() != d.reward(i)) {
                        throw new IllegalStateException("cannot continue episode " + ep + " from the checkpoint: replaying its "
                                + "step " + len + " in " + cfg.envId + " did not reproduce the stored transition (PETS resumes "
                                + "mid-episode only on environments that are deterministic given their reset seed)");
                    }
                    ret += s.reward();
                    len++;
                    obs = s.observation();
                }
                if (agent == mpc) {
                    mpc.restore(Checkpoints.doubles(saved, "plan"), ((Number) saved.get("since_replan")).intValue());
                }
            }
            boolean wantSteps = collect && bus.wants(Event.EnvStep.class);
            while (true) {
                stepRng.reseed(derive(Stream.ACT, ep, eval, len));
                double[] a = agent.act(obs);
                Step s = env.step(a);
                if (collect) {
                    buffer.add(obs, a, s.observation(), s.reward(), s.terminated(), s.truncated(), ep);
                    steps++;
                }
                if (wantSteps) {
                    bus.publish(new Event.EnvStep(steps, obs, a, s.reward(), s.terminated(), s.truncated()));
                }
                ret += s.reward();
                len++;
                obs = s.observation();
                // a model trained mid-episode is checkpointed at once: resuming replays env steps, never training
                boolean trained = collect && agent == mpc && cfg.trainEvery > 0 && steps % cfg.trainEvery == 0;
                if (trained) {
                    train(model, buffer, bus, derive(Stream.TRAIN, ep, 0, len));
                }
                if (s.done()) {
                    break;
                }
                if (trained || collect && cfg.checkpointEvery > 0 && steps % cfg.checkpointEvery == 0) {
                    checkpoint(ep, len, 0, false);
                }
            }
            double secs = (System.nanoTime() - t0) / 1e9;
            bus.publish(new Event.EpisodeEnd(phase, ep, steps, ret, len, secs));
            return new EpisodeResult(ep, steps, ret, (System.nanoTime() - start) / 1e9, phase);
        }

        /** Writes the run's state: episode {@code ep} has {@code step} collected steps, {@code evalDone} evaluations. */
        private void checkpoint(int ep, int step, int evalDone, boolean collected) {
            if (runDir == null) {
                return;
            }
            Map<String, Object> state = new LinkedHashMap<>();
            state.put("version", 1);
            state.put("settings", cfg.settings());
            state.put("episode", ep);
            state.put("step", step);
            state.put("eval_done", evalDone);
            state.put("collected", collected);
            state.put("env_steps", steps);
            state.put("wall_seconds", (System.nanoTime() - start) / 1e9);
            state.put("plan", mpc.plan());
            state.put("since_replan", mpc.sinceReplan());
            List<Map<String, Object>> rs = new ArrayList<>();
            for (EpisodeResult r : results) {
                rs.add(Map.of("episode", r.episode(), "env_steps", r.envSteps(), "return", r.ret(), "seconds", r.seconds(),
                        "phase", r.phase()));
            }
            state.put("results", rs);
            Path dir = Checkpoints.write(runDir, tmp -> {
                buffer.save(tmp.resolve("buffer.csv"));
                model.save(tmp.resolve("model.json"), Provenance.capture(cfg.seed, List.of(), config()));
            }, state);
            bus.publish(new Event.CheckpointWritten(dir, steps));
        }
    }

    /** What a random number is drawn for; with the episode, evaluation and step it seeds an independent stream. */
    private enum Stream {
        INIT, TRAIN, RESET, ACT
    }

    /**
     * The seed of one stream: a run's randomness is a pure function of (seed, purpose, episode, evaluation, step), so a
     * resumed run draws exactly the numbers the uninterrupted one would have, with no generator state to save.
     */
    private long derive(Stream stream, int ep, int eval, int step) {
        long h = cfg.seed;
        for (long part : new long[] {stream.ordinal(), ep, eval, step}) {
            h = mix(h ^ mix(part + 0x9E3779B97F4A7C15L));
        }
        return h;
    }

    /** SplitMix64's finaliser. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** A generator re-seeded at every environment step (see {@link #derive}). */
    private static final class StepRandom implements RandomGenerator {
        private SplittableRandom r = new SplittableRandom(0);

        void reseed(long seed) {
            r = new SplittableRandom(seed);
        }

        @Override
        public long nextLong() {
            return r.nextLong();
        }

        @Override
        public int nextInt(int bound) {
            return r.nextInt(bound);
        }

        @Override
        public double nextDouble() {
            return r.nextDouble();
        }

        @Override
        public double nextGaussian() {
            return r.nextGaussian();
        }
    }

    /** The configured trajectory optimiser over the action box. */
    private TrajectoryOptimizer planner(Box box, Consumer<TrajectoryOptimizer.Iteration> listener) {
        return switch (cfg.planner) {
            case "cem" -> Cem.builder().setHorizon(cfg.horizon).setActionBounds(box.low(), box.high())
                    .optPopulation(cfg.population).optIterations(cfg.cemIterations).optListener(listener).build();
            case "icem" -> ICem.builder().setHorizon(cfg.horizon).setActionBounds(box.low(), box.high())
                    .optPopulation(cfg.population).optElites(Math.max(1, cfg.population / 20))
                    .optIterations(cfg.cemIterations).optListener(listener).build();
            case "mppi" -> Mppi.builder().setHorizon(cfg.horizon).setActionBounds(box.low(), box.high())
                    .optPopulation(cfg.population).optIterations(cfg.cemIterations).optListener(listener).build();
            case "random" -> RandomShooting.builder().setHorizon(cfg.horizon).setActionBounds(box.low(), box.high())
                    .optPopulation(cfg.population * cfg.cemIterations).optListener(listener).build();
            default -> throw new IllegalStateException("unvalidated planner " + cfg.planner);
        };
    }

    private void train(Ensemble model, ReplayBuffer buffer, EventBus bus, long seed) {
        TransitionDataset all = buffer.toDataset();
        Split split = Split.byFractions(all, new double[] {0.9, 0.1, 0.0}, seed);
        // a first random episode can be a handful of steps (InvertedPendulum falls in 4): no validation set then
        TransitionDataset val = split.validation().size() >= 2 ? split.validation() : null;
        ModelTrainer trainer = ModelTrainer.builder().setSeed(seed).optEpochs(cfg.modelEpochs).optBatchSize(cfg.modelBatch)
                .optLr(cfg.lr).optWeightDecay(cfg.weightDecay).optListener(e -> bus.publish(new Event.ModelEpoch("dynamics",
                        e.epoch(), cfg.modelEpochs, e.train(), e.val(), e.lr(), e.gradNorm(), e.stepMillis())))
                .build();
        Map<String, Object> options = cfg.objectiveOptions;
        Object flag = options.get("reward");
        if (cfg.objective.equals("pg") && ("conditional".equals(flag) || "learned".equals(flag))) {
            // these rewards need a model and data: resolve them on member 0's model space (shared normalisers)
            model.fitNormalizers(split.train());
            Map<String, Object> identity = new LinkedHashMap<>(options);
            identity.put("reward", "identity");
            PolicyGradient template = (PolicyGradient) Objective.create("pg", identity, new double[0], model.outDim());
            MahalanobisReward u = RewardFlags.resolve((String) flag, template, model.member(0),
                    model.data(0, split.train()), val == null ? null : model.data(0, val), trainer, seed, bus);
            options = new LinkedHashMap<>(options);
            options.put("reward", u);
        }
        Map<String, Object> resolved = options;
        List<ModelTrainer.Result> rs = model.train(split.train(), val,
                targets -> Objective.create(cfg.objective, resolved, targets, model.outDim()), trainer, seed);
        ModelTrainer.Result last = rs.get(rs.size() - 1);
        bus.publish(new Event.ModelTrained("dynamics", last.epochs().size(), last.train(), last.val(), last.test(),
                last.stopReason()));
    }

    /** Builder with CPU-sized defaults for Pendulum-v1 (ensemble 5 of 3×64, 10 particles, horizon 15, CEM 5 × 200). */
    public static final class Builder {
        private String envId = "Pendulum-v1";
        private String objective = "nll";
        private Map<String, Object> objectiveOptions = Map.of();
        private int episodes = 10;
        private int randomEpisodes = 1;
        private long seed;
        private int ensembleSize;
        private int[] hidden;
        private int particles;
        private int horizon;
        private int population;
        private int cemIterations;
        private String planner = "cem";
        private int evalEpisodes;
        private int modelEpochs;
        private int modelBatch;
        private double lr = 1e-3;
        private double weightDecay = 5e-5;
        private int bufferCapacity = 100_000;
        private int replanEvery = 1;
        private int checkpointEvery = 1000;
        private boolean rewardHead;
        private int trainEvery;
        private Map<Integer, Double> stateCost = Map.of();

        private Builder() {
            optPreset(Preset.DEFAULT);
        }

        /** Environment id (default Pendulum-v1). */
        public Builder optEnv(String id) {
            this.envId = id;
            return this;
        }

        /** World-model objective and its options (default nll). */
        public Builder optObjective(String name, Map<String, Object> options) {
            this.objective = name;
            this.objectiveOptions = Map.copyOf(options);
            return this;
        }

        /** Planning episodes after the random ones (default 10). */
        public Builder optEpisodes(int n) {
            this.episodes = n;
            return this;
        }

        /** Random-policy episodes first (default 1). */
        public Builder optRandomEpisodes(int n) {
            this.randomEpisodes = n;
            return this;
        }

        /** Seed of everything (default 0). */
        public Builder optSeed(long s) {
            this.seed = s;
            return this;
        }

        /** Ensemble members (default 5). */
        public Builder optEnsembleSize(int n) {
            this.ensembleSize = n;
            return this;
        }

        /** Hidden layers of each member (default 64, 64, 64). */
        public Builder optHidden(int... h) {
            this.hidden = h.clone();
            return this;
        }

        /** Particles per candidate (default 10). */
        public Builder optParticles(int n) {
            this.particles = n;
            return this;
        }

        /** Planning horizon (default 15). */
        public Builder optHorizon(int h) {
            this.horizon = h;
            return this;
        }

        /** CEM population (default 200). */
        public Builder optPopulation(int p) {
            this.population = p;
            return this;
        }

        /** CEM iterations (default 5). */
        public Builder optCemIterations(int n) {
            this.cemIterations = n;
            return this;
        }

        /** Model epochs per training (default 50). */
        public Builder optModelEpochs(int n) {
            this.modelEpochs = n;
            return this;
        }

        /** Model minibatch (default 64). */
        public Builder optModelBatch(int n) {
            this.modelBatch = n;
            return this;
        }

        /** Model learning rate (default 1e-3). */
        public Builder optLr(double lr) {
            this.lr = lr;
            return this;
        }

        /**
         * The trajectory optimiser: {@code cem} (default), {@code icem}, {@code mppi} or {@code random} (random shooting
         * with population × iterations samples); population and iterations apply to all.
         */
        public Builder optPlanner(String name) {
            this.planner = name;
            return this;
        }

        /** Evaluation episodes after every training episode: planned, not collected (default 0). */
        public Builder optEvalEpisodes(int n) {
            this.evalEpisodes = n;
            return this;
        }

        /** Environment steps between plans (default 1: replan at every step). */
        public Builder optReplanEvery(int n) {
            this.replanEvery = n;
            return this;
        }

        /** Checkpoint every {@code n} collected environment steps besides every episode end (default 1000; 0: never). */
        public Builder optCheckpointEvery(int n) {
            this.checkpointEvery = n;
            return this;
        }

        /**
         * Plan with rewards predicted by the world model's reward head instead of the environment's reward function
         * (default off; needed for environments without one).
         */
        public Builder optLearnedReward(boolean on) {
            this.rewardHead = on;
            return this;
        }

        /**
         * The model-training schedule: 0 (default) trains before every planning episode; n > 0 trains before the first
         * one and then every {@code n} collected steps, mid-episode too (mbrl-lib's {@code freq_train_model}).
         */
        public Builder optTrainEvery(int n) {
            this.trainEvery = n;
            return this;
        }

        /**
         * A quadratic cost on observation dimensions added to the planning reward: the planner maximises
         * r − Σ wᵢ·s'ᵢ² over imagined next observations s' (default none); meant for survival-only rewards, under
         * which every surviving candidate scores the same. Reported episode returns stay the environment's. Needs the
         * environment's reward function (not {@link #optLearnedReward}).
         */
        public Builder optStateCost(Map<Integer, Double> weights) {
            this.stateCost = new java.util.TreeMap<>(weights);
            return this;
        }

        /** Sets every size of a named preset (later calls override single sizes). */
        public Builder optPreset(Preset p) {
            ensembleSize = p.ensemble;
            hidden = p.hidden.clone();
            particles = p.particles;
            horizon = p.horizon;
            population = p.population;
            cemIterations = p.iterations;
            modelEpochs = p.epochs;
            modelBatch = p.batch;
            return this;
        }

        /** Every setting, JSON-friendly, as {@link #fromState} reads it back. */
        Map<String, Object> settings() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("env", envId);
            m.put("objective", objective);
            m.put("objective_options", objectiveOptions);
            m.put("episodes", episodes);
            m.put("random_episodes", randomEpisodes);
            m.put("seed", seed);
            m.put("ensemble", ensembleSize);
            m.put("hidden", hidden);
            m.put("particles", particles);
            m.put("horizon", horizon);
            m.put("population", population);
            m.put("iterations", cemIterations);
            m.put("planner", planner);
            m.put("eval_episodes", evalEpisodes);
            m.put("model_epochs", modelEpochs);
            m.put("model_batch", modelBatch);
            m.put("lr", lr);
            m.put("weight_decay", weightDecay);
            m.put("buffer_capacity", bufferCapacity);
            m.put("replan_every", replanEvery);
            m.put("checkpoint_every", checkpointEvery);
            m.put("learned_reward", rewardHead);
            m.put("train_every", trainEvery);
            Map<String, Object> cost = new LinkedHashMap<>();
            stateCost.forEach((k, v) -> cost.put(String.valueOf(k), v));
            m.put("state_cost", cost);
            return m;
        }

        /** A builder with the settings of a checkpoint's state. */
        static Builder fromState(Map<String, Object> state) {
            Map<String, Object> m = Checkpoints.get(state, "settings");
            Builder b = new Builder();
            b.envId = (String) m.get("env");
            b.objective = (String) m.get("objective");
            b.objectiveOptions = Map.copyOf(Checkpoints.<Map<String, Object>>get(m, "objective_options"));
            b.episodes = num(m, "episodes").intValue();
            b.randomEpisodes = num(m, "random_episodes").intValue();
            b.seed = num(m, "seed").longValue();
            b.ensembleSize = num(m, "ensemble").intValue();
            b.hidden = Checkpoints.<List<Number>>get(m, "hidden").stream().mapToInt(Number::intValue).toArray();
            b.particles = num(m, "particles").intValue();
            b.horizon = num(m, "horizon").intValue();
            b.population = num(m, "population").intValue();
            b.cemIterations = num(m, "iterations").intValue();
            b.planner = (String) m.get("planner");
            b.evalEpisodes = num(m, "eval_episodes").intValue();
            b.modelEpochs = num(m, "model_epochs").intValue();
            b.modelBatch = num(m, "model_batch").intValue();
            b.lr = num(m, "lr").doubleValue();
            b.weightDecay = num(m, "weight_decay").doubleValue();
            b.bufferCapacity = num(m, "buffer_capacity").intValue();
            b.replanEvery = num(m, "replan_every").intValue();
            b.checkpointEvery = num(m, "checkpoint_every").intValue();
            b.rewardHead = (Boolean) m.get("learned_reward");
            b.trainEvery = num(m, "train_every").intValue();
            Map<String, Object> cost = m.containsKey("state_cost") ? Checkpoints.get(m, "state_cost") : Map.of();
            Map<Integer, Double> w = new java.util.TreeMap<>();
            cost.forEach((k, v) -> w.put(Integer.valueOf(k), ((Number) v).doubleValue()));
            b.stateCost = w;
            return b;
        }

        private static Number num(Map<String, Object> m, String key) {
            return Checkpoints.get(m, key);
        }

        /** Validates and builds. */
        public Pets build() {
            if (evalEpisodes < 0) {
                throw new IllegalArgumentException("PETS eval episodes must be ≥ 0, got " + evalEpisodes);
            }
            if (!java.util.List.of("cem", "icem", "mppi", "random").contains(planner)) {
                throw new IllegalArgumentException("planner '" + planner + "' is unknown; accepted: cem, icem, mppi, random");
            }
            if (episodes < 1 || randomEpisodes < 1) {
                throw new IllegalArgumentException("PETS needs ≥ 1 random and ≥ 1 planning episode, got " + randomEpisodes
                        + " and " + episodes);
            }
            if (ensembleSize < 1 || particles < 1 || horizon < 1 || population < 2 || cemIterations < 1 || modelEpochs < 1
                    || modelBatch < 1 || replanEvery < 1 || replanEvery > horizon || checkpointEvery < 0 || trainEvery < 0) {
                throw new IllegalArgumentException("PETS sizes must be positive (ensemble, particles, horizon, population ≥ 2, "
                        + "iterations, model epochs, model batch, 1 ≤ replan every ≤ horizon, checkpoint and train every ≥ 0); got "
                        + "ensemble " + ensembleSize + ", particles " + particles + ", horizon " + horizon + ", population "
                        + population + ", iterations " + cemIterations + ", model epochs " + modelEpochs + ", model batch "
                        + modelBatch + ", replan every " + replanEvery + ", checkpoint every " + checkpointEvery
                        + ", train every " + trainEvery);
            }
            if (!stateCost.isEmpty() && rewardHead) {
                throw new IllegalArgumentException("a state cost is added to the environment's reward function; it cannot "
                        + "be combined with the learned reward head");
            }
            return new Pets(this);
        }
    }
}
