package org.mbrl4j.agents;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;
import org.mbrl4j.data.ReplayBuffer;
import org.mbrl4j.data.TransitionDataset;
import org.mbrl4j.env.Env;
import org.mbrl4j.env.Step;
import org.mbrl4j.event.Event;
import org.mbrl4j.event.EventBus;
import org.mbrl4j.event.Provenance;
import org.mbrl4j.random.Streams;

/**
 * The online loop every agent runs on: {@code randomEpisodes} episodes of an explorer (random actions by default), then
 * {@code episodes} episodes of the agent, each optionally followed by evaluation episodes (planned, not collected). It
 * owns the schedule — step the environment, store the transition, show it to the agent, update the model (before
 * every agent episode, or every {@code trainEvery} collected steps), let the agent learn, checkpoint — and publishes
 * what happens on the event bus.
 *
 * <p>Randomness is a function of (seed, purpose, episode, evaluation, step) ({@link Streams}): resets, actions,
 * model updates and agent updates each draw from their own stream. With a run directory, a checkpoint (buffer,
 * model, the agent's {@link Agent#state state}, position, results) is written at every episode end, every
 * {@code checkpointEvery} collected steps and after every mid-episode model update; a loop built with
 * {@link Builder#optResume} continues exactly from one: the environment is reset with the episode's seed and the
 * buffer's actions of the episode are replayed, so mid-episode resume needs an environment that is deterministic
 * given its reset seed.
 */
public final class OnlineLoop {

    /**
     * One finished episode.
     *
     * @param episode  index (explorer episodes first)
     * @param envSteps collected environment steps so far
     * @param ret      return
     * @param seconds  wall time since the start of the run
     * @param phase    {@code random} (explorer), {@code train} (the agent, collected) or {@code eval} (the agent, not
     *                 collected; {@code envSteps} is then the collected steps so far)
     */
    public record EpisodeResult(int episode, long envSteps, double ret, double seconds, String phase) {
    }

    /**
     * What an agent's {@link Agent#update} sees.
     *
     * @param buffer   the real transitions collected so far
     * @param envSteps collected steps so far
     * @param episode  the episode index
     * @param step     steps taken in the episode
     * @param rng      the update's own random stream
     * @param bus      the run's event bus
     */
    public record Context(ReplayBuffer buffer, long envSteps, int episode, int step, RandomGenerator rng, EventBus bus) {
    }

    /** What a stream is drawn for; the ordinals are part of every recorded run: append, never reorder. */
    public enum Stream {
        /** Initialisation of models and agents (episode, evaluation and step 0). */
        INIT,
        /** Model updates. */
        TRAIN,
        /** Environment resets. */
        RESET,
        /** Actions. */
        ACT,
        /** Agent updates. */
        UPDATE
    }

    private final Env env;
    private final Agent agent;
    private final Agent explorer;
    private final ModelUpdater updater;
    private final int randomEpisodes;
    private final int episodes;
    private final int evalEpisodes;
    private final int trainEvery;
    private final int checkpointEvery;
    private final int bufferCapacity;
    private final long seed;
    private final Map<String, Object> settings;
    private final Path resume;

    private OnlineLoop(Builder b) {
        env = b.env;
        agent = b.agent;
        explorer = b.explorer != null ? b.explorer : (obs, rng) -> env.actionSpace().sample(rng);
        updater = b.updater;
        randomEpisodes = b.randomEpisodes;
        episodes = b.episodes;
        evalEpisodes = b.evalEpisodes;
        trainEvery = b.trainEvery;
        checkpointEvery = b.checkpointEvery;
        bufferCapacity = b.bufferCapacity;
        seed = b.seed;
        settings = b.settings;
        resume = b.resume;
    }

    /** A new builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** The seed of stream {@code purpose} of the run seeded {@code seed} (see {@link Streams#seed}). */
    public static long seed(long seed, Stream purpose, int episode, int eval, int step) {
        return Streams.seed(seed, purpose.ordinal(), episode, eval, step);
    }

    /**
     * Runs the loop (or continues it from the checkpoint given to {@link Builder#optResume}), publishing on {@code bus};
     * with a run directory, checkpoints go to {@code runDir/checkpoint}.
     */
    public List<EpisodeResult> run(EventBus bus, Path runDir) {
        return new Run(bus, runDir).run();
    }

    /** One run of the loop: the buffer and where the run stands. */
    private final class Run {
        private final EventBus bus;
        private final Path runDir;
        private final ReplayBuffer buffer;
        private final Streams.Reseedable stepRng = new Streams.Reseedable();
        private final Streams.Reseedable updateRng = new Streams.Reseedable();
        private final List<EpisodeResult> results = new ArrayList<>();
        private final Provenance provenance;
        private final long start;
        private long steps;
        private Map<String, Object> saved;

        Run(EventBus bus, Path runDir) {
            this.bus = bus;
            this.runDir = runDir;
            int obsDim = env.observationSpace().flatDim();
            int actDim = env.actionSpace().flatDim();
            long wall = 0;
            if (resume != null) {
                saved = RunCheckpointer.readState(resume);
                buffer = ReplayBuffer.load(resume.resolve("buffer.csv"), bufferCapacity);
                if (buffer.size() > 0 && (buffer.obsDim() != obsDim || buffer.actDim() != actDim)) {
                    throw new IllegalArgumentException("the checkpoint's buffer holds " + buffer.obsDim() + "+"
                            + buffer.actDim() + " obs+action dims but the environment has " + obsDim + "+" + actDim);
                }
                steps = RunCheckpointer.number(saved, "env_steps").longValue();
                wall = (long) (RunCheckpointer.number(saved, "wall_seconds").doubleValue() * 1e9);
                for (Map<String, Object> r : RunCheckpointer.objects(saved, "results")) {
                    results.add(new EpisodeResult(RunCheckpointer.number(r, "episode").intValue(),
                            RunCheckpointer.number(r, "env_steps").longValue(), RunCheckpointer.number(r, "return")
                            .doubleValue(), RunCheckpointer.number(r, "seconds").doubleValue(),
                            RunCheckpointer.get(r, "phase", String.class)));
                }
                agent.restore(RunCheckpointer.object(saved, "agent"), resume);
            } else {
                buffer = new ReplayBuffer(bufferCapacity, obsDim, actDim);
            }
            // once per run: capturing starts git processes and a host lookup
            provenance = runDir == null ? null : Provenance.capture(seed, List.of(), settings);
            start = System.nanoTime() - wall;
        }

        List<EpisodeResult> run() {
            int fromEpisode = saved == null ? 0 : RunCheckpointer.number(saved, "episode").intValue();
            int fromStep = saved == null ? 0 : RunCheckpointer.number(saved, "step").intValue();
            int fromEval = saved == null ? 0 : RunCheckpointer.number(saved, "eval_done").intValue();
            boolean collected = saved != null && RunCheckpointer.get(saved, "collected", Boolean.class);
            for (int ep = fromEpisode; ep < randomEpisodes + episodes; ep++) {
                boolean learning = ep >= randomEpisodes;
                boolean continuing = ep == fromEpisode;
                boolean trainAtStart = learning && updater != null && (trainEvery == 0 || ep == randomEpisodes);
                if (trainAtStart && !(continuing && (collected || fromStep > 0))) {
                    updater.train(buffer, seed(seed, Stream.TRAIN, ep, 0, 0), bus);
                }
                if (!(continuing && collected)) {
                    results.add(episode(learning ? agent : explorer, ep, 0, continuing ? fromStep : 0,
                            learning ? "train" : "random"));
                    checkpoint(ep, 0, 0, true);
                }
                for (int e = continuing ? fromEval : 0; learning && e < evalEpisodes; e++) {
                    results.add(episode(agent, ep, e + 1, 0, "eval"));
                    checkpoint(ep, 0, e + 1, true);
                }
            }
            return results;
        }

        /**
         * Episode {@code ep} ({@code eval} > 0: its eval-th evaluation episode, not collected). {@code replay} > 0
         * continues a checkpoint written after that many collected steps: the environment is reset with the episode's
         * seed and the buffer's actions are replayed (checked against the stored transitions); the agent's state was
         * restored with the checkpoint.
         */
        private EpisodeResult episode(Agent actor, int ep, int eval, int replay, String phase) {
            boolean collect = eval == 0;
            long t0 = System.nanoTime();
            double[] obs = env.reset(seed(seed, Stream.RESET, ep, eval, 0)).observation();
            if (replay == 0) {
                actor.reset();
            }
            double ret = 0;
            int len = 0;
            if (replay > 0) {
                TransitionDataset d = buffer.toDataset();
                for (int i = d.size() - replay; i < d.size(); i++) {
                    Step s = env.step(d.action(i));
                    if (d.episode(i) != ep || !Arrays.equals(s.observation(), d.nextObs(i)) || s.reward() != d.reward(i)) {
                        throw new IllegalStateException("cannot continue episode " + ep + " from the checkpoint: replaying its "
                                + "step " + len + " did not reproduce the stored transition (a run resumes mid-episode only "
                                + "on environments that are deterministic given their reset seed)");
                    }
                    ret += s.reward();
                    len++;
                    obs = s.observation();
                }
            }
            boolean wantSteps = collect && bus.wants(Event.EnvStep.class);
            while (true) {
                stepRng.reseed(seed(seed, Stream.ACT, ep, eval, len));
                double[] a = actor.act(obs, stepRng);
                Step s = env.step(a);
                if (collect) {
                    buffer.add(obs, a, s.observation(), s.reward(), s.terminated(), s.truncated(), ep);
                    steps++;
                    agent.observe(obs, a, s);
                }
                if (wantSteps) {
                    bus.publish(new Event.EnvStep(steps, obs, a, s.reward(), s.terminated(), s.truncated()));
                }
                ret += s.reward();
                len++;
                obs = s.observation();
                // a model trained mid-episode is checkpointed at once: resuming replays env steps, never training
                boolean trained = collect && actor == agent && updater != null && trainEvery > 0
                        && steps % trainEvery == 0;
                if (trained) {
                    updater.train(buffer, seed(seed, Stream.TRAIN, ep, 0, len), bus);
                }
                if (collect && actor == agent) {
                    updateRng.reseed(seed(seed, Stream.UPDATE, ep, 0, len));
                    agent.update(new Context(buffer, steps, ep, len, updateRng, bus));
                }
                if (s.done()) {
                    break;
                }
                if (trained || collect && checkpointEvery > 0 && steps % checkpointEvery == 0) {
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
            state.put("version", 2);
            state.put("settings", settings);
            state.put("episode", ep);
            state.put("step", step);
            state.put("eval_done", evalDone);
            state.put("collected", collected);
            state.put("env_steps", steps);
            state.put("wall_seconds", (System.nanoTime() - start) / 1e9);
            List<Map<String, Object>> rs = new ArrayList<>();
            for (EpisodeResult r : results) {
                rs.add(Map.of("episode", r.episode(), "env_steps", r.envSteps(), "return", r.ret(), "seconds", r.seconds(),
                        "phase", r.phase()));
            }
            state.put("results", rs);
            Path dir = RunCheckpointer.write(runDir, tmp -> {
                buffer.save(tmp.resolve("buffer.csv"));
                if (updater != null) {
                    updater.model().save(tmp.resolve("model.json"), provenance);
                }
                state.put("agent", agent.state(tmp));
            }, state);
            bus.publish(new Event.CheckpointWritten(dir, steps));
        }
    }

    /** Builder: environment, agent and episodes are required. */
    public static final class Builder {
        private Env env;
        private Agent agent;
        private Agent explorer;
        private ModelUpdater updater;
        private int randomEpisodes = 1;
        private int episodes = -1;
        private int evalEpisodes;
        private int trainEvery;
        private int checkpointEvery = 1000;
        private int bufferCapacity = 100_000;
        private long seed;
        private Map<String, Object> settings = Map.of();
        private Path resume;

        private Builder() {
        }

        /** The environment (not closed by the loop). */
        public Builder setEnv(Env e) {
            this.env = e;
            return this;
        }

        /** The agent that learns and is evaluated. */
        public Builder setAgent(Agent a) {
            this.agent = a;
            return this;
        }

        /** Episodes of the agent after the explorer's. */
        public Builder setEpisodes(int n) {
            this.episodes = n;
            return this;
        }

        /** Acts in the first episodes (default: uniform random actions from the action space). */
        public Builder optExplorer(Agent a) {
            this.explorer = a;
            return this;
        }

        /** Explorer episodes first (default 1). */
        public Builder optRandomEpisodes(int n) {
            this.randomEpisodes = n;
            return this;
        }

        /** Evaluation episodes after every agent episode, not collected (default 0). */
        public Builder optEvalEpisodes(int n) {
            this.evalEpisodes = n;
            return this;
        }

        /**
         * Trains a model on the buffer: before every agent episode ({@code trainEvery} 0, the default), or before the
         * first and then every {@code trainEvery} collected steps, mid-episode too.
         */
        public Builder optModelUpdater(ModelUpdater u, int trainEvery) {
            this.updater = u;
            this.trainEvery = trainEvery;
            return this;
        }

        /** Checkpoint every {@code n} collected steps besides every episode end (default 1000; 0: episode ends only). */
        public Builder optCheckpointEvery(int n) {
            this.checkpointEvery = n;
            return this;
        }

        /** Replay-buffer capacity (default 100,000). */
        public Builder optBufferCapacity(int n) {
            this.bufferCapacity = n;
            return this;
        }

        /** Seed of every stream (default 0). */
        public Builder optSeed(long s) {
            this.seed = s;
            return this;
        }

        /** The run's settings, written into every checkpoint and the provenance (JSON-ready; default none). */
        public Builder optSettings(Map<String, Object> s) {
            this.settings = Map.copyOf(s);
            return this;
        }

        /** Continue from the checkpoint directory {@code dir} (see {@link RunCheckpointer#latest}). */
        public Builder optResume(Path dir) {
            this.resume = dir;
            return this;
        }

        /** Validates and builds. */
        public OnlineLoop build() {
            if (env == null || agent == null) {
                throw new IllegalArgumentException("the online loop needs an environment (setEnv) and an agent (setAgent)");
            }
            if (episodes < 1 || randomEpisodes < 0 || evalEpisodes < 0 || trainEvery < 0 || checkpointEvery < 0
                    || bufferCapacity < 1) {
                throw new IllegalArgumentException("online loop: episodes must be ≥ 1, random episodes, eval episodes, train "
                        + "every and checkpoint every ≥ 0, buffer capacity ≥ 1; got episodes " + episodes + ", random "
                        + randomEpisodes + ", eval " + evalEpisodes + ", train every " + trainEvery + ", checkpoint every "
                        + checkpointEvery + ", buffer " + bufferCapacity);
            }
            return new OnlineLoop(this);
        }
    }
}
