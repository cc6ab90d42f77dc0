package org.mbrl4j.agents;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.mbrl4j.event.EventBus;

/** A configured run of an agent on the {@link OnlineLoop}, ready to start or to continue from a checkpoint. */
public interface AgentRun {

    /** The resolved settings as a flat, JSON-ready map (configs, provenance, hparams). */
    Map<String, Object> config();

    /** The run's seed. */
    long seed();

    /** Runs (or continues) it, publishing on {@code bus}; with a run directory, checkpoints go there. */
    List<OnlineLoop.EpisodeResult> run(EventBus bus, Path runDir);
}
