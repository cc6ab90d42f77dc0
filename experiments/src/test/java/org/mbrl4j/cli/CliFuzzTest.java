package org.mbrl4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mbrl4j.env.EnvRegistry;
import org.mbrl4j.env.EnvSpec;
import org.mbrl4j.fuzz.Fuzz;
import picocli.CommandLine;

/**
 * The command line's parsers under seeded mutations of valid inputs: YAML configs of every command, sweep files and
 * the flags with their own syntax (--state-cost, --hidden). Each input gives a parsed value or an error with a
 * message, never another exception or a hang.
 */
class CliFuzzTest {
    private static final Duration LIMIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    /** Every runnable command (a leaf of the command tree), but help and config. */
    private static List<CommandLine> leaves(CommandLine c) {
        List<CommandLine> out = new ArrayList<>();
        if (c.getSubcommands().isEmpty()) {
            out.add(c);
        }
        c.getSubcommands().forEach((name, sub) -> {
            if (!name.equals("help") && !name.equals("config")) {
                out.addAll(leaves(sub));
            }
        });
        return out;
    }

    @Test
    void theYamlConfigOfEveryCommand() throws Exception {
        CommandLine root = new CommandLine(new Main());
        root.getSubcommands().get("run").addSubcommand("pets-agent", AgentCommand.of(
                org.mbrl4j.agents.AgentProvider.registered().get("pets")));
        List<CommandLine> commands = leaves(root);
        assertThat(commands).hasSizeGreaterThan(8);
        Path file = dir.resolve("config.yaml");
        int k = 0;
        for (CommandLine cmd : commands) {
            long seed = 20_000 + 1000L * k++;
            if (cmd.getCommand() instanceof AgentCommand agent) {
                String valid = RunContext.YAML.writeValueAsString(agent.provider().defaults());
                // an agent's config is its settings, checked by the agent's provider
                Fuzz.check("config of run " + cmd.getCommandName(), seed, 300, LIMIT, List.of(valid), in -> {
                    Object v = RunContext.YAML.readValue(in.isEmpty() ? "{}" : in, Object.class);
                    if (!(v instanceof Map<?, ?> m)) {
                        throw new IllegalArgumentException("not a map");
                    }
                    Map<String, Object> settings = new java.util.LinkedHashMap<>();
                    m.forEach((a, b) -> settings.put(String.valueOf(a), b));
                    agent.provider().create(settings);
                }, IllegalArgumentException.class, com.fasterxml.jackson.core.JacksonException.class);
                continue;
            }
            String valid = ConfigFile.defaults(cmd);
            Fuzz.check("config of " + cmd.getCommandSpec().qualifiedName(), seed, 300, LIMIT, List.of(valid), in -> {
                Files.writeString(file, in);
                ConfigFile.load(cmd, file);
            }, CommandLine.ParameterException.class);
        }
    }

    @Test
    void sweepFiles() throws Exception {
        Path data = dir.resolve("d.csv");
        Files.writeString(data, org.mbrl4j.data.TransitionDataset.header(1, 1) + "\n1,2,3,4,0,0,0\n");
        List<String> valid = List.of(
                "command: train-model\nbase:\n  data: " + data + "\n  epochs: 2\n  hidden: [16]\ngrid:\n  objective: [nll, pg]\n"
                        + "seeds: [0, 1]\n",
                "command: run pets\nbase:\n  episodes: 1\nlist:\n  - {objective: nll}\n  - {objective: pg, reward: full}\n"
                        + "seeds: 2\n");
        Path file = dir.resolve("sweep.yaml");
        Fuzz.check("sweep file", 40_000, 1000, LIMIT, valid, in -> {
            Files.writeString(file, in);
            CommandLine root = new CommandLine(new Main());
            SweepCommand sweep = root.getSubcommands().get("sweep").getCommand();
            SweepCommand.tasks(sweep.parse(file));
        }, CommandLine.ParameterException.class);
    }

    @Test
    void stateCostAndHiddenFlags() {
        EnvSpec acrobot = EnvRegistry.load().spec("Acrobot-v1");
        Fuzz.check("--state-cost", 50_000, 1500, LIMIT, List.of("0=0.5,2=0.1", "tip-depth=1", "1=5"), in -> {
            Map<String, Double> terms = PetsOptions.stateCost(List.of(in.split(",", -1)));
            acrobot.rewardFn().withStateCost(terms, 6, acrobot.planningCosts());
        }, IllegalArgumentException.class);
        Fuzz.check("--hidden", 60_000, 600, LIMIT, List.of("64,64", "200,200,200", "8"), in -> {
            CommandLine.ParseResult r = new CommandLine(new Main()).parseArgs("run", "pets", "--hidden", in);
            List<Integer> hidden = r.subcommand().subcommand().matchedOptionValue("--hidden", List.<Integer>of());
            org.mbrl4j.model.Ensemble.builder().setObsDim(3).setActDim(1).optSize(1)
                    .optHidden(hidden.stream().mapToInt(Integer::intValue).toArray())
                    .setRandom(new java.util.SplittableRandom(0)).build().close();
        }, CommandLine.ParameterException.class, IllegalArgumentException.class);
    }
}
