package io.onramp.gateway.config;

import io.onramp.certs.sas.SymmetricKeys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Secrets (keys) may be given inline, or as {@code {file: path}} or {@code {env: NAME}} so that they
 * need not sit in the config file. A file's content is trimmed (a trailing newline is not part of a key).
 */
public final class SecretResolver {

    private static final Set<String> FORMS = Set.of("file", "env");

    private final Map<String, String> environment;
    private final Path baseDir;
    /** Each secret read from the environment or a file, and where from ("env NAME", "file PATH"). */
    private final Map<String, String> origins = new HashMap<>();

    public SecretResolver(Map<String, String> environment, Path baseDir) {
        this.environment = environment;
        this.baseDir = baseDir;
    }

    /** Returns the secret, or null (with a problem reported) when it cannot be read; null when absent. */
    public String resolve(ConfigNode node) {
        if (node.isMissing()) {
            return null;
        }
        if (!node.isObject()) {
            return node.asText();
        }
        node.allowOnly(FORMS);
        if (node.has("file") == node.has("env")) {
            node.problem("give exactly one of 'file' or 'env'");
            return null;
        }
        if (node.has("env")) {
            String name = node.text("env");
            String value = environment.get(name);
            if (value == null || value.isBlank()) {
                node.field("env").problem("environment variable " + name + " is not set");
                return null;
            }
            origins.put(value.trim(), "env " + name);
            return value.trim();
        }
        String file = node.text("file");
        Path path = baseDir.resolve(file);
        try {
            String value = Files.readString(path).trim();
            origins.put(value, "file " + path.toAbsolutePath().normalize());
            return value;
        } catch (IOException e) {
            node.field("file").problem("cannot read " + path + ": " + e.getMessage());
            return null;
        }
    }

    /** The secrets resolved so far that were not inline, each with where it came from. */
    public Map<String, String> origins() {
        return Map.copyOf(origins);
    }

    /** A base64 symmetric key of 16 to 64 bytes, resolved like any secret; null (reported) when invalid. */
    public String symmetricKey(ConfigNode node) {
        String value = resolve(node);
        if (value == null) {
            return null;
        }
        try {
            SymmetricKeys.decode(value);
            return value;
        } catch (IllegalArgumentException e) {
            node.problem(e.getMessage());
            return null;
        }
    }
}
