package io.onramp.broker.hub;

import io.onramp.broker.registry.AuthType;
import io.onramp.broker.twin.TwinTime;
import io.onramp.certs.text.PercentCodec;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The properties the hub stamps on every device-to-cloud message (hub-device-protocol 3.4) from the
 * authenticated connection, never from the message: a device's own values of these are dropped.
 */
final class HubStamps {

    static final String DEVICE_ID = "iothub-connection-device-id";
    static final String AUTH_METHOD = "iothub-connection-auth-method";
    static final String GENERATION_ID = "iothub-connection-auth-generation-id";
    static final String ENQUEUED_TIME = "iothub-enqueuedtime";

    /** As IoT Hub writes it for a device's SAS token. */
    private static final String SAS = "{\"scope\":\"device\",\"type\":\"sas\",\"issuer\":\"iothub\",\"acceptingIpFilterRule\":null}";
    /**
     * As IoT Hub was seen writing it for a CA-signed device certificate [U for self-signed ones, where the
     * certificate is not the hub's either].
     */
    private static final String X509 =
            "{\"scope\":\"device\",\"type\":\"x509Certificate\",\"issuer\":\"external\",\"acceptingIpFilterRule\":null}";

    private HubStamps() {
    }

    /** The auth-method value of a device authenticated as {@code type}: one shared string per kind. */
    static String authMethod(AuthType type) {
        return type == AuthType.SELF_SIGNED || type == AuthType.CERTIFICATE_AUTHORITY ? X509 : SAS;
    }

    /**
     * @param generationId the registry's generation ID of the device; left out when it has none
     * @param enqueuedTime when the hub accepted the message, written as ISO-8601 UTC
     */
    static Map<String, String> of(String deviceId, String authMethod, String generationId, Instant enqueuedTime) {
        Map<String, String> stamps = new LinkedHashMap<>(8);
        stamps.put(DEVICE_ID, deviceId);
        stamps.put(AUTH_METHOD, authMethod);
        if (generationId != null && !generationId.isEmpty()) {
            stamps.put(GENERATION_ID, generationId);
        }
        stamps.put(ENQUEUED_TIME, TwinTime.format(enqueuedTime));
        return stamps;
    }

    /**
     * The stamps that stay the same for every message of a connection (device ID, auth method, generation ID),
     * percent-encoded for the consumers' topic: encoded once per connection, not per message.
     */
    static String encodedConnectionStamps(String deviceId, String authMethod, String generationId) {
        StringBuilder out = new StringBuilder(256);
        PercentCodec.encode(out.append(DEVICE_ID).append('='), deviceId);
        PercentCodec.encode(out.append('&').append(AUTH_METHOD).append('='), authMethod);
        if (generationId != null && !generationId.isEmpty()) {
            PercentCodec.encode(out.append('&').append(GENERATION_ID).append('='), generationId);
        }
        return out.toString();
    }

    /** {@code iothub-enqueuedtime=2026-11-28T05%3A20%3A00.123Z}: the time's only reserved character is ':'. */
    static StringBuilder appendEncodedEnqueuedTime(StringBuilder out, Instant enqueuedTime) {
        String time = TwinTime.format(enqueuedTime);
        out.append(ENQUEUED_TIME).append('=');
        for (int i = 0; i < time.length(); i++) {
            char c = time.charAt(i);
            if (c == ':') {
                out.append("%3A");
            } else {
                out.append(c);
            }
        }
        return out;
    }
}
