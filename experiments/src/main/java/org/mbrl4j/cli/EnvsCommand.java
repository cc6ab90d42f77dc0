package org.mbrl4j.cli;

import java.util.concurrent.Callable;
import org.mbrl4j.env.Env;
import org.mbrl4j.env.EnvRegistry;
import org.mbrl4j.env.EnvSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code mbrl4j envs}: the registered environments with their spaces. */
@Command(name = "envs", mixinStandardHelpOptions = true, description = "List registered environments and their spaces.")
final class EnvsCommand implements Callable<Integer> {

    @Option(names = "--ids", description = "Print only the ids, one per line.")
    boolean idsOnly;

    @Override
    public Integer call() {
        EnvRegistry registry = EnvRegistry.load();
        for (EnvSpec spec : registry.specs()) {
            if (idsOnly) {
                System.out.println(spec.id());
                continue;
            }
            String spaces;
            if (spec.id().contains("/")) {
                // bridged environments start a process each: list them without making them
                System.out.printf("%-28s max_steps=%-5s %s%n", spec.id(),
                        spec.maxEpisodeSteps() == null ? "-" : spec.maxEpisodeSteps(), spec.entryPoint());
                continue;
            }
            try (Env env = registry.make(spec.id())) {
                spaces = "obs " + env.observationSpace() + "  act " + env.actionSpace();
            } catch (RuntimeException e) {
                spaces = "(cannot instantiate: " + e.getMessage() + ")";
            }
            System.out.printf("%-28s max_steps=%-5s %s%n", spec.id(),
                    spec.maxEpisodeSteps() == null ? "-" : spec.maxEpisodeSteps(), spaces);
        }
        return 0;
    }
}
