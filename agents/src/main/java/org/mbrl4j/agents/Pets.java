package org.mbrl4j.agents;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.mbrl4j.env.Discrete;
import org.mbrl4j.env.Env;
import org.mbrl4j.env.EnvRegistry;
import org.mbrl4j.env.EnvSpec;
import org.mbrl4j.env.RewardFn;
import org.mbrl4j.env.TerminationFn;
import org.mbrl4j.event.Event;
import org.mbrl4j.event.EventBus;
import org.mbrl4j.model.DynamicsModel;
import org.mbrl4j.model.DynamicsModel.Propagation;
import org.mbrl4j.model.Ensemble;
import org.mbrl4j.model.GaussianMlp;
import org.mbrl4j.planning.ModelEnv;
import org.mbrl4j.planning.PlannerProvider;
import org.mbrl4j.planning.Planners;
import org.mbrl4j.planning.TrajectoryOptimizer;

/**
 * PETS (Chua et al. 2018) with the world model trained by any objective, as a schedule of the {@link OnlineLoop}:
 * random episodes, then planning episodes of an {@link MpcAgent} whose planner scores action sequences by TS∞
 * particles through the ensemble ({@link ModelEnv}); the ensemble is retrained on the buffer before every planning
 * episode or every {@code trainEvery} steps. With a run directory the loop checkpoints, and {@link #fromCheckpoint}
 * continues a killed run exactly.
 */
public final class Pets implements AgentRun {
    private static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, false);

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

    /**
     * Every setting of a PETS run, immutable; serialised (snake_case keys) into configs, checkpoints and provenance.
     *
     * @param env              environment id
     * @param objective        world-model objective ({@code mse}, {@code nll}, {@code pg}, …)
     * @param objectiveOptions its options (PG: {@code reward}, {@code lambda})
     * @param episodes         planning episodes after the random ones
     * @param randomEpisodes   random-policy episodes first
     * @param seed             seed of every stream
     * @param ensemble         ensemble members
     * @param hidden           hidden layers of each member
     * @param particles        particles per candidate sequence
     * @param horizon          planning horizon
     * @param population       planner population
     * @param iterations       planner iterations per plan
     * @param planner          planner id ({@link Planners})
     * @param evalEpisodes     evaluation episodes after every planning episode (not collected)
     * @param modelEpochs      model epochs per training
     * @param modelBatch       model minibatch
     * @param lr               model learning rate
     * @param weightDecay      model weight decay
     * @param bufferCapacity   replay-buffer capacity
     * @param replanEvery      environment steps between plans
     * @param checkpointEvery  collected steps between checkpoints besides episode ends (0: episode ends only)
     * @param rewardHead       plan with the model's reward head instead of the task reward
     * @param trainEvery       0: train before every planning episode; n: every n collected steps
     * @param stateCost        planning-only costs: observation index (quadratic) or the env's named cost → weight
     */
    public record Config(String env, String objective, Map<String, Object> objectiveOptions, int episodes,
            int randomEpisodes, long seed, int ensemble, int[] hidden, int particles, int horizon, int population,
            int iterations, String planner, int evalEpisodes, int modelEpochs, int modelBatch, double lr,
            double weightDecay, int bufferCapacity, int replanEvery, int checkpointEvery, boolean rewardHead,
            int trainEvery, Map<String, Double> stateCost) {

        /** Validates and copies. */
        public Config {
            objectiveOptions = Map.copyOf(objectiveOptions);
            hidden = hidden.clone();
            stateCost = java.util.Collections.unmodifiableMap(new TreeMap<>(stateCost));
            if (evalEpisodes < 0) {
                throw new IllegalArgumentException("PETS eval episodes must be ≥ 0, got " + evalEpisodes);
            }
            if (episodes < 1 || randomEpisodes < 1) {
                throw new IllegalArgumentException("PETS needs ≥ 1 random and ≥ 1 planning episode, got " + randomEpisodes
                        + " and " + episodes);
            }
            if (ensemble < 1 || particles < 1 || horizon < 1 || population < 2 || iterations < 1 || modelEpochs < 1
                    || modelBatch < 1 || replanEvery < 1 || replanEvery > horizon || checkpointEvery < 0 || trainEvery < 0) {
                throw new IllegalArgumentException("PETS sizes must be positive (ensemble, particles, horizon, population ≥ 2, "
                        + "iterations, model epochs, model batch, 1 ≤ replan every ≤ horizon, checkpoint and train every ≥ 0); got "
                        + "ensemble " + ensemble + ", particles " + particles + ", horizon " + horizon + ", population "
                        + population + ", iterations " + iterations + ", model epochs " + modelEpochs + ", model batch "
                        + modelBatch + ", replan every " + replanEvery + ", checkpoint every " + checkpointEvery
                        + ", train every " + trainEvery);
            }
            if (!stateCost.isEmpty() && rewardHead) {
                throw new IllegalArgumentException("a state cost is added to the task reward; it cannot be combined with "
                        + "the model's reward head");
            }
            if (planner != null && !Planners.registered().containsKey(planner)) {
                throw new IllegalArgumentException("planner '" + planner + "' is unknown; registered: "
                        + String.join(", ", Planners.registered().keySet()));
            }
        }

        /** The settings as a JSON-ready map (what checkpoints store and {@link #fromMap} reads). */
        public Map<String, Object> toMap() {
            return JSON.convertValue(this, new com.fasterxml.jackson.core.type.TypeReference<LinkedHashMap<String, Object>>() { });
        }

        /** The settings of a map written by {@link #toMap}; a missing or mistyped field fails naming it. */
        public static Config fromMap(Map<String, Object> m) {
            try {
                return JSON.convertValue(m, Config.class);
            } catch (IllegalArgumentException e) {
                Throwable c = e.getCause() != null ? e.getCause() : e;
                if (c instanceof com.fasterxml.jackson.databind.JsonMappingException j && j.getOriginalMessage() != null) {
                    String path = j.getPath().stream().map(r -> r.getFieldName() != null ? r.getFieldName()
                            : String.valueOf(r.getIndex())).reduce((a, b) -> a + "." + b).orElse("?");
                    throw new IllegalArgumentException("PETS settings field '" + path + "': " + j.getOriginalMessage(), e);
                }
                throw new IllegalArgumentException("PETS settings: " + c.getMessage(), e);
            }
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Config c && toMap().equals(c.toMap());
        }

        @Override
        public int hashCode() {
            return toMap().hashCode();
        }

        @Override
        public String toString() {
            return "Pets.Config" + toMap();
        }
    }

    private final Config cfg;
    private final Env env;
    private final RewardFn rewardFn;
    private final TerminationFn terminationFn;
    private final DynamicsModel injectedModel;
    private final Path resume;

    private Pets(Config cfg, Env env, RewardFn rewardFn, TerminationFn terminationFn, DynamicsModel model, Path resume) {
        this.cfg = cfg;
        this.env = env;
        this.rewardFn = rewardFn;
        this.terminationFn = terminationFn;
        this.injectedModel = model;
        this.resume = resume;
    }

    /** A new builder with the CPU-sized Pendulum defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** The settings. */
    public Config settings() {
        return cfg;
    }

    @Override
    public long seed() {
        return cfg.seed();
    }

    /** The settings as a flat map for configs and hparams (the objective's options as columns of their own). */
    @Override
    public Map<String, Object> config() {
        Map<String, Object> m = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : cfg.toMap().entrySet()) {
            if (e.getKey().equals("objective_options")) {
                m.putAll(cfg.objectiveOptions()); // flat, so hparams show reward and lambda as columns
            } else {
                m.put(e.getKey(), e.getValue());
            }
        }
        return m;
    }

    /**
     * Runs (or, for a {@link #fromCheckpoint} instance, continues) the run, publishing on {@code bus}; with a run
     * directory, checkpoints go to {@code runDir/checkpoint}. Environments made from the registry are closed at the
     * end; an injected one is left to its owner. Sets no process-wide state (ND4J thread counts are the caller's).
     */
    @Override
    public List<OnlineLoop.EpisodeResult> run(EventBus bus, Path runDir) {
        if (env != null) {
            return run(env, rewardFn, terminationFn, Map.of(), bus, runDir);
        }
        EnvRegistry registry = EnvRegistry.load();
        EnvSpec spec = registry.spec(cfg.env());
        try (Env made = registry.make(cfg.env())) {
            return run(made, spec.rewardFn(), spec.terminationFn(), spec.planningCosts(), bus, runDir);
        }
    }

    private List<OnlineLoop.EpisodeResult> run(Env e, RewardFn reward, TerminationFn termination,
            Map<String, RewardFn> planningCosts, EventBus bus, Path runDir) {
        if (reward == null && !cfg.rewardHead()) {
            throw new IllegalArgumentException(cfg.env() + " has no reward function for imagined transitions; learn one "
                    + "with the model's reward head (--reward-head)");
        }
        PlannerProvider provider = Planners.find(cfg.planner() != null ? cfg.planner()
                : Planners.defaultFor(e.actionSpace()), e.actionSpace(), cfg.env());
        // checkpoints record the planner actually used, so a resumed run plans the same way
        Map<String, Object> settings = cfg.toMap();
        settings.put("planner", provider.id());
        int obsDim = e.observationSpace().flatDim();
        int actDim = e.actionSpace().flatDim();
        // discrete actions reach the model as one-hot codes
        Discrete discrete = e.actionSpace() instanceof Discrete d ? d : null;
        DynamicsModel model = injectedModel != null ? injectedModel : resume != null
                ? Ensemble.load(resume.resolve("model.json"))
                : Ensemble.builder().setObsDim(obsDim).setActDim(actDim).optSize(cfg.ensemble())
                        .optHidden(cfg.hidden()).optActivation(GaussianMlp.Activation.SILU)
                        .optDeltaTargets(true).optNormalizeInputs(true).optSoftLogStdBounds(true)
                        // a reward is on another scale than observation deltas (Pendulum: −16..0 vs ~0.1)
                        .optRewardHead(cfg.rewardHead()).optNormalizeTargets(cfg.rewardHead())
                        .optOneHotActions(discrete != null ? discrete.n() : 0, discrete != null ? discrete.start() : 0)
                        .setRandom(new SplittableRandom(OnlineLoop.seed(cfg.seed(), OnlineLoop.Stream.INIT, 0, 0, 0)))
                        .build();
        if (model.obsDim() != obsDim || model.actDim() != actDim) {
            throw new IllegalArgumentException("the model predicts " + model.obsDim() + " observation dims from "
                    + model.actDim() + " action dims but " + cfg.env() + " has " + obsDim + " and " + actDim);
        }
        long[] steps = {0};
        TrajectoryOptimizer planner = provider.create(new PlannerProvider.Settings(e.actionSpace(), cfg.horizon(),
                cfg.population(), cfg.iterations(), it -> bus.publish(new Event.PlannerIteration(steps[0],
                        it.iteration(), it.best(), it.mean(), it.eliteMean(), it.std()))));
        ModelEnv modelEnv = new ModelEnv(model, cfg.rewardHead() ? null : reward.withStateCost(cfg.stateCost(), obsDim, planningCosts),
                termination, Propagation.TSINF, cfg.particles());
        MpcAgent mpc = new MpcAgent(planner, modelEnv::objective, actDim, cfg.replanEvery(), null);
        Agent counted = new Agent() {
            // planner events carry the collected steps so far, which the agent counts as it observes them
            @Override
            public double[] act(double[] obs, java.util.random.RandomGenerator rng) {
                return mpc.act(obs, rng);
            }

            @Override
            public void reset() {
                mpc.reset();
            }

            @Override
            public void observe(double[] obs, double[] action, org.mbrl4j.env.Step step) {
                steps[0]++;
            }

            @Override
            public Map<String, Object> state(Path dir) {
                Map<String, Object> m = new LinkedHashMap<>(mpc.state(dir));
                m.put("env_steps", steps[0]);
                return m;
            }

            @Override
            public void restore(Map<String, Object> state, Path dir) {
                mpc.restore(state, dir);
                steps[0] = RunCheckpointer.number(state, "env_steps").longValue();
            }
        };
        OnlineLoop.Builder loop = OnlineLoop.builder().setEnv(e).setAgent(counted).setEpisodes(cfg.episodes())
                .optRandomEpisodes(cfg.randomEpisodes()).optEvalEpisodes(cfg.evalEpisodes())
                .optCheckpointEvery(cfg.checkpointEvery()).optBufferCapacity(cfg.bufferCapacity()).optSeed(cfg.seed())
                .optSettings(settings).optResume(resume);
        if (model instanceof Ensemble ens) {
            loop.optModelUpdater(ModelUpdater.builder().setModel(ens).setObjective(cfg.objective(), cfg.objectiveOptions())
                    .optEpochs(cfg.modelEpochs()).optBatchSize(cfg.modelBatch()).optLr(cfg.lr())
                    .optWeightDecay(cfg.weightDecay()).build(), cfg.trainEvery());
        }
        return loop.build().run(bus, runDir);
    }

    /**
     * The run whose checkpoint is in {@code runDir}, ready to continue with {@link #run} from where the checkpoint was
     * written (exactly: the steps since are redone with the same random numbers). {@code episodes}, when not null,
     * changes the number of planning episodes (e.g. to extend a finished run).
     */
    public static Pets fromCheckpoint(Path runDir, Integer episodes) {
        Path dir = RunCheckpointer.latest(runDir).dir();
        Config c = Config.fromMap(RunCheckpointer.object(RunCheckpointer.readState(dir), "settings"));
        Builder b = builder().optConfig(c);
        if (episodes != null) {
            b.optEpisodes(episodes);
        }
        return b.build(dir);
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
        private String planner;
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
        private Map<String, Double> stateCost = Map.of();
        private Env env;
        private RewardFn rewardFn;
        private TerminationFn terminationFn;
        private DynamicsModel model;

        private Builder() {
            optPreset(Preset.DEFAULT);
        }

        /** Environment id (default Pendulum-v1), made from the {@link EnvRegistry} when the run starts. */
        public Builder optEnv(String id) {
            this.envId = id;
            return this;
        }

        /**
         * An environment of the caller's instead of one made by id (not closed by the run), with the task's reward and
         * termination functions for imagined transitions ({@code reward} null: plan with the reward head).
         */
        public Builder optEnvironment(Env e, RewardFn reward, TerminationFn termination) {
            this.env = e;
            this.rewardFn = reward;
            this.terminationFn = termination;
            return this;
        }

        /**
         * A dynamics model of the caller's instead of a new ensemble: an {@link Ensemble} is trained by the loop as
         * usual; any other model (e.g. the true dynamics) is planned with as it is.
         */
        public Builder optModel(DynamicsModel m) {
            this.model = m;
            return this;
        }

        /** Every setting from {@code c} (later calls override single settings). */
        public Builder optConfig(Config c) {
            envId = c.env();
            objective = c.objective();
            objectiveOptions = c.objectiveOptions();
            episodes = c.episodes();
            randomEpisodes = c.randomEpisodes();
            seed = c.seed();
            ensembleSize = c.ensemble();
            hidden = c.hidden();
            particles = c.particles();
            horizon = c.horizon();
            population = c.population();
            cemIterations = c.iterations();
            planner = c.planner();
            evalEpisodes = c.evalEpisodes();
            modelEpochs = c.modelEpochs();
            modelBatch = c.modelBatch();
            lr = c.lr();
            weightDecay = c.weightDecay();
            bufferCapacity = c.bufferCapacity();
            replanEvery = c.replanEvery();
            checkpointEvery = c.checkpointEvery();
            rewardHead = c.rewardHead();
            trainEvery = c.trainEvery();
            stateCost = c.stateCost();
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
         * The trajectory optimiser by id ({@link Planners}): {@code cem}, {@code icem}, {@code mppi}, {@code random}
         * (random shooting with population × iterations samples) over boxes, {@code cem-discrete},
         * {@code mppi-discrete} or {@code random-discrete} over discrete actions, or any registered plugin; population and iterations apply to
         * all. Default (null): {@link Planners#defaultFor} the environment's action space.
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
         * Plan with rewards predicted by the world model's reward head instead of the task reward (default off; needed
         * for environments without a reward function).
         */
        public Builder optRewardHead(boolean on) {
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
         * Costs added to the planning reward (default none): an observation index ({@code "0"}) weighs the square of
         * that dimension, r − Σ wᵢ·s'ᵢ² over imagined next observations s', meant for survival-only rewards, under
         * which every surviving candidate scores the same; a name weighs one of the environment's named planning
         * costs ({@link org.mbrl4j.env.EnvSpec#planningCosts()}, e.g. Acrobot's {@code tip-depth}), meant for sparse
         * rewards. Reported episode returns stay the environment's. Needs the task reward (not {@link #optRewardHead}).
         */
        public Builder optStateCost(Map<String, Double> weights) {
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

        /** Validates the settings and builds; the run holds a copy, so later builder calls do not change it. */
        public Pets build() {
            return build(null);
        }

        private Pets build(Path resume) {
            Config c = new Config(envId, objective, objectiveOptions, episodes, randomEpisodes, seed, ensembleSize, hidden,
                    particles, horizon, population, cemIterations, planner, evalEpisodes, modelEpochs, modelBatch, lr,
                    weightDecay, bufferCapacity, replanEvery, checkpointEvery, rewardHead, trainEvery, stateCost);
            return new Pets(c, env, rewardFn, terminationFn, model, resume);
        }
    }

    /** Registers PETS as agent {@code pets}. */
    public static final class Provider implements AgentProvider {
        @Override
        public String id() {
            return "pets";
        }

        @Override
        public String description() {
            return "PETS: probabilistic ensemble, TS∞ particles, a trajectory optimiser; world model by any objective";
        }

        @Override
        public Map<String, Object> defaults() {
            return builder().build().settings().toMap();
        }

        @Override
        public AgentRun create(Map<String, Object> settings) {
            Map<String, Object> m = new LinkedHashMap<>(defaults());
            for (Map.Entry<String, Object> e : settings.entrySet()) {
                if (!m.containsKey(e.getKey())) {
                    throw new IllegalArgumentException("PETS has no setting '" + e.getKey() + "'; accepted: " + m.keySet());
                }
                m.put(e.getKey(), e.getValue());
            }
            return builder().optConfig(Config.fromMap(m)).build();
        }

        @Override
        public AgentRun resume(Path runDir, Integer episodes) {
            return fromCheckpoint(runDir, episodes);
        }
    }
}
