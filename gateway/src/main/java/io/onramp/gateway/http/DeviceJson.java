package io.onramp.gateway.http;

import io.onramp.broker.hub.DevicePresence.Presence;
import io.onramp.broker.registry.AuthType;
import io.onramp.broker.registry.DeviceDraft;
import io.onramp.broker.registry.DeviceIdentity;
import io.onramp.broker.registry.DeviceStatus;
import io.vertx.core.json.JsonObject;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * The IoT Hub device identity JSON (hub-device-protocol.md 6.1) both ways: what {@code GET
 * /devices/{id}} answers, and the {@code PUT /devices/{id}} body read into a {@link DeviceDraft}.
 */
final class DeviceJson {

    private static final Pattern DEVICE_ID = Pattern.compile("[A-Za-z0-9\\-.+%_#*?!(),=@$']{1,128}");
    private static final Pattern THUMBPRINT = Pattern.compile("[0-9A-Fa-f]{40}|[0-9A-Fa-f]{64}");

    private DeviceJson() {}

    /** The Azure identity, plus {@code createdTime} (an Onramp extension the CLI shows). */
    static JsonObject identity(DeviceIdentity d, Presence presence, int cloudToDeviceMessageCount) {
        return new JsonObject()
                .put("deviceId", d.deviceId())
                .put("generationId", d.generationId())
                .put("etag", etag(d))
                .put("connectionState", presence.connected() ? "Connected" : "Disconnected")
                .put("status", d.status().wireName())
                .put("statusReason", d.statusReason())
                .put("connectionStateUpdatedTime", HubTimes.format(presence.connectionStateUpdatedTime()))
                .put("statusUpdatedTime", HubTimes.format(d.statusUpdatedTime()))
                .put("lastActivityTime", HubTimes.format(presence.lastActivityTime()))
                .put("cloudToDeviceMessageCount", cloudToDeviceMessageCount)
                .put("authentication", new JsonObject()
                        .put("symmetricKey", new JsonObject().put("primaryKey", d.primaryKey()).put("secondaryKey", d.secondaryKey()))
                        .put("x509Thumbprint", new JsonObject().put("primaryThumbprint", d.primaryThumbprint())
                                .put("secondaryThumbprint", d.secondaryThumbprint()))
                        .put("type", d.authType().wireName()))
                .put("capabilities", new JsonObject().put("iotEdge", d.iotEdge()))
                .put("createdTime", HubTimes.format(d.createdTime()));
    }

    /** Etags go out unquoted, as IoT Hub sends them; rows from before the REST API hold them quoted. */
    static String etag(DeviceIdentity d) {
        return io.onramp.gateway.store.Etags.bare(d.etag());
    }

    /**
     * Reads a create or update body. Read-only fields (generationId, etag, connection state, times,
     * counts) are ignored; a missing authentication type is inferred as Node does (selfSigned when a
     * thumbprint is given, else sas); empty keys mean "generate them".
     */
    static DeviceDraft draft(String hubHostName, String pathDeviceId, JsonObject body) {
        checkDeviceId(pathDeviceId);
        String bodyId = text(body, "deviceId", "deviceId");
        if (bodyId != null && !bodyId.equals(pathDeviceId)) {
            throw HubRequests.badRequest("The deviceId in the body ('" + shown(bodyId) + "') differs from the one in the path.");
        }
        DeviceStatus status = status(text(body, "status", "status"));
        String statusReason = text(body, "statusReason", "statusReason");
        if (statusReason != null && statusReason.length() > 128) {
            throw HubRequests.badRequest("statusReason is longer than 128 characters.");
        }
        JsonObject authentication = object(body, "authentication", "authentication");
        JsonObject keys = authentication == null ? null : object(authentication, "symmetricKey", "authentication.symmetricKey");
        JsonObject thumbprints = authentication == null ? null
                : object(authentication, "x509Thumbprint", "authentication.x509Thumbprint");
        String primaryKey = key(keys, "primaryKey");
        String secondaryKey = key(keys, "secondaryKey");
        String primaryThumbprint = thumbprint(thumbprints, "primaryThumbprint");
        String secondaryThumbprint = thumbprint(thumbprints, "secondaryThumbprint");
        String typeName = authentication == null ? null : text(authentication, "type", "authentication.type");
        AuthType type = typeName != null ? authType(typeName) : primaryThumbprint != null ? AuthType.SELF_SIGNED : AuthType.SAS;
        if (type == AuthType.SELF_SIGNED && primaryThumbprint == null) {
            throw HubRequests.badRequest("A selfSigned device needs authentication.x509Thumbprint.primaryThumbprint.");
        }
        JsonObject capabilities = object(body, "capabilities", "capabilities");
        boolean iotEdge = false;
        if (capabilities != null && capabilities.getValue("iotEdge") != null) {
            if (!(capabilities.getValue("iotEdge") instanceof Boolean edge)) {
                throw HubRequests.badRequest("capabilities.iotEdge must be true or false.");
            }
            iotEdge = edge;
        }
        return new DeviceDraft(hubHostName, pathDeviceId, status, statusReason, type, primaryKey, secondaryKey,
                primaryThumbprint, secondaryThumbprint, iotEdge);
    }

    static void checkDeviceId(String deviceId) {
        if (deviceId == null || !DEVICE_ID.matcher(deviceId).matches()) {
            throw HubRequests.badRequest("A device ID is 1 to 128 ASCII letters, digits or - . + % _ # * ? ! ( ) , = @ $ '.");
        }
    }

    private static DeviceStatus status(String name) {
        if (name == null) {
            return DeviceStatus.ENABLED;
        }
        try {
            return DeviceStatus.fromWire(name);
        } catch (IllegalArgumentException e) {
            throw HubRequests.badRequest("status must be enabled or disabled.");
        }
    }

    private static AuthType authType(String name) {
        try {
            return AuthType.fromWire(name);
        } catch (IllegalArgumentException e) {
            throw HubRequests.badRequest("authentication.type must be sas, selfSigned, certificateAuthority or none.");
        }
    }

    /** Null or empty: generate. Otherwise Base64 of 16 to 64 bytes, as DPS requires of symmetric keys. */
    private static String key(JsonObject keys, String field) {
        String key = keys == null ? null : text(keys, field, "authentication.symmetricKey." + field);
        if (key == null || key.isEmpty()) {
            return null;
        }
        byte[] decoded;
        try {
            decoded = Base64.getDecoder().decode(key);
        } catch (IllegalArgumentException e) {
            decoded = new byte[0];
        }
        if (decoded.length < 16 || decoded.length > 64) {
            throw HubRequests.badRequest("authentication.symmetricKey." + field + " must be Base64 of 16 to 64 bytes.");
        }
        return key;
    }

    private static String thumbprint(JsonObject thumbprints, String field) {
        String value = thumbprints == null ? null : text(thumbprints, field, "authentication.x509Thumbprint." + field);
        if (value == null || value.isEmpty()) {
            return null;
        }
        if (!THUMBPRINT.matcher(value).matches()) {
            throw HubRequests.badRequest("authentication.x509Thumbprint." + field
                    + " must be a SHA-1 (40) or SHA-256 (64) hex thumbprint.");
        }
        return value;
    }

    private static String text(JsonObject json, String field, String path) {
        Object value = json.getValue(field);
        if (value == null || value instanceof String) {
            return (String) value;
        }
        throw HubRequests.badRequest(path + " must be a string.");
    }

    private static JsonObject object(JsonObject json, String field, String path) {
        Object value = json.getValue(field);
        if (value == null || value instanceof JsonObject) {
            return (JsonObject) value;
        }
        throw HubRequests.badRequest(path + " must be a JSON object.");
    }

    private static String shown(String text) {
        return text.length() > 64 ? text.substring(0, 64) + "…" : text;
    }
}
