package org.mbrl4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * YAML configuration files for every command: {@code mbrl4j COMMAND --config FILE.yaml [flags]}. Keys are the
 * command's long option names without dashes ({@code lambda: 0.5}, {@code hidden: [64, 64]}); flags on the command
 * line override file values. Unknown keys and values of the wrong type are rejected with the key and what is
 * accepted.
 */
final class ConfigFile {
    private ConfigFile() {
    }

    /** Removes {@code --config FILE} from {@code args}, installing the file's values as the subcommand's defaults. */
    static String[] apply(CommandLine root, String[] args) {
        List<String> rest = new ArrayList<>();
        Path file = null;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--config") && i + 1 < args.length) {
                file = Path.of(args[++i]);
            } else if (args[i].startsWith("--config=")) {
                file = Path.of(args[i].substring("--config=".length()));
            } else {
                rest.add(args[i]);
            }
        }
        if (file == null) {
            return args;
        }
        CommandLine sub = null;
        CommandLine level = root;
        for (String a : rest) {
            if (level.getSubcommands().containsKey(a)) {
                sub = level.getSubcommands().get(a);
                level = sub;
            }
        }
        if (sub == null) {
            throw new CommandLine.ParameterException(root, "--config needs a command, e.g. mbrl4j train-model --config " + file);
        }
        if (sub.getCommand() instanceof AgentCommand agent) {
            agent.configFile = file; // an agent's settings, not the command's options
            return rest.toArray(String[]::new);
        }
        Map<String, String> values = load(sub, file);
        sub.setDefaultValueProvider(arg -> arg instanceof OptionSpec o ? values.get(key(o)) : null);
        return rest.toArray(String[]::new);
    }

    static String key(OptionSpec o) {
        return o.longestName().replaceFirst("^--?", "");
    }

    /** Reads and validates {@code file} against the options of {@code cmd}; values as picocli strings. */
    @SuppressWarnings("unchecked")
    static Map<String, String> load(CommandLine cmd, Path file) {
        if (!Files.isRegularFile(file)) {
            throw new CommandLine.ParameterException(cmd, "--config: file " + file + " does not exist");
        }
        Object doc;
        try {
            doc = new ObjectMapper(new YAMLFactory()).readValue(file.toFile(), Object.class);
        } catch (IOException e) {
            throw new CommandLine.ParameterException(cmd, "--config: " + file + " is not valid YAML: " + e.getMessage());
        }
        if (doc == null) {
            return Map.of();
        }
        if (!(doc instanceof Map<?, ?> map)) {
            throw new CommandLine.ParameterException(cmd, "--config: " + file + " must be a mapping of option names to values");
        }
        Map<String, OptionSpec> options = options(cmd.getCommandSpec());
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : ((Map<Object, Object>) map).entrySet()) {
            String k = String.valueOf(e.getKey());
            OptionSpec o = options.get(k);
            if (o == null) {
                throw new CommandLine.ParameterException(cmd, "--config " + file + ": unknown key '" + k + "' for "
                        + cmd.getCommandName() + "; accepted: " + new TreeSet<>(options.keySet()));
            }
            if (e.getValue() != null) { // null: the command's own default, as config --show writes it
                out.put(k, convert(cmd, file, k, o, e.getValue()));
            }
        }
        return out;
    }

    /** The configurable options of a command by key (help, version and --config excluded). */
    static Map<String, OptionSpec> options(CommandSpec spec) {
        Map<String, OptionSpec> m = new LinkedHashMap<>();
        for (OptionSpec o : spec.options()) {
            if (!o.usageHelp() && !o.versionHelp()) {
                m.put(key(o), o);
            }
        }
        return m;
    }

    private static String convert(CommandLine cmd, Path file, String key, OptionSpec o, Object v) {
        return convert(cmd, "--config " + file + ": key '" + key + "' ", o, v);
    }

    /** A YAML value as the option's command-line string; errors start with {@code where}. */
    static String convert(CommandLine cmd, String where, OptionSpec o, Object v) {
        Class<?> t = o.type();
        if (v instanceof Map<?, ?>) {
            throw new CommandLine.ParameterException(cmd, where + "must be a single value, not a mapping");
        }
        if (t.isArray() || List.class.isAssignableFrom(t)) {
            List<?> items = v instanceof List<?> l ? l : Arrays.asList(String.valueOf(v).split(","));
            Class<?> c = t.isArray() ? t.getComponentType() : String.class;
            List<String> parts = new ArrayList<>();
            for (Object item : items) {
                parts.add(scalar(cmd, where, c, item));
            }
            return String.join(",", parts);
        }
        if (v instanceof List<?>) {
            throw new CommandLine.ParameterException(cmd, where + "must be a single " + t.getSimpleName() + ", not a list");
        }
        return scalar(cmd, where, t, v);
    }

    private static String scalar(CommandLine cmd, String where, Class<?> t, Object v) {
        String s = String.valueOf(v).trim();
        try {
            if (t == int.class || t == Integer.class) {
                Integer.parseInt(s);
            } else if (t == long.class || t == Long.class) {
                Long.parseLong(s);
            } else if (t == double.class || t == Double.class) {
                Double.parseDouble(s);
            } else if (t == boolean.class || t == Boolean.class) {
                if (!s.equals("true") && !s.equals("false")) {
                    throw new IllegalArgumentException();
                }
            } else if (t.isEnum()) {
                List<String> names = Arrays.stream(t.getEnumConstants()).map(Object::toString).toList();
                if (!names.contains(s)) {
                    throw new CommandLine.ParameterException(cmd, where + "must be one of " + names + ", got '" + s + "'");
                }
            }
        } catch (IllegalArgumentException e) {
            String kind = t == boolean.class || t == Boolean.class ? "true or false"
                    : t == double.class || t == Double.class ? "a number" : "an integer";
            throw new CommandLine.ParameterException(cmd, where + "must be " + kind + ", got '" + s + "'");
        }
        return s;
    }

    /** The command's full default configuration as YAML. */
    static String defaults(CommandLine cmd) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (Map.Entry<String, OptionSpec> e : options(cmd.getCommandSpec()).entrySet()) {
            OptionSpec o = e.getValue();
            String d = o.defaultValue();
            Object v;
            if (d == null) {
                v = o.type() == boolean.class ? false : null;
            } else if (o.type().isArray()) {
                v = Arrays.stream(d.split(",")).map(x -> number(x.trim())).toList();
            } else {
                v = number(d);
            }
            m.put(e.getKey(), v);
        }
        String yaml;
        try {
            yaml = RunContext.YAML.writeValueAsString(m);
        } catch (IOException ex) {
            throw new IllegalStateException(ex);
        }
        // an option without a fixed default (it depends on other options): say what it defaults to
        StringBuilder out = new StringBuilder();
        for (String line : yaml.split("\n")) {
            out.append(line);
            int colon = line.indexOf(": null");
            OptionSpec o = colon > 0 && line.endsWith(": null") ? options(cmd.getCommandSpec()).get(line.substring(0, colon))
                    : null;
            if (o != null) {
                java.util.regex.Matcher d = java.util.regex.Pattern.compile("\\(default[^)]*\\)")
                        .matcher(String.join(" ", o.description()));
                if (d.find()) {
                    out.append("  # ").append(d.group().substring(1, d.group().length() - 1));
                }
            }
            out.append('\n');
        }
        return out.toString();
    }

    private static Object number(String s) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            try {
                return Double.parseDouble(s);
            } catch (NumberFormatException e2) {
                return s.equals("true") || s.equals("false") ? Boolean.parseBoolean(s) : s;
            }
        }
    }
}
