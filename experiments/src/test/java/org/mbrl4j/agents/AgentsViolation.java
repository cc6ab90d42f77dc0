package org.mbrl4j.agents;

/** A deliberate violation for {@code ArchitectureTest}: an agents class that imports the CLI. */
final class AgentsViolation {
    Object cli = org.mbrl4j.cli.Main.class;
}
