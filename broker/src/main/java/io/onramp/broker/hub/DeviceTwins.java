package io.onramp.broker.hub;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/** What a connected device may do with its own twin (hub-device-protocol.md 3.6). Changes are durable before the future completes. */
public interface DeviceTwins {

    /** The device's view, {@code {"desired":{…,"$version":n},"reported":{…,"$version":m}}}, without metadata. Fails with 404 HubException for an unknown device. */
    Future<JsonObject> deviceView(String hubHostName, String deviceId);

    /** Merges a reported-properties patch and answers the new reported version. Fails with HubException (400 for an invalid patch). */
    Future<Long> patchReported(String hubHostName, String deviceId, JsonObject patch);
}
