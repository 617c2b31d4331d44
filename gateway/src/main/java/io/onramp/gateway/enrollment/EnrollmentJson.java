package io.onramp.gateway.enrollment;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.onramp.policy.enrollment.Attestation;
import io.onramp.policy.enrollment.Enrollment;
import io.onramp.policy.enrollment.EnrollmentGroup;
import io.onramp.policy.enrollment.IndividualEnrollment;
import io.onramp.policy.enrollment.SymmetricKeyAttestation;
import io.onramp.policy.enrollment.TpmAttestation;
import io.onramp.policy.enrollment.X509Attestation;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;

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

    /** What a written enrollment may disclose (spec 4.9). */
    public enum View {
        /** Everything, for the store: keys and certificate PEMs. */
        STORE,
        /** Reads, writes' answers and queries: no keys, certificates as their {@code info} only. */
        PUBLIC,
        /** The attestation-mechanism read: keys, certificates as {@code info}. */
        ATTESTATION
    }

    /**
     * The same enrollment but for what the server sets (etag, created and updated times: a config file has none), both
     * written in the {@link View#STORE} view. Strips those fields from both.
     */
    public static boolean sameSettings(JsonObject one, JsonObject other) {
        for (String serverField : List.of("etag", "createdDateTimeUtc", "lastUpdatedDateTimeUtc")) {
            one.remove(serverField);
            other.remove(serverField);
        }
        return one.encode().equals(other.encode());
    }

    /** @param withSecrets true for the store's copy, false for what a read returns */
    public static JsonObject write(Enrollment e, boolean withSecrets) {
        return write(e, withSecrets ? View.STORE : View.PUBLIC);
    }

    public static JsonObject write(Enrollment e, View view) {
        JsonObject json = new JsonObject();
        if (e instanceof IndividualEnrollment i) {
            json.put("registrationId", i.registrationId());
            if (i.deviceId() != null) {
                json.put("deviceId", i.deviceId());
            }
            if (!i.optionalDeviceInformation().isEmpty()) {
                json.put("optionalDeviceInformation", new JsonObject(i.optionalDeviceInformation()));
            }
        } else if (e instanceof EnrollmentGroup g) {
            json.put("enrollmentGroupId", g.enrollmentGroupId());
        }
        json.put("attestation", attestation(e.attestation(), view));
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
        if (e.customAllocationDefinition() != null) {
            json.put("customAllocationDefinition", new JsonObject()
                    .put("webhookUrl", e.customAllocationDefinition().webhookUrl())
                    .put("apiVersion", e.customAllocationDefinition().apiVersion()));
        }
        json.put("createdDateTimeUtc", e.createdDateTimeUtc().toString());
        json.put("lastUpdatedDateTimeUtc", e.lastUpdatedDateTimeUtc().toString());
        return json;
    }

    /** An AttestationMechanism as the given view shows it; never an empty object for an unused slot. */
    public static JsonObject attestation(Attestation attestation, View view) {
        JsonObject json = new JsonObject().put("type", attestation.type());
        // Java 17: no pattern switch; the sealed hierarchy has exactly these three.
        if (attestation instanceof SymmetricKeyAttestation keys) {
            if (view != View.PUBLIC) {
                JsonObject symmetricKey = new JsonObject().put("primaryKey", keys.primaryKey());
                if (keys.secondaryKey() != null) {
                    symmetricKey.put("secondaryKey", keys.secondaryKey());
                }
                json.put("symmetricKey", symmetricKey);
            }
        } else if (attestation instanceof X509Attestation x509) {
            JsonObject slots = new JsonObject().put("primary", x509Slot(x509, x509.primary(), view));
            if (x509.secondary() != null) {
                slots.put("secondary", x509Slot(x509, x509.secondary(), view));
            }
            json.put("x509", new JsonObject().put(x509.kind().wireName(), slots));
        } else if (attestation instanceof TpmAttestation tpm) {
            JsonObject keys = new JsonObject().put("endorsementKey", tpm.endorsementKey());
            if (tpm.storageRootKey() != null) {
                keys.put("storageRootKey", tpm.storageRootKey());
            }
            json.put("tpm", keys);
        }
        return json;
    }

    private static Object x509Slot(X509Attestation x509, String value, View view) {
        if (!x509.kind().holdsCertificates()) {
            return value;
        }
        return view == View.STORE ? new JsonObject().put("certificate", value)
                : new JsonObject().put("info", EnrollmentCertificates.info(EnrollmentCertificates.parse(value)));
    }

    /** The same enrollment with the server-owned members set. */
    public static Enrollment withServerFields(Enrollment e, String etag, Instant created, Instant updated) {
        return e.withServerFields(etag, created, updated);
    }

    public static Enrollment withEtag(Enrollment e, String etag) {
        return e.withServerFields(etag, e.createdDateTimeUtc(), e.lastUpdatedDateTimeUtc());
    }
}
