package io.onramp.certs.sas;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Percent-encoding as SAS tokens use it. Unlike {@code URLDecoder}, '+' is left alone: some
 * clients leave the raw '+' of base64 in the signature (spec section 4.2, rule 3).
 */
final class PercentCoding {

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private PercentCoding() {
    }

    /** Decodes %XX (either hex case) as UTF-8; throws IllegalArgumentException if malformed. */
    static String decode(String text) {
        if (text.indexOf('%') < 0) {
            return text;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(text.length());
        int plainStart = 0;
        for (int i = text.indexOf('%'); i >= 0; i = text.indexOf('%', plainStart)) {
            bytes.writeBytes(text.substring(plainStart, i).getBytes(StandardCharsets.UTF_8));
            int high = i + 2 < text.length() ? hexValue(text.charAt(i + 1)) : -1;
            int low = high >= 0 ? hexValue(text.charAt(i + 2)) : -1;
            if (low < 0) {
                throw new IllegalArgumentException("incomplete %-escape at index " + i);
            }
            bytes.write(high << 4 | low);
            plainStart = i + 3;
        }
        bytes.writeBytes(text.substring(plainStart).getBytes(StandardCharsets.UTF_8));
        try {
            // Strict decoder: a malformed byte sequence is an error, not a silent U+FFFD.
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray()))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("%-escapes are not valid UTF-8", e);
        }
    }

    /** Encodes everything except RFC 3986 unreserved characters, with upper-case hex. */
    static String encode(String text) {
        StringBuilder out = new StringBuilder(text.length() + 8);
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            if (isUnreserved(b)) {
                out.append((char) b);
            } else {
                out.append('%').append(HEX[(b >> 4) & 0xF]).append(HEX[b & 0xF]);
            }
        }
        return out.toString();
    }

    // Character.digit would also accept non-ASCII digits such as U+0663.
    private static int hexValue(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    private static boolean isUnreserved(byte b) {
        return (b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z') || (b >= '0' && b <= '9')
                || b == '-' || b == '.' || b == '_' || b == '~';
    }
}
