package io.onramp.gateway.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.util.Optional;

/**
 * The key Jackson names when {@code STRICT_DUPLICATE_DETECTION} refuses a mapping or object with a key twice: JSON
 * bodies and the YAML config are read that way, and each says which key, rather than Jackson's whole message.
 */
public final class DuplicateKeys {

    private static final String PREFIX = "Duplicate field '";

    private DuplicateKeys() {}

    /** The key that is twice, when that is what {@code e} is about. */
    public static Optional<String> of(JsonProcessingException e) {
        String message = String.valueOf(e.getOriginalMessage());
        if (!message.startsWith(PREFIX)) {
            return Optional.empty();
        }
        int end = message.indexOf('\'', PREFIX.length());
        return Optional.of(message.substring(PREFIX.length(), end < 0 ? message.length() : end));
    }
}
