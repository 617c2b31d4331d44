package io.onramp.gateway.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Command-line words and {@code --flag value} options, checked against the flags a command knows. */
public final class Arguments {

    public static final Path DEFAULT_CONFIG = Path.of("conf", "onramp.yaml");

    private final List<String> words = new ArrayList<>();
    private final Map<String, String> flags = new HashMap<>();

    public Arguments(String[] args, Set<String> knownFlags) {
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.startsWith("--")) {
                String name = arg.substring(2);
                String value = null;
                int eq = name.indexOf('=');
                if (eq >= 0) {
                    value = name.substring(eq + 1);
                    name = name.substring(0, eq);
                } else if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                    value = args[++i];
                }
                if (!knownFlags.contains(name)) {
                    throw new IllegalArgumentException("unknown option --" + name);
                }
                if (value == null) {
                    throw new IllegalArgumentException("option --" + name + " needs a value");
                }
                flags.put(name, value);
            } else {
                words.add(arg);
            }
        }
    }

    public List<String> words() {
        return words;
    }

    public String flag(String name) {
        return flags.get(name);
    }

    public Path config() {
        String value = flags.get("config");
        if (value != null) {
            return Path.of(value);
        }
        String home = System.getenv("ONRAMP_HOME");
        return home == null ? DEFAULT_CONFIG : Path.of(home).resolve(DEFAULT_CONFIG);
    }
}
