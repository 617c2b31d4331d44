package io.onramp.broker.twin;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Twin timestamps as IoT Hub writes them in {@code $metadata}: UTC, milliseconds, {@code Z} (hub-device-protocol.md 6.2). */
public final class TwinTime {

    private static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private TwinTime() {}

    public static String format(Instant instant) {
        return FORMAT.format(instant);
    }
}
