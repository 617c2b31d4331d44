package io.onramp.gateway.logging;

import ch.qos.logback.classic.pattern.ClassicConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;

/**
 * The {@code %oneLineMsg} of the log pattern: the message with its control characters escaped (a newline as
 * backslash n, carriage return and tab alike, others as backslash u and four hex digits). Messages carry what
 * clients sent (MQTT user names, certificate CNs, registration IDs): a newline in one must not start a line of
 * its own, such as a forged audit line.
 */
public final class OneLineMessage extends ClassicConverter {

    @Override
    public String convert(ILoggingEvent event) {
        return escape(event.getFormattedMessage());
    }

    static String escape(String message) {
        if (message == null) {
            return "null";
        }
        int first = firstControl(message);
        if (first < 0) {
            return message;
        }
        StringBuilder escaped = new StringBuilder(message.length() + 16).append(message, 0, first);
        for (int i = first; i < message.length(); i++) {
            char c = message.charAt(i);
            switch (c) {
                case '\n' -> escaped.append("\\n");
                case '\r' -> escaped.append("\\r");
                case '\t' -> escaped.append("\\t");
                default -> {
                    if (isControl(c)) {
                        escaped.append(String.format("\\u%04x", (int) c));
                    } else {
                        escaped.append(c);
                    }
                }
            }
        }
        return escaped.toString();
    }

    private static int firstControl(String message) {
        for (int i = 0; i < message.length(); i++) {
            if (isControl(message.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    /** C0 and C1 controls and DEL; line and paragraph separators too, which some viewers break on. */
    private static boolean isControl(char c) {
        return c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == '\u2028' || c == '\u2029';
    }
}
