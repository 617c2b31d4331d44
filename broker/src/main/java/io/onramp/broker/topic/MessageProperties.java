package io.onramp.broker.topic;

import java.util.Map;

/**
 * Properties of a device-to-cloud or cloud-to-device message: system ones under their hub (AMQP / Event
 * Hubs) names such as {@code message-id}, application ones as sent. Both decoded, insertion-ordered and
 * unmodifiable; a {@code null} map is taken as empty. Values may be {@code null} (cloud-to-device input
 * can carry them; {@link HubTopics#cloudToDevice} drops them), names may not.
 */
public record MessageProperties(Map<String, String> system, Map<String, String> application) {

    public static final MessageProperties EMPTY = new MessageProperties(FrozenMap.EMPTY, FrozenMap.EMPTY);

    public MessageProperties {
        system = FrozenMap.copyOf(system);
        application = FrozenMap.copyOf(application);
    }

    /** These properties plus one application property (replacing one of that name). */
    public MessageProperties withApplication(String name, String value) {
        Map<String, String> more = new java.util.LinkedHashMap<>(application);
        more.put(name, value);
        return new MessageProperties(system, more);
    }

    /** These properties plus system properties (replacing those of the same names). */
    public MessageProperties withSystem(Map<String, String> more) {
        Map<String, String> all = new java.util.LinkedHashMap<>(system);
        all.putAll(more);
        return new MessageProperties(all, application);
    }

    /**
     * Body + all system values + application names and values, in UTF-8 bytes, as Azure counts a message
     * against its 256 KiB limit (spec 3.4). Saturates at {@link Integer#MAX_VALUE}.
     */
    public int sizeWith(int bodyLength) {
        long size = bodyLength;
        for (String value : system.values()) {
            size += utf8Length(value);
        }
        for (Map.Entry<String, String> entry : application.entrySet()) {
            size += utf8Length(entry.getKey()) + utf8Length(entry.getValue());
        }
        return (int) Math.min(size, Integer.MAX_VALUE);
    }

    private static long utf8Length(String s) {
        if (s == null) {
            return 0;
        }
        long length = 0;
        for (int i = 0, n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                length++;
            } else if (c < 0x800) {
                length += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                length += 4;
                i++;
            } else {
                length += 3;
            }
        }
        return length;
    }
}
