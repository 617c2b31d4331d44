package io.onramp.gateway.service;

import io.onramp.gateway.provisioning.RegistrationRecord;
import io.vertx.core.json.JsonObject;

/** DeviceRegistrationState as the service API returns it (spec §4.8); no device-side members. */
final class RegistrationStateJson {

    private RegistrationStateJson() {}

    static JsonObject write(RegistrationRecord r) {
        JsonObject json = new JsonObject()
                .put("registrationId", r.registrationId())
                .put("createdDateTimeUtc", r.createdDateTimeUtc().toString())
                .put("lastUpdatedDateTimeUtc", r.lastUpdatedDateTimeUtc().toString())
                .put("status", r.status().wireName())
                .put("etag", r.etag());
        if (r.assignedHub() != null) {
            json.put("assignedHub", r.assignedHub());
        }
        if (r.deviceId() != null) {
            json.put("deviceId", r.deviceId());
        }
        if (r.substatus() != null) {
            json.put("substatus", r.substatus());
        }
        if (r.errorCode() != null) {
            json.put("errorCode", r.errorCode()).put("errorMessage", r.errorMessage());
        }
        if (r.payload() != null) {
            json.put("payload", new JsonObject(r.payload()));
        }
        return json;
    }
}
