package io.onramp.gateway.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * A cursor over a JSON/YAML tree that knows its path and collects problems instead of stopping at
 * the first, so that one start-up names every broken field. Used for conf/onramp.yaml and for JSON
 * bodies of the same shapes (enrollments), which is why YAML and JSON enrollments read alike.
 */
public final class ConfigNode {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final JsonNode node;
    private final String path;
    private final List<String> problems;

    private ConfigNode(JsonNode node, String path, List<String> problems) {
        this.node = node == null ? MissingNode.getInstance() : node;
        this.path = path;
        this.problems = problems;
    }

    public static ConfigNode root(JsonNode node) {
        return new ConfigNode(node, "", new ArrayList<>());
    }

    public List<String> problems() {
        return problems;
    }

    public String path() {
        return path.isEmpty() ? "(root)" : path;
    }

    public boolean isMissing() {
        return node.isMissingNode() || node.isNull();
    }

    public boolean isText() {
        return node.isTextual();
    }

    public boolean isObject() {
        return node.isObject();
    }

    public JsonNode raw() {
        return node;
    }

    public void problem(String message) {
        problems.add(path() + ": " + message);
    }

    public ConfigNode field(String name) {
        return new ConfigNode(node.get(name), path.isEmpty() ? name : path + "." + name, problems);
    }

    public boolean has(String name) {
        JsonNode child = node.get(name);
        return child != null && !child.isNull();
    }

    /** Reports every field not in the allowed set: a typo must fail, not be silently ignored. */
    public ConfigNode allowOnly(Set<String> allowed) {
        if (node.isObject()) {
            for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
                String name = it.next();
                if (!allowed.contains(name)) {
                    field(name).problem("unknown field (allowed: " + String.join(", ", new java.util.TreeSet<>(allowed)) + ")");
                }
            }
        } else if (!isMissing()) {
            problem("must be an object");
        }
        return this;
    }

    public String text(String name) {
        ConfigNode child = field(name);
        if (child.isMissing()) {
            child.problem("is required");
            return null;
        }
        return child.asText();
    }

    public String optText(String name, String fallback) {
        ConfigNode child = field(name);
        return child.isMissing() ? fallback : child.asText();
    }

    public String asText() {
        if (node.isTextual()) {
            return node.textValue();
        }
        if (node.isNumber() || node.isBoolean()) {
            return node.asText();
        }
        problem("must be a string");
        return null;
    }

    public int integer(String name, int fallback, int min, int max) {
        ConfigNode child = field(name);
        if (child.isMissing()) {
            return fallback;
        }
        if (!child.node.canConvertToInt() || !child.node.isIntegralNumber()) {
            child.problem("must be an integer between " + min + " and " + max);
            return fallback;
        }
        int value = child.node.intValue();
        if (value < min || value > max) {
            child.problem("must be between " + min + " and " + max + ", was " + value);
            return fallback;
        }
        return value;
    }

    public boolean bool(String name, boolean fallback) {
        ConfigNode child = field(name);
        if (child.isMissing()) {
            return fallback;
        }
        if (!child.node.isBoolean()) {
            child.problem("must be true or false");
            return fallback;
        }
        return child.node.booleanValue();
    }

    public List<ConfigNode> list(String name) {
        ConfigNode child = field(name);
        List<ConfigNode> items = new ArrayList<>();
        if (child.isMissing()) {
            return items;
        }
        if (!child.node.isArray()) {
            child.problem("must be a list");
            return items;
        }
        for (int i = 0; i < child.node.size(); i++) {
            items.add(new ConfigNode(child.node.get(i), child.path + "[" + i + "]", problems));
        }
        return items;
    }

    public List<String> textList(String name) {
        List<String> values = new ArrayList<>();
        for (ConfigNode item : list(name)) {
            String value = item.asText();
            if (value != null) {
                values.add(value);
            }
        }
        return values;
    }

    /** A free-form JSON object (twin tags, desired properties) as plain maps and lists. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> jsonObject(String name) {
        ConfigNode child = field(name);
        if (child.isMissing()) {
            return Map.of();
        }
        if (!child.node.isObject()) {
            child.problem("must be an object");
            return Map.of();
        }
        return MAPPER.convertValue(child.node, LinkedHashMap.class);
    }

    /** Parses a value with a function that throws IllegalArgumentException; reports its message. */
    public <T> T parse(String name, Function<String, T> parser, T fallback) {
        ConfigNode child = field(name);
        if (child.isMissing()) {
            return fallback;
        }
        String text = child.asText();
        if (text == null) {
            return fallback;
        }
        try {
            return parser.apply(text);
        } catch (IllegalArgumentException e) {
            // YAML 1.1 reads a bare yes/no/on/off as a boolean: the value the user wrote is gone by now.
            child.problem(e.getMessage() + (child.node.isBoolean()
                    ? " (YAML reads a bare yes, no, on, off, true or false as a boolean: write one of the allowed"
                    + " values, or quote the word)" : ""));
            return fallback;
        }
    }
}
