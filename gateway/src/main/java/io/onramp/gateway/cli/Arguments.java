package io.onramp.gateway.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Command-line words and {@code --flag value} options, checked against the flags a command knows. */
public final class Arguments {

    public static final Path DEFAULT_CONFIG = Path.of("conf", "onramp.yaml");

    private static final Set<String> HELP_OPTIONS = Set.of("--help", "-h");

    private final List<String> words = new ArrayList<>();
    private final Map<String, String> flags = new HashMap<>();
    private boolean help;

    /** @throws IllegalArgumentException for an unknown option or one without a value, unless help was asked for */
    public Arguments(String[] args, Set<String> knownFlags) {
        String problem = null;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (HELP_OPTIONS.contains(arg)) {
                help = true;
            } else if (arg.startsWith("--")) {
                String name = arg.substring(2);
                String value = null;
                int eq = name.indexOf('=');
                if (eq >= 0) {
                    value = name.substring(eq + 1);
                    name = name.substring(0, eq);
                } else if (i + 1 < args.length && !args[i + 1].startsWith("--") && !HELP_OPTIONS.contains(args[i + 1])) {
                    value = args[++i];
                }
                if (!knownFlags.contains(name)) {
                    problem = problem != null ? problem : "unknown option --" + name;
                } else if (value == null) {
                    problem = problem != null ? problem : "option --" + name + " needs a value";
                } else {
                    flags.put(name, value);
                }
            } else {
                words.add(arg);
            }
        }
        // Checked last: "onramp enrollments create --kye X --help" should show the usage, not the typo.
        if (problem != null && !help) {
            throw new IllegalArgumentException(problem);
        }
    }

    /**
     * {@code args} with a bare {@code --NAME} read as {@code --NAME=true}: a switch, while every other option takes
     * a value (so {@code --force FILE} does not take FILE as the switch's value).
     */
    public static String[] withSwitch(String[] args, String name) {
        String[] normalised = args.clone();
        for (int i = 0; i < normalised.length; i++) {
            if (normalised[i].equals("--" + name)) {
                normalised[i] = "--" + name + "=true";
            }
        }
        return normalised;
    }

    /**
     * True when the user asked for a command's usage: {@code --help} or {@code -h} anywhere, or
     * {@code help} as the word at {@code position} (where the command's verb goes; elsewhere it may be an id).
     */
    public boolean asksForHelp(int position) {
        return help || (words.size() > position && words.get(position).equals("help"));
    }

    /**
     * Refuses words past the first {@code count} (the command, its verb, its ID...): an argument the
     * command would ignore is more likely a mistake, such as a value whose option was forgotten.
     *
     * @throws IllegalArgumentException naming the first extra word
     */
    public void refuseWordsAfter(int count) {
        if (words.size() > count) {
            throw new IllegalArgumentException("unexpected argument '" + words.get(count) + "'");
        }
    }

    /**
     * Refuses the options given that {@code what} (a verb, say) does not take, although its command does: an option
     * a verb would ignore is a mistake the user should hear of, not a silent no-op.
     *
     * @throws IllegalArgumentException naming the first such option and {@code what}
     */
    public void refuseFlagsOtherThan(Set<String> taken, String what) {
        flags.keySet().stream().filter(name -> !taken.contains(name)).sorted().findFirst().ifPresent(name -> {
            throw new IllegalArgumentException("option --" + name + " does not apply to " + what);
        });
    }

    public List<String> words() {
        return words;
    }

    public String flag(String name) {
        return flags.get(name);
    }

    /**
     * The config file: {@code --config}, else conf/onramp.yaml in the working directory, else under {@code ONRAMP_HOME}.
     *
     * @throws CommandException when there is no such file, naming it and how to name another
     */
    public Path config() {
        Path file = configFile();
        String which = flags.get("config") != null ? " (--config)" : " (the default config file; name another with --config FILE)";
        if (Files.isDirectory(file)) {
            throw new CommandException(file + " is a directory, not a config file" + which);
        }
        if (!Files.exists(file)) {
            throw new CommandException("no such file: " + file + which);
        }
        return file;
    }

    /** The config file {@link #config} reads, whether it is there or not. */
    public Path configFile() {
        String value = flags.get("config");
        return value != null ? Path.of(value) : defaultConfig(Path.of(""), System.getenv("ONRAMP_HOME"));
    }

    /**
     * conf/onramp.yaml of the working directory when it has one, else the installation's ({@code home}, which
     * the launcher always sets). The working directory's first: relative paths in the file (dataDir) are read
     * against it, and an operator with a config of their own beside their data ran the shipped demo file before.
     */
    static Path defaultConfig(Path workingDir, String home) {
        Path local = workingDir.resolve(DEFAULT_CONFIG);
        return home == null || Files.exists(local) ? local : Path.of(home).resolve(DEFAULT_CONFIG);
    }
}
