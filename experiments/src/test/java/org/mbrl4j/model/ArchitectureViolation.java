package org.mbrl4j.model;

/**
 * A deliberate violation for {@code ArchitectureTest}: a class in a framework package that imports the CLI and the
 * agents and closes a cycle with planning. Only the rule tests import it, to show that each rule fails on it.
 */
final class ArchitectureViolation {
    Object cli = org.mbrl4j.cli.Main.class;
    Object agents = org.mbrl4j.agents.Pets.class;
    Object planning = org.mbrl4j.planning.ModelEnv.class;
}
