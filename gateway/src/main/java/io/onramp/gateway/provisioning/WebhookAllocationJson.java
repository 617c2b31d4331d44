package io.onramp.gateway.provisioning;

import com.fasterxml.jackson.databind.JsonNode;
import io.onramp.gateway.config.ConfigNode;
import io.onramp.gateway.enrollment.EnrollmentJson;
import io.onramp.gateway.enrollment.EnrollmentReader;
import io.onramp.policy.enrollment.EnrollmentGroup;
import io.onramp.policy.enrollment.InitialTwin;
import io.onramp.policy.enrollment.TpmAttestation;
import io.onramp.policy.registry.HubDescriptor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Optional;

/**
 * The custom allocation webhook's two documents (dps-service-api 12.4): the AllocationRequest Onramp sends, and the
 * AllocationResponse it reads back.
 */
final class WebhookAllocationJson {

    private WebhookAllocationJson() {}

    /**
     * What the webhook is told: the enrollment without its keys, the device (its registration ID, where it is now,
     * how it proved itself, its payload) and the hubs it may choose from.
     */
    static JsonObject request(AttestedDevice device, Optional<RegistrationRecord> previous, List<HubDescriptor> offered,
            String payload) {
        JsonObject context = new JsonObject().put("registrationId", device.registrationId());
        previous.filter(record -> record.assignedHub() != null).ifPresent(record -> context
                .put("currentIotHubHostName", record.assignedHub()).put("currentDeviceId", record.deviceId()));
        if (device.x509() != null) {
            context.put("x509", RegistrationJson.x509(device.x509(), device.enrollmentRef()));
        } else if (device.enrollment().attestation() instanceof TpmAttestation tpm) {
            context.put("tpm", new JsonObject().put("endorsementKey", tpm.endorsementKey()));
        } else {
            context.put("symmetricKey", new JsonObject());
        }
        if (payload != null) {
            context.put("payload", new JsonObject(payload));
        }
        JsonArray hubs = new JsonArray();
        offered.forEach(hub -> hubs.add(hub.hostName()));
        return new JsonObject()
                .put(device.enrollment() instanceof EnrollmentGroup ? "enrollmentGroup" : "individualEnrollment",
                        enrollment(device))
                .put("deviceRuntimeContext", context)
                .put("linkedHubs", hubs);
    }

    /**
     * The enrollment as the service API reads it, but for the webhook's own URL, whose query (an Azure Function's
     * {@code ?code=} key) is masked as Azure masks it: the webhook knows its URL, and request bodies end up in logs.
     */
    private static JsonObject enrollment(AttestedDevice device) {
        JsonObject enrollment = EnrollmentJson.write(device.enrollment(), EnrollmentJson.View.PUBLIC);
        JsonObject definition = enrollment.getJsonObject("customAllocationDefinition");
        String url = definition == null ? null : definition.getString("webhookUrl");
        if (url != null && url.indexOf('?') >= 0) {
            definition.put("webhookUrl", url.substring(0, url.indexOf('?') + 1) + "****");
        }
        return enrollment;
    }

    /**
     * The webhook's choice: the hub's host name as it gave it (null when it gave none), its initial twin (null when
     * it gave none: the enrollment's applies) and the payload for the device (JSON object text, null when none).
     */
    record Answer(String iotHubHostName, InitialTwin initialTwin, String payload) {}

    /** @throws IllegalArgumentException saying what is wrong with the answer */
    static Answer answer(Buffer body) {
        JsonNode root = EnrollmentJson.parseTree(body.toString());
        if (!root.isObject()) {
            throw new IllegalArgumentException("its answer is not a JSON object");
        }
        ConfigNode answer = ConfigNode.root(root);
        // Microsoft's documentation spells the member both ways; its samples send iotHubHostName.
        String hub = answer.has("iotHubHostName") ? answer.text("iotHubHostName")
                : answer.optText("iotHubHostname", null);
        InitialTwin twin = answer.has("initialTwin") ? EnrollmentReader.initialTwin(answer.field("initialTwin")) : null;
        JsonNode payload = root.get("payload");
        // Only the payload as Vert.x reads JSON (as a device's payload is read); a second parse of the whole answer
        // could refuse what the first took (trailing text) and fail the registration with a 500.
        String answered = payload == null || payload.isNull() ? null
                : Payloads.normalize(Json.decodeValue(payload.toString()));
        if (!answer.problems().isEmpty()) {
            throw new IllegalArgumentException("its answer is not valid: " + String.join("; ", answer.problems()));
        }
        return new Answer(hub, twin, answered);
    }
}
