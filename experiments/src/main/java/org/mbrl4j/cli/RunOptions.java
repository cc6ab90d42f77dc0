package org.mbrl4j.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where a command that produces a run writes it: {@code --out DIR} exactly, or a new directory under {@code --logdir}. */
final class RunOptions {
    @Option(names = "--out", description = "Run directory, exactly (default: a new directory under --logdir).")
    Path out;

    @Option(names = "--logdir", defaultValue = "runs", description = "Root of run directories: ROOT/<command>/<time>-<id>/ (default ${DEFAULT-VALUE}).")
    Path logdir;

    /** The run directory of {@code command}. */
    Path directory(String command) {
        return RunContext.directory(command, out, logdir);
    }
}
