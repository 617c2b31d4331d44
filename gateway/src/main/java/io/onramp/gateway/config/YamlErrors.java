package io.onramp.gateway.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.exc.StreamReadException;
import io.onramp.gateway.json.StrictJson;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;

/** The one line a config file that does not parse gets: what is wrong, where (field and line). */
final class YamlErrors {

    /** Jackson's words for content after the first value, and SnakeYAML's for a second mapping after the first. */
    private static final String TRAILING = "Trailing token";
    private static final String NOT_ONE_DOCUMENT = "expected '<document start>'";

    private YamlErrors() {}

    static String describe(JsonProcessingException e) {
        String line = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr();
        Optional<String> duplicate = StrictJson.duplicateKey(e);
        if (duplicate.isPresent()) {
            String key = duplicate.get();
            return fieldOf(e, key) + ": the key '" + key + "' appears twice in one mapping" + line
                    + " (keep one: the last would otherwise win silently)";
        }
        String message = String.valueOf(e.getOriginalMessage());
        if (message.startsWith(TRAILING) || message.startsWith(NOT_ONE_DOCUMENT)) {
            return "not valid YAML: more follows the settings' mapping" + line + " (a second document, or the mapping's"
                    + " first line indented unlike the rest): the file must be one mapping of settings";
        }
        return "not valid YAML: " + message + line;
    }

    /** The dotted path of the duplicated key, e.g. listen.https, from the parser's position. */
    private static String fieldOf(JsonProcessingException e, String key) {
        JsonParser parser = e instanceof StreamReadException read ? read.getProcessor() : null;
        if (parser == null) {
            return key;
        }
        Deque<JsonStreamContext> outer = new ArrayDeque<>();
        for (JsonStreamContext context = parser.getParsingContext().getParent(); context != null && !context.inRoot();
                context = context.getParent()) {
            outer.push(context);
        }
        StringBuilder path = new StringBuilder();
        for (JsonStreamContext context : outer) {
            if (context.inArray()) {
                path.append('[').append(context.getCurrentIndex()).append(']');
            } else {
                path.append(path.isEmpty() ? "" : ".").append(context.getCurrentName());
            }
        }
        path.append(path.isEmpty() ? "" : ".").append(key);
        return path.toString();
    }
}
