package io.onramp.certs.sas;

import io.onramp.certs.text.PercentCodec;
import java.util.HashMap;
import java.util.Map;

/**
 * A parsed SAS token (spec section 4.1). {@code resource} keeps the exact text of {@code sr}
 * because every SDK signs the text it sends, encoded or not (spec section 4.2);
 * {@code signature} and {@code keyName} are percent-decoded; {@code expiry} is the raw {@code se}
 * digits. {@code keyName} is null when {@code skn} is absent and may be empty.
 */
public record SasToken(String resource, String signature, String expiry, String keyName) {

    static final String PREFIX = "SharedAccessSignature ";
    /** Far above any SDK's token, low enough to keep a hostile header cheap. */
    static final int MAX_LENGTH = 4096;
    private static final int MAX_EXPIRY_DIGITS = 19;

    public SasToken {
        requireNonEmpty("sr", resource);
        requireNonEmpty("sig", signature);
        requireNonEmpty("se", expiry);
        parseExpiry(expiry);
        try {
            PercentCodec.decode(resource);
        } catch (IllegalArgumentException e) {
            throw new SasTokenException("sr is not validly percent-encoded", e);
        }
    }

    /**
     * Parses a token, with or without the {@code SharedAccessSignature } prefix.
     *
     * @throws SasTokenException if the value is null, blank, too long or malformed
     */
    public static SasToken parse(String value) {
        if (value == null || value.isBlank()) {
            throw new SasTokenException("SAS token is empty");
        }
        if (value.length() > MAX_LENGTH) {
            throw new SasTokenException("SAS token is longer than " + MAX_LENGTH + " characters");
        }
        String body = value.startsWith(PREFIX) ? value.substring(PREFIX.length()) : value;
        Map<String, String> fields = splitFields(body);
        String keyName = fields.get("skn");
        return new SasToken(
                fields.get("sr"),
                decodeField("sig", fields.get("sig")),
                fields.get("se"),
                keyName == null ? null : decodeField("skn", keyName));
    }

    /** The text the signature covers: {@code sr} exactly as sent, LF, {@code se}. */
    public String stringToSign() {
        return resource + "\n" + expiry;
    }

    public long expiresAtEpochSecond() {
        return parseExpiry(expiry);
    }

    /** {@code sr} percent-decoded, for comparing with {@code {idScope}/registrations/{id}}. */
    public String decodedResource() {
        return PercentCodec.decode(resource);
    }

    /** Leaves the signature out: a token is a bearer credential until it expires. */
    @Override
    public String toString() {
        return "SasToken[resource=" + resource + ", expiry=" + expiry + ", keyName=" + keyName + "]";
    }

    private static Map<String, String> splitFields(String body) {
        Map<String, String> fields = new HashMap<>();
        for (String pair : body.split("&", -1)) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new SasTokenException("SAS token field is not of the form key=value");
            }
            String key = pair.substring(0, eq);
            // A repeated key could make us verify one value and act on another.
            if (fields.put(key, pair.substring(eq + 1)) != null) {
                throw new SasTokenException("SAS token repeats the key " + printable(key));
            }
        }
        return fields;
    }

    private static String decodeField(String name, String value) {
        if (value == null) {
            return null;
        }
        try {
            return PercentCodec.decode(value);
        } catch (IllegalArgumentException e) {
            throw new SasTokenException(name + " is not validly percent-encoded", e);
        }
    }

    private static void requireNonEmpty(String name, String value) {
        if (value == null || value.isEmpty()) {
            throw new SasTokenException("SAS token lacks " + name);
        }
    }

    private static long parseExpiry(String expiry) {
        if (expiry.length() > MAX_EXPIRY_DIGITS || !isDigits(expiry)) {
            throw new SasTokenException("se is not a decimal number of at most " + MAX_EXPIRY_DIGITS + " digits");
        }
        try {
            return Long.parseLong(expiry);
        } catch (NumberFormatException e) {
            throw new SasTokenException("se is out of range", e);
        }
    }

    private static boolean isDigits(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    // Keys come from the wire; keep log lines short and free of control characters.
    private static String printable(String key) {
        return key.length() <= 16 && key.chars().allMatch(c -> c > 0x20 && c < 0x7f)
                ? "'" + key + "'"
                : "(unprintable)";
    }
}
