package org.mbrl4j.objective;

import java.util.Map;
import java.util.Set;

/**
 * Service-provider interface for objectives: list implementations in
 * {@code META-INF/services/org.mbrl4j.objective.ObjectiveProvider}.
 */
public interface ObjectiveProvider {

    /** The name the objective is selected by. */
    String name();

    /** The option keys {@link #create} accepts. */
    Set<String> options();

    /** Creates the objective from its options and what it may need of the data and model; see {@link Objective#create}. */
    Objective create(Map<String, Object> options, ObjectiveContext context);
}
