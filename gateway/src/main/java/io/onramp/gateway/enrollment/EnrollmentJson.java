package io.onramp.gateway.enrollment;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.onramp.policy.enrollment.Enrollment;
import io.onramp.policy.enrollment.EnrollmentGroup;
import io.onramp.policy.enrollment.IndividualEnrollment;
import io.onramp.policy.enrollment.SymmetricKeyAttestation;
import io.vertx.core.json.JsonObject;

/** Enrollments written in the shape of the DPS service API; the reader is {@link EnrollmentReader}. */
public final class EnrollmentJson {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private EnrollmentJson() {}

    public static JsonNode parseTree(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** @param withSecrets keys are written only to the store and the attestation-mechanism read */
    public static JsonObject write(Enrollment e, boolean withSecrets) {
        JsonObject json = new JsonObject();
        if (e instanceof IndividualEnrollment i) {
            json.put("registrationId", i.registrationId());
            if (i.deviceId() != null) {
                json.put("deviceId", i.deviceId());
            }
        } else if (e instanceof EnrollmentGroup g) {
            json.put("enrollmentGroupId", g.enrollmentGroupId());
        }
        json.put("attestation", attestation(e, withSecrets));
        json.put("capabilities", new JsonObject().put("iotEdge", e.iotEdge()));
        if (e.iotHubHostName() != null) {
            json.put("iotHubHostName", e.iotHubHostName());
        }
        if (!e.iotHubs().isEmpty()) {
            json.put("iotHubs", e.iotHubs());
        }
        json.put("initialTwin", new JsonObject()
                .put("tags", new JsonObject(e.initialTwin().tags()))
                .put("properties", new JsonObject().put("desired", new JsonObject(e.initialTwin().desiredProperties()))));
        if (e.etag() != null) {
            json.put("etag", e.etag());
        }
        json.put("provisioningStatus", e.provisioningStatus().wireName());
        json.put("reprovisionPolicy", new JsonObject()
                .put("updateHubAssignment", e.reprovisionPolicy().updateHubAssignment())
                .put("migrateDeviceData", e.reprovisionPolicy().migrateDeviceData()));
        if (e.allocationPolicy() != null) {
            json.put("allocationPolicy", e.allocationPolicy().wireName());
        }
        json.put("createdDateTimeUtc", e.createdDateTimeUtc().toString());
        json.put("lastUpdatedDateTimeUtc", e.lastUpdatedDateTimeUtc().toString());
        return json;
    }

    private static JsonObject attestation(Enrollment e, boolean withSecrets) {
        JsonObject attestation = new JsonObject().put("type", e.attestation().type());
        if (withSecrets && e.attestation() instanceof SymmetricKeyAttestation keys) {
            JsonObject symmetricKey = new JsonObject().put("primaryKey", keys.primaryKey());
            if (keys.secondaryKey() != null) {
                symmetricKey.put("secondaryKey", keys.secondaryKey());
            }
            attestation.put("symmetricKey", symmetricKey);
        }
        return attestation;
    }

    public static Enrollment withEtag(Enrollment e, String etag) {
        if (e instanceof IndividualEnrollment i) {
            return new IndividualEnrollment(i.registrationId(), i.deviceId(), i.attestation(), i.iotHubHostName(),
                    i.iotHubs(), i.initialTwin(), i.provisioningStatus(), i.allocationPolicy(), i.reprovisionPolicy(),
                    i.iotEdge(), etag, i.createdDateTimeUtc(), i.lastUpdatedDateTimeUtc(), i.source());
        }
        EnrollmentGroup g = (EnrollmentGroup) e;
        return new EnrollmentGroup(g.enrollmentGroupId(), g.attestation(), g.iotHubHostName(), g.iotHubs(),
                g.initialTwin(), g.provisioningStatus(), g.allocationPolicy(), g.reprovisionPolicy(), g.iotEdge(), etag,
                g.createdDateTimeUtc(), g.lastUpdatedDateTimeUtc(), g.source());
    }
}
