package io.onramp.gateway.http;

import io.onramp.broker.hub.DevicePresence;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Identity times as IoT Hub writes them: UTC with seven fraction digits, and "never" as {@code 0001-01-01T00:00:00Z}. */
final class HubTimes {

    private static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSS'Z'")
            .withZone(ZoneOffset.UTC);
    private static final String NEVER = "0001-01-01T00:00:00Z";

    private HubTimes() {}

    static String format(Instant instant) {
        return instant == null || !instant.isAfter(DevicePresence.Presence.NEVER_TIME) ? NEVER : FORMAT.format(instant);
    }
}
