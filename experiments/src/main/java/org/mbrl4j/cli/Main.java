package org.mbrl4j.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code mbrl4j} command line. */
@Command(name = "mbrl4j", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Model-based reinforcement learning research on the JVM.",
        subcommands = {DoctorCommand.class, EnvsCommand.class, RolloutCommand.class, TrainModelCommand.class, RunCommand.class, CompareObjectivesCommand.class,
            SweepCommand.class,
            ExperimentCommand.class,
            BenchCommand.class,
            ConfigCommand.class,
            CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Option(names = "--debug", scope = CommandLine.ScopeType.INHERIT,
            description = "Print the stack trace of a failure (a run also keeps it in its directory's error.log).")
    boolean debug;

    /** Runs the command line and exits with its code. */
    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns its exit code (0 ok, 1 failure, 2 bad usage). */
    public static int run(String... args) {
        return run(null, args);
    }

    /** {@link #run(String...)} with error messages going to {@code err} (null: standard error). */
    public static int run(java.io.PrintStream err, String... args) {
        CommandLine cl = new CommandLine(new Main());
        CommandLine runs = cl.getSubcommands().get("run");
        for (org.mbrl4j.agents.AgentProvider p : org.mbrl4j.agents.AgentProvider.registered().values()) {
            if (!runs.getSubcommands().containsKey(p.id())) {
                runs.addSubcommand(p.id(), AgentCommand.of(p));
            }
        }
        if (err != null) {
            cl.setErr(new java.io.PrintWriter(err, true));
        }
        boolean debug = java.util.Arrays.asList(args).contains("--debug");
        // a wrong option or value is its message and where the accepted ones are listed, not the whole usage page
        // (which buried the message under 40 lines of options)
        cl.setParameterExceptionHandler((ex, rest) -> {
            CommandLine line = ex.getCommandLine();
            line.getErr().println(line.getColorScheme().errorText("error: " + ex.getMessage()));
            CommandLine.UnmatchedArgumentException.printSuggestions(ex, line.getErr());
            line.getErr().println("(the accepted options: " + line.getCommandSpec().qualifiedName() + " --help)");
            if (debug) {
                ex.printStackTrace(line.getErr());
            }
            return 2;
        });
        cl.setExecutionExceptionHandler((ex, line, parse) -> {
            if (ex instanceof IllegalArgumentException) {
                line.getErr().println(line.getColorScheme().errorText("error: " + ex.getMessage()));
                if (debug) {
                    ex.printStackTrace(line.getErr());
                }
                return 2;
            }
            // a failure the code reports on purpose (a dead environment process, a diverged model, a file that cannot
            // be written) is its message; anything else is a bug, whose stack trace is always shown
            boolean expected = ex instanceof IllegalStateException || ex instanceof java.io.UncheckedIOException
                    || ex instanceof java.io.IOException;
            line.getErr().println(line.getColorScheme().errorText("error: " + (expected ? ex.getMessage() : ex)));
            if (debug || !expected) {
                ex.printStackTrace(line.getErr());
            } else {
                line.getErr().println("(the stack trace: add --debug" + (ex instanceof AgentCommand.RunFailure f
                        ? ", or see " + f.log() : "") + ")");
            }
            return 1;
        });
        String[] rest;
        try {
            rest = ConfigFile.apply(cl, args);
        } catch (CommandLine.ParameterException e) {
            cl.getErr().println(cl.getColorScheme().errorText("error: " + e.getMessage()));
            return 2;
        }
        return cl.execute(rest);
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required; see mbrl4j --help");
    }

    /** Version from the jar manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"mbrl4j " + (v == null ? "development build" : v)};
        }
    }
}
