package io.onramp.gateway.http;

import io.onramp.broker.hub.CloudMessage;
import io.onramp.broker.hub.HubException;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * A cloud-to-device message from its HTTP form (see {@link HubMessagingHttpEndpoint}): the body is
 * the message, system properties come from {@code iothub-messageid}, {@code iothub-correlationid},
 * {@code iothub-userid}, {@code iothub-ack}, {@code content-type}, {@code content-encoding} and
 * {@code iothub-expiry} (ISO-8601), application properties from {@code iothub-app-<name>} headers.
 */
final class CloudMessageRequest {

    static final int MAX_BODY_BYTES = 64 * 1024;
    private static final String APP_PREFIX = "iothub-app-";
    private static final Set<String> ACKS = Set.of("none", "positive", "negative", "full");

    private CloudMessageRequest() {}

    static CloudMessage parse(MultiMap headers, Buffer body, Instant now) {
        byte[] bytes = body == null ? new byte[0] : body.getBytes();
        if (bytes.length > MAX_BODY_BYTES) {
            throw new HubException(413, "MessageTooLarge", "A cloud-to-device message is at most " + MAX_BODY_BYTES + " bytes.");
        }
        Map<String, String> system = new LinkedHashMap<>();
        // Every message gets an ID, so feedback can name it and the device always sees a system property.
        String messageId = headers.get("iothub-messageid");
        system.put("message-id", messageId == null || messageId.isEmpty() ? UUID.randomUUID().toString() : checked("iothub-messageid", messageId));
        copy(headers, "iothub-correlationid", system, "correlation-id");
        copy(headers, "iothub-userid", system, "user-id");
        copy(headers, "content-type", system, "content-type");
        copy(headers, "content-encoding", system, "content-encoding");
        String ack = headers.get("iothub-ack");
        if (ack != null) {
            if (!ACKS.contains(ack.toLowerCase(Locale.ROOT))) {
                throw HubRequests.badRequest("iothub-ack must be none, positive, negative or full.");
            }
            system.put("iothub-ack", ack.toLowerCase(Locale.ROOT));
        }
        Map<String, String> application = new LinkedHashMap<>();
        for (Map.Entry<String, String> header : headers) {
            if (header.getKey().toLowerCase(Locale.ROOT).startsWith(APP_PREFIX) && header.getKey().length() > APP_PREFIX.length()) {
                application.put(header.getKey().substring(APP_PREFIX.length()), header.getValue());
            }
        }
        return new CloudMessage(bytes, system, application, expiry(headers.get("iothub-expiry"), now));
    }

    private static void copy(MultiMap headers, String header, Map<String, String> system, String property) {
        String value = headers.get(header);
        if (value != null && !value.isEmpty()) {
            system.put(property, checked(header, value));
        }
    }

    private static String checked(String header, String value) {
        if (value.length() > 128) {
            throw HubRequests.badRequest(header + " is longer than 128 characters.");
        }
        return value;
    }

    private static Instant expiry(String value, Instant now) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        Instant expiry;
        try {
            expiry = Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw HubRequests.badRequest("iothub-expiry must be an ISO-8601 UTC time, e.g. 2026-01-15T10:22:31Z.");
        }
        if (!expiry.isAfter(now)) {
            throw HubRequests.badRequest("iothub-expiry is in the past.");
        }
        return expiry;
    }
}
