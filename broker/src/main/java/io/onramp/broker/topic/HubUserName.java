package io.onramp.broker.topic;

import io.onramp.certs.text.PercentCodec;
import java.util.Optional;

/**
 * CONNECT user name of a hub device: {@code {hub}/{deviceId}[/{moduleId}]/?{query}}, spec 3.1, and the
 * old form without '?' that edgeHub still accepts. Ids are kept exactly as sent (the SDKs do not encode
 * them here); the recognised parameters are percent-decoded.
 *
 * @param hubHostName the host name the device believes it talks to
 * @param deviceId the device id, exactly as sent
 * @param moduleId the module id, or {@code null} for a device identity
 * @param apiVersion {@code api-version}, or {@code null} when absent (accepted: spec 3.1 [D]; the caller logs it)
 * @param modelId {@code model-id} (IoT Plug and Play), decoded, or {@code null}
 * @param clientType {@code DeviceClientType}, decoded, or {@code null}
 */
public record HubUserName(String hubHostName, String deviceId, String moduleId, String apiVersion, String modelId,
        String clientType) {

    /** Generous: real user names are under 300 characters; this only stops absurd input early. */
    static final int MAX_LENGTH = 4096;

    private static final String API_VERSION = "api-version";
    private static final String MODEL_ID = "model-id";
    private static final String CLIENT_TYPE = "DeviceClientType";

    /**
     * Parses like edgeHub's {@code MqttUsernameParser}: split on '/'; a last segment starting with '?' is the
     * query, otherwise (old SDKs) it must contain {@code api-version=} or be empty (no query at all: accepted
     * unlike edgeHub, spec 3.1 [D]); 3 segments make a device, 4 a module.
     * Parameter names are case-sensitive, unknown ones are ignored and the first of duplicates wins.
     * Stricter than edgeHub: ids must use Azure's id alphabet, and a recognised value with a broken
     * percent escape makes the whole user name malformed.
     *
     * @return empty when malformed
     */
    public static Optional<HubUserName> parse(String userName) {
        if (userName == null || userName.isEmpty() || userName.length() > MAX_LENGTH) {
            return Optional.empty();
        }
        String[] segments = userName.split("/", -1);
        if (segments.length != 3 && segments.length != 4) {
            return Optional.empty();
        }
        String last = segments[segments.length - 1];
        String query;
        if (last.startsWith("?")) {
            query = last.substring(1);
        } else if (last.isEmpty() || last.contains(API_VERSION + "=")) {
            // Empty: "{hub}/{d}/" without any query, which edgeHub refuses and spec 3.1 [D] accepts.
            query = last;
        } else {
            return Optional.empty();
        }
        String hub = segments[0];
        String deviceId = segments[1];
        String moduleId = segments.length == 4 ? segments[2] : null;
        if (!isHostName(hub) || !Ids.isValid(deviceId) || moduleId != null && !Ids.isValid(moduleId)) {
            return Optional.empty();
        }
        String apiVersion = null;
        String modelId = null;
        String clientType = null;
        try {
            for (String param : query.split("&", -1)) {
                int eq = param.indexOf('=');
                String name = eq < 0 ? param : param.substring(0, eq);
                String value = eq < 0 ? "" : param.substring(eq + 1);
                switch (name) {
                    case API_VERSION -> apiVersion = apiVersion != null ? apiVersion : PercentCodec.decode(value);
                    case MODEL_ID -> modelId = modelId != null ? modelId : PercentCodec.decode(value);
                    case CLIENT_TYPE -> clientType = clientType != null ? clientType : PercentCodec.decode(value);
                    default -> { }
                }
            }
        } catch (IllegalArgumentException malformedEscape) {
            return Optional.empty();
        }
        return Optional.of(new HubUserName(hub, deviceId, moduleId, emptyToNull(apiVersion), emptyToNull(modelId),
                emptyToNull(clientType)));
    }

    /** Host names, IPv4 literals and an optional port; anything else cannot be a hub we host. */
    private static boolean isHostName(String host) {
        if (host.isEmpty() || host.length() > 255) {
            return false;
        }
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.'
                    || c == '_' || c == ':')) {
                return false;
            }
        }
        return true;
    }

    private static String emptyToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }
}
