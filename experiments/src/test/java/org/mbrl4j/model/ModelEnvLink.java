package org.mbrl4j.model;

/** Hands {@link ArchitectureViolation} to {@code ArchitectureTest} (it is package-private on purpose). */
public final class ModelEnvLink {
    private ModelEnvLink() {
    }

    /** The violating class. */
    public static Class<?> violation() {
        return ArchitectureViolation.class;
    }
}
