package io.onramp.certs.text;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Strict UTF-8 percent-decoding and unreserved-only encoding, for SAS tokens, MQTT topics and user names. '+' is an ordinary character both ways:
 * the SDKs that send it mean a plus (spec 3.4), and Java's {@code URLDecoder} on the receiving side of
 * C2D would read a raw '+' as a space, so encoding always escapes it.
 */
public final class PercentCodec {

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private PercentCodec() {
    }

    public static String decode(String s) {
        return decode(s, 0, s.length());
    }

    /**
     * Decodes {@code s[from, to)}. Returns a substring (no copy when the range is the whole string) if
     * there is nothing to decode, which is the common case on the telemetry path.
     *
     * @throws IllegalArgumentException on a truncated or non-hex escape, or escaped bytes that are not UTF-8
     */
    public static String decode(String s, int from, int to) {
        int percent = indexOf(s, '%', from, to);
        if (percent < 0) {
            return s.substring(from, to);
        }
        StringBuilder out = new StringBuilder(to - from);
        out.append(s, from, percent);
        byte[] run = null;
        int i = percent;
        while (i < to) {
            char c = s.charAt(i);
            if (c != '%') {
                out.append(c);
                i++;
                continue;
            }
            int b = escapedByte(s, i, to);
            if (b < 0x80) {
                out.append((char) b);
                i += 3;
                continue;
            }
            // Non-ASCII: the escapes up to the next ASCII one are one UTF-8 sequence, decoded strictly.
            if (run == null) {
                run = new byte[(to - i) / 3];
            }
            int n = 0;
            while (i < to && s.charAt(i) == '%' && (b = escapedByte(s, i, to)) >= 0x80) {
                run[n++] = (byte) b;
                i += 3;
            }
            out.append(utf8(run, n));
        }
        return out.toString();
    }

    private static int escapedByte(String s, int i, int to) {
        if (i + 2 >= to) {
            throw new IllegalArgumentException("truncated percent escape at " + i);
        }
        int hi = hex(s.charAt(i + 1));
        int lo = hex(s.charAt(i + 2));
        if (hi < 0 || lo < 0) {
            throw new IllegalArgumentException("bad percent escape at " + i);
        }
        return hi << 4 | lo;
    }

    /**
     * {@code s.indexOf(c, from)} that stops at {@code to}: an unbounded search per pair would make a long
     * bag of short pairs quadratic.
     */
    private static int indexOf(String s, char c, int from, int to) {
        for (int i = from; i < to; i++) {
            if (s.charAt(i) == c) {
                return i;
            }
        }
        return -1;
    }

    /** ASCII hex only: {@code Character.digit} would also take non-ASCII digits such as U+0663. */
    private static int hex(char c) {
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

    private static CharSequence utf8(byte[] bytes, int length) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, 0, length));
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("percent escapes are not UTF-8", e);
        }
    }

    /** Appends {@code s} with everything but RFC 3986 unreserved characters as uppercase %XX of its UTF-8 bytes. */
    /** {@code s} with everything but RFC 3986 unreserved characters as uppercase %XX of its UTF-8 bytes. */
    public static String encode(String s) {
        return encode(new StringBuilder(s.length() + 8), s).toString();
    }

    public static StringBuilder encode(StringBuilder out, String s) {
        int length = s.length();
        for (int i = 0; i < length; i++) {
            char c = s.charAt(i);
            if (isUnreserved(c)) {
                out.append(c);
            } else if (c < 0x80) {
                escape(out, c);
            } else if (c < 0x800) {
                escape(out, 0xC0 | c >> 6);
                escape(out, 0x80 | c & 0x3F);
            } else if (!Character.isSurrogate(c)) {
                escape(out, 0xE0 | c >> 12);
                escape(out, 0x80 | c >> 6 & 0x3F);
                escape(out, 0x80 | c & 0x3F);
            } else {
                if (!Character.isHighSurrogate(c) || i + 1 >= length || !Character.isLowSurrogate(s.charAt(i + 1))) {
                    throw new IllegalArgumentException("lone surrogate at " + i);
                }
                int cp = Character.toCodePoint(c, s.charAt(++i));
                escape(out, 0xF0 | cp >> 18);
                escape(out, 0x80 | cp >> 12 & 0x3F);
                escape(out, 0x80 | cp >> 6 & 0x3F);
                escape(out, 0x80 | cp & 0x3F);
            }
        }
        return out;
    }

    public static boolean isUnreserved(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                || c == '-' || c == '.' || c == '_' || c == '~';
    }

    private static void escape(StringBuilder out, int b) {
        out.append('%').append(HEX[b >> 4 & 0xF]).append(HEX[b & 0xF]);
    }
}
