package io.onramp.gateway.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.Optional;

/**
 * JSON read strictly, as every body a client sends is (the devices', the service API's) and every line of an
 * enrollment import: a field twice is refused, not settled by the last value (which one a proxy or a log reader sees
 * is a guess), nothing may follow the value ({@code {...} garbage} is not {@code {...}}), and NaN or Infinity are no
 * numbers. Nesting and number length keep Jackson's limits (1,000 levels, 1,000 digits).
 */
public final class StrictJson {

    public static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private static final String DUPLICATE = "Duplicate field '";
    private static final int MAX_SHOWN = 100;

    private StrictJson() {}

    /**
     * The key a mapping or object had twice, when that is what {@code e} refuses (the config's YAML is read with the
     * same detection): the parser's current name, which is that key, else the one Jackson's message quotes.
     */
    public static Optional<String> duplicateKey(JsonProcessingException e) {
        String message = String.valueOf(e.getOriginalMessage());
        if (!message.startsWith(DUPLICATE)) {
            return Optional.empty();
        }
        JsonParser parser = e instanceof StreamReadException read ? read.getProcessor() : null;
        if (parser != null && parser.getParsingContext().getCurrentName() != null) {
            return Optional.of(parser.getParsingContext().getCurrentName());
        }
        int end = message.lastIndexOf('\'');
        return Optional.of(message.substring(DUPLICATE.length(), Math.max(end, DUPLICATE.length())));
    }

    /** A name as the client sent it, cut short: it goes back in an error body and into the log. */
    public static String shown(String name) {
        return name.length() <= MAX_SHOWN ? name : name.substring(0, MAX_SHOWN) + "...";
    }
}
