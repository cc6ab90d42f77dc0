package org.mbrl4j.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mbrl4j config --show COMMAND}: a command's full default configuration, as a YAML file would hold it. */
@Command(name = "config", mixinStandardHelpOptions = true,
        description = "Print a command's full default configuration as YAML (use it as --config FILE).")
final class ConfigCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--show", required = true, description = "Show the defaults.")
    boolean show;

    @Parameters(arity = "1..*", description = "The command, e.g. train-model or run pets.")
    java.util.List<String> command;

    @Override
    public Integer call() {
        CommandLine root = spec.commandLine().getParent();
        CommandLine sub = root;
        for (String c : command) {
            sub = sub == null ? null : sub.getSubcommands().get(c);
        }
        String name = String.join(" ", command);
        if (sub == null || name.equals("config") || name.equals("help")) {
            throw new CommandLine.ParameterException(spec.commandLine(), "unknown command '" + name + "'; commands: "
                    + root.getSubcommands().keySet().stream().filter(c -> !c.equals("config") && !c.equals("help")).toList());
        }
        System.out.print(ConfigFile.defaults(sub));
        return 0;
    }
}
