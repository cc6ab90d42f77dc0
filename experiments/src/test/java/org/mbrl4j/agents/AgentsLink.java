package org.mbrl4j.agents;

/** Hands {@link AgentsViolation} to {@code ArchitectureTest}. */
public final class AgentsLink {
    private AgentsLink() {
    }

    /** The violating class. */
    public static Class<?> violation() {
        return AgentsViolation.class;
    }
}
