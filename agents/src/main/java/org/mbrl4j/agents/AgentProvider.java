package org.mbrl4j.agents;

import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.mbrl4j.plugin.Plugins;

/**
 * Service-provider interface for agents, found by id like environments, objectives and planners: list implementations
 * in {@code META-INF/services/org.mbrl4j.agents.AgentProvider}; {@code mbrl4j run ID} then runs it with its settings
 * from a YAML file or flags, and a jar in {@code plugins/} adds one without touching the core.
 */
public interface AgentProvider {

    /** The id it is run by, e.g. {@code pets}. */
    String id();

    /** One line for help and listings. */
    String description();

    /** The default settings, JSON-ready (what a config file may override, key by key). */
    Map<String, Object> defaults();

    /** A run with {@code settings} (defaults for missing keys); an unknown key or bad value fails naming it. */
    AgentRun create(Map<String, Object> settings);

    /** The run whose checkpoint is in {@code runDir}, to continue; {@code episodes} (may be null) extends it. */
    AgentRun resume(Path runDir, Integer episodes);

    /** Every registered provider by id (the class path and the context class loader). */
    static TreeMap<String, AgentProvider> registered() {
        return Plugins.byId(AgentProvider.class, AgentProvider::id);
    }

    /** The provider {@code id}; an unknown id fails listing the registered ones. */
    static AgentProvider find(String id) {
        TreeMap<String, AgentProvider> all = registered();
        AgentProvider p = all.get(id);
        if (p == null) {
            throw new IllegalArgumentException("agent '" + id + "' is unknown; registered: " + String.join(", ", all.keySet()));
        }
        return p;
    }
}
