package io.onramp.gateway.http;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;

/**
 * A page of {@code POST /devices/query}: the query (only {@code SELECT * FROM devices} is
 * understood), the page size from {@code x-ms-max-item-count} and where to start from
 * {@code x-ms-continuation}, an opaque token that holds the last device ID of the previous page.
 */
record DeviceQuery(int pageSize, String afterDeviceId) {

    static final int DEFAULT_PAGE_SIZE = 100;
    static final int MAX_PAGE_SIZE = 1000;

    static DeviceQuery parse(String query, String maxItemCount, String continuation) {
        if (query == null || !query.trim().replaceAll("\\s+", " ").toUpperCase(Locale.ROOT).equals("SELECT * FROM DEVICES")) {
            throw HubRequests.badRequest("Only the query SELECT * FROM devices is supported.");
        }
        return new DeviceQuery(pageSize(maxItemCount), deviceIdAfter(continuation));
    }

    static String continuationAfter(String deviceId) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(deviceId.getBytes(StandardCharsets.UTF_8));
    }

    private static int pageSize(String value) {
        if (value == null || value.isEmpty()) {
            return DEFAULT_PAGE_SIZE;
        }
        try {
            int size = Integer.parseInt(value.trim());
            if (size >= 1) {
                return Math.min(size, MAX_PAGE_SIZE);
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw HubRequests.badRequest("x-ms-max-item-count must be a positive integer.");
    }

    /** The device ID a continuation token stands for; null for none. Shared with the paged {@code GET /devices}. */
    static String deviceIdAfter(String continuation) {
        if (continuation == null || continuation.isEmpty()) {
            return null;
        }
        try {
            String deviceId = new String(Base64.getUrlDecoder().decode(continuation.trim()), StandardCharsets.UTF_8);
            DeviceJson.checkDeviceId(deviceId);
            return deviceId;
        } catch (IllegalArgumentException e) {
            throw HubRequests.badRequest("x-ms-continuation is not a token this hub gave out.");
        }
    }
}
