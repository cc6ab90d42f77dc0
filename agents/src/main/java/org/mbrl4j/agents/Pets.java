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
import org.mbrl4j.planning.Cem;
import org.mbrl4j.planning.ICem;
import org.mbrl4j.planning.ModelEnv;
import org.mbrl4j.planning.Mppi;
import org.mbrl4j.planning.RandomShooting;
import org.mbrl4j.planning.TrajectoryOptimizer;

/**
 * The PETS loop (Chua et al. 2018) with the world model trained by any objective: collect random episodes, then
 * repeat {train the probabilistic ensemble on the replay buffer, run an episode with CEM planning through imagined
 * TS∞ rollouts}. Everything the loop does is published on the event bus; the buffer and the model are checkpointed
 * at every episode end.
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
        DEFAULT,
        /**
         * mbrl-lib's HalfCheetah PETS configuration: ensemble 7 of 4×200 SiLU, 20 particles, horizon 30, CEM 5 × 400;
         * about 300 GFLOP per action, seconds per action on two cores.
         */
        MBRL_LIB_HALFCHEETAH,
        /**
         * A MuJoCo size that runs 20k HalfCheetah steps in about two hours on two cores: ensemble 5 of 3×64,
         * 10 particles, horizon 15, CEM 4 × 150, 20 model epochs of minibatch 256.
         */
        CPU_MUJOCO;

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
        m.put("env", cfg.envId);
        m.put("objective", cfg.objective);
        m.putAll(cfg.objectiveOptions);
        m.put("episodes", cfg.episodes);
        m.put("random_episodes", cfg.randomEpisodes);
        m.put("seed", cfg.seed);
        m.put("ensemble", cfg.ensembleSize);
        m.put("hidden", java.util.Arrays.stream(cfg.hidden).boxed().toList());
        m.put("particles", cfg.particles);
        m.put("horizon", cfg.horizon);
        m.put("population", cfg.population);
        m.put("planner", cfg.planner);
        m.put("eval_episodes", cfg.evalEpisodes);
        m.put("cem_iterations", cfg.cemIterations);
        m.put("model_epochs", cfg.modelEpochs);
        m.put("model_batch", cfg.modelBatch);
        m.put("lr", cfg.lr);
        m.put("replan_every", cfg.replanEvery);
        m.put("checkpoint_every", cfg.checkpointEvery);
        return m;
    }

    /** Runs the loop, publishing on {@code bus}; checkpoints go to {@code checkpointDir} when it is not null. */
    public List<EpisodeResult> run(EventBus bus, Path checkpointDir) {
        EnvRegistry registry = EnvRegistry.load();
        EnvSpec spec = registry.spec(cfg.envId);
        if (spec.rewardFn() == null) {
            throw new IllegalArgumentException(cfg.envId + " has no reward function for imagined transitions; PETS needs one");
        }
        SplittableRandom rng = new SplittableRandom(cfg.seed);
        ModelTrainer.setNd4jThreads(1);
        long start = System.nanoTime();
        List<EpisodeResult> results = new ArrayList<>();
        try (Env env = registry.make(cfg.envId)) {
            if (!(env.actionSpace() instanceof Box box) || !box.isBounded()) {
                throw new IllegalArgumentException("PETS plans continuous bounded actions; " + cfg.envId + " has "
                        + env.actionSpace());
            }
            int obsDim = env.observationSpace().flatDim();
            int actDim = box.flatDim();
            ReplayBuffer buffer = new ReplayBuffer(cfg.bufferCapacity, obsDim, actDim);
            Agent random = new RandomAgent(box, rng.split());
            long[] steps = {0};
            for (int ep = 0; ep < cfg.randomEpisodes; ep++) {
                results.add(episode(env, random, buffer, ep, "random", steps, start, bus, rng));
            }
            Ensemble model = Ensemble.builder().setObsDim(obsDim).setActDim(actDim).optSize(cfg.ensembleSize)
                    .optHidden(cfg.hidden).optActivation(org.mbrl4j.model.GaussianMlp.Activation.SILU)
                    .optDeltaTargets(true).optNormalizeInputs(true).optSoftLogStdBounds(true)
                    .setRandom(rng.split()).build();
            Consumer<TrajectoryOptimizer.Iteration> planned = it -> bus.publish(new Event.PlannerIteration(steps[0],
                    it.iteration(), it.best(), it.mean(), it.eliteMean(), it.std()));
            TrajectoryOptimizer planner = planner(box, planned);
            ModelEnv modelEnv = new ModelEnv(model, spec.rewardFn(), spec.terminationFn(), Propagation.TSINF, cfg.particles);
            SplittableRandom planRng = rng.split();
            Agent mpc = new MpcAgent(planner, obs -> modelEnv.objective(obs, planRng), actDim, cfg.replanEvery, planRng, null);
            for (int k = 0; k < cfg.episodes; k++) {
                train(model, buffer, bus, rng.nextLong());
                int ep = cfg.randomEpisodes + k;
                results.add(episode(env, mpc, buffer, ep, "train", steps, start, bus, rng));
                for (int e = 0; e < cfg.evalEpisodes; e++) {
                    results.add(episode(env, mpc, null, ep, "eval", steps, start, bus, rng));
                }
                if (checkpointDir != null) {
                    Path f = checkpointDir.resolve("model.json");
                    model.save(f, Provenance.capture(cfg.seed, List.of(), config()));
                    buffer.save(checkpointDir.resolve("buffer.csv"));
                    bus.publish(new Event.CheckpointWritten(f, steps[0]));
                }
            }
        }
        return results;
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
            PolicyGradient template = (PolicyGradient) Objective.create("pg", identity, new double[0], model.obsDim());
            ModelTrainer.Data val = split.validation().size() > 1 ? model.data(0, split.validation()) : null;
            MahalanobisReward u = RewardFlags.resolve((String) flag, template, model.member(0),
                    model.data(0, split.train()), val, trainer, seed, bus);
            options = new LinkedHashMap<>(options);
            options.put("reward", u);
        }
        Map<String, Object> resolved = options;
        List<ModelTrainer.Result> rs = model.train(split.train(), split.validation(),
                targets -> Objective.create(cfg.objective, resolved, targets, model.obsDim()), trainer, seed);
        ModelTrainer.Result last = rs.get(rs.size() - 1);
        bus.publish(new Event.ModelTrained("dynamics", last.epochs().size(), last.train(), last.val(), last.test(),
                last.stopReason()));
    }

    /** One episode; a null buffer means evaluation: nothing is stored and the step counter stays. */
    private EpisodeResult episode(Env env, Agent agent, ReplayBuffer buffer, int ep, String phase, long[] steps,
            long start, EventBus bus, SplittableRandom rng) {
        long t0 = System.nanoTime();
        double[] obs = env.reset(rng.nextLong()).observation();
        agent.reset();
        double ret = 0;
        int len = 0;
        boolean wantSteps = buffer != null && bus.wants(Event.EnvStep.class);
        while (true) {
            double[] a = agent.act(obs);
            Step s = env.step(a);
            if (buffer != null) {
                buffer.add(obs, a, s.observation(), s.reward(), s.terminated(), s.truncated(), ep);
                steps[0]++;
            }
            if (wantSteps) {
                bus.publish(new Event.EnvStep(steps[0], obs, a, s.reward(), s.terminated(), s.truncated()));
            }
            ret += s.reward();
            len++;
            obs = s.observation();
            if (s.done()) {
                break;
            }
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        bus.publish(new Event.EpisodeEnd(phase, ep, steps[0], ret, len, secs));
        return new EpisodeResult(ep, steps[0], ret, (System.nanoTime() - start) / 1e9, phase);
    }

    /** Builder with CPU-sized defaults for Pendulum-v1 (ensemble 5 of 3×64, 10 particles, horizon 15, CEM 5 × 200). */
    public static final class Builder {
        private String envId = "Pendulum-v1";
        private String objective = "nll";
        private Map<String, Object> objectiveOptions = Map.of();
        private int episodes = 10;
        private int randomEpisodes = 1;
        private long seed;
        private int ensembleSize = 5;
        private int[] hidden = {64, 64, 64};
        private int particles = 10;
        private int horizon = 15;
        private int population = 200;
        private int cemIterations = 5;
        private String planner = "cem";
        private int evalEpisodes;
        private int modelEpochs = 50;
        private int modelBatch = 64;
        private double lr = 1e-3;
        private double weightDecay = 5e-5;
        private int bufferCapacity = 100_000;
        private int replanEvery = 1;
        private int checkpointEvery = 1000;

        private Builder() {
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

        /** Sets every size of a named preset (later calls override single sizes). */
        public Builder optPreset(Preset p) {
            switch (p) {
                case DEFAULT -> {
                    ensembleSize = 5;
                    hidden = new int[] {64, 64, 64};
                    particles = 10;
                    horizon = 15;
                    population = 200;
                    cemIterations = 5;
                    modelEpochs = 50;
                    modelBatch = 64;
                }
                case MBRL_LIB_HALFCHEETAH -> {
                    ensembleSize = 7;
                    hidden = new int[] {200, 200, 200, 200};
                    particles = 20;
                    horizon = 30;
                    population = 400;
                    cemIterations = 5;
                    modelEpochs = 50;
                    modelBatch = 256;
                }
                case CPU_MUJOCO -> {
                    ensembleSize = 5;
                    hidden = new int[] {64, 64, 64};
                    particles = 10;
                    horizon = 15;
                    population = 150;
                    cemIterations = 4;
                    modelEpochs = 20;
                    modelBatch = 256;
                }
            }
            return this;
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
                    || modelBatch < 1 || replanEvery < 1 || replanEvery > horizon || checkpointEvery < 0) {
                throw new IllegalArgumentException("PETS sizes must be positive (ensemble, particles, horizon, population ≥ 2, "
                        + "iterations, model epochs, model batch, 1 ≤ replan every ≤ horizon, checkpoint every ≥ 0); got "
                        + "ensemble " + ensembleSize + ", particles " + particles + ", horizon " + horizon + ", population "
                        + population + ", iterations " + cemIterations + ", model epochs " + modelEpochs + ", model batch "
                        + modelBatch + ", replan every " + replanEvery + ", checkpoint every " + checkpointEvery);
            }
            return new Pets(this);
        }
    }
}
