package org.mbrl4j.event;

import java.nio.file.Path;
import java.util.Map;

/**
 * What the components of a run say they did: immutable records published on the {@link EventBus}. Sinks
 * (TensorBoard, JSONL, console, planners) subscribe by type. Events observe the run; the data of the run itself
 * (transitions, weights) never travels through them.
 */
public sealed interface Event {

    /**
     * A run began.
     *
     * @param runId      short unique id
     * @param command    the command that runs (e.g. {@code train-model})
     * @param runDir     the run directory
     * @param config     the resolved configuration
     * @param provenance versions, commit, host, seed, command line
     */
    record RunStarted(String runId, String command, Path runDir, Map<String, Object> config, Provenance provenance)
            implements Event {
    }

    /**
     * A run ended.
     *
     * @param runId   id of {@link RunStarted}
     * @param success whether it completed
     * @param metrics final metrics (shown in TensorBoard's HParams dashboard)
     * @param message how it ended
     */
    record RunEnded(String runId, boolean success, Map<String, Double> metrics, String message) implements Event {
    }

    /**
     * One environment step (opt-in: published only when someone subscribed to this type).
     *
     * @param step       global environment step
     * @param obs        observation before the step
     * @param action     action taken
     * @param reward     reward received
     * @param terminated terminal state reached
     * @param truncated  episode cut short
     */
    record EnvStep(long step, double[] obs, double[] action, double reward, boolean terminated, boolean truncated)
            implements Event {
    }

    /**
     * An episode ended.
     *
     * @param phase         {@code train} or {@code eval}
     * @param episode       episode index within its phase
     * @param envSteps      global environment steps so far (the x-axis)
     * @param episodeReturn undiscounted return
     * @param length        steps in the episode
     * @param seconds       wall time of the episode
     */
    record EpisodeEnd(String phase, int episode, long envSteps, double episodeReturn, int length, double seconds)
            implements Event {
    }

    /**
     * A model finished an epoch.
     *
     * @param model      model name (e.g. {@code dynamics})
     * @param epoch      epoch within this training
     * @param epochs     planned epochs of this training
     * @param train      training metrics of the epoch
     * @param val        validation metrics after the epoch
     * @param lr         learning rate
     * @param gradNorm   gradient norm before clipping
     * @param stepMillis mean wall time of a training step
     */
    record ModelEpoch(String model, int epoch, int epochs, Map<String, Double> train, Map<String, Double> val, double lr,
            double gradNorm, double stepMillis) implements Event {
    }

    /**
     * A model finished training.
     *
     * @param model      model name
     * @param epochs     epochs run
     * @param train      final training metrics
     * @param val        final validation metrics
     * @param test       test metrics (empty without test data)
     * @param stopReason why training ended
     */
    record ModelTrained(String model, int epochs, Map<String, Double> train, Map<String, Double> val,
            Map<String, Double> test, String stopReason) implements Event {
    }

    /**
     * One iteration of a trajectory optimiser.
     *
     * @param envStep   environment step the plan is for
     * @param iteration iteration within this plan
     * @param best      best objective value so far
     * @param mean      mean objective value of the population
     * @param eliteMean mean objective value of the elites
     * @param std       mean standard deviation of the sampling distribution
     */
    record PlannerIteration(long envStep, int iteration, double best, double mean, double eliteMean, double std)
            implements Event {
    }

    /**
     * One outer step of a reward learner.
     *
     * @param outerStep     outer iteration
     * @param u             scale of an isotropic U (NaN otherwise)
     * @param uNorm         ‖U‖_F
     * @param outerLoss     outer loss (training NLL at the inner solution)
     * @param hypergradNorm norm of the hypergradient
     * @param valNll        validation NLL (NaN when not computed)
     */
    record RewardStep(int outerStep, double u, double uNorm, double outerLoss, double hypergradNorm, double valNll)
            implements Event {
    }

    /**
     * A checkpoint was written.
     *
     * @param path    the file
     * @param envStep environment step (or epoch) it captures
     */
    record CheckpointWritten(Path path, long envStep) implements Event {
    }

    /**
     * A free-form scalar for dashboards.
     *
     * @param tag   TensorBoard tag
     * @param step  x-axis value
     * @param value the value
     */
    record Scalar(String tag, long step, double value) implements Event {
    }
}
