package io.onramp.gateway.provisioning;

import io.onramp.gateway.enrollment.EnrollmentCertificates;
import io.vertx.core.json.JsonObject;

/**
 * The response bodies shared by every transport (spec 2.2 and 2.3): RegistrationOperationStatus
 * and DeviceRegistrationResult. {@code operationId} and {@code status} are always present.
 */
public final class RegistrationJson {

    private RegistrationJson() {}

    public static JsonObject operation(OperationStatus status) {
        JsonObject json = new JsonObject()
                .put("operationId", status.operationId())
                .put("status", status.status().wireName());
        if (status.terminal() && status.registration() != null) {
            json.put("registrationState", registrationState(status.registration()));
        }
        return json;
    }

    public static JsonObject registrationState(RegistrationRecord r) {
        String updated = r.lastUpdatedDateTimeUtc().toString();
        // A first registration was created when last updated: one instant, formatted once (Instant.toString was 2 %
        // of the event loops' work under the provisioning bench).
        String created = r.createdDateTimeUtc().equals(r.lastUpdatedDateTimeUtc()) ? updated
                : r.createdDateTimeUtc().toString();
        JsonObject json = new JsonObject()
                .put("registrationId", r.registrationId())
                .put("createdDateTimeUtc", created);
        if (r.status() == RegistrationStatus.ASSIGNED) {
            json.put("assignedHub", r.assignedHub()).put("deviceId", r.deviceId());
        }
        json.put("status", r.status().wireName());
        if (r.substatus() != null && r.status() == RegistrationStatus.ASSIGNED) {
            json.put("substatus", r.substatus());
        }
        if (r.errorCode() != null) {
            json.put("errorCode", r.errorCode()).put("errorMessage", r.errorMessage());
        }
        json.put("lastUpdatedDateTimeUtc", updated)
                .put("etag", r.etag());
        if (r.x509() != null && r.x509().leaf() != null) {
            json.put("x509", x509(r.x509(), r.enrollment()));
        } else if (r.enrollment().kind() == EnrollmentRef.Kind.GROUP) {
            json.put("symmetricKey", new JsonObject().put("enrollmentGroupId", r.enrollment().id()));
        }
        if (r.payload() != null) {
            json.put("payload", new JsonObject(r.payload()));
        }
        // Spec 5.6: the SDKs activate this blob again and fail an assigned TPM result without it.
        if (r.tpm() != null && r.tpm().authenticationKey() != null && r.status() == RegistrationStatus.ASSIGNED) {
            json.put("tpm", new JsonObject().put("authenticationKey", r.tpm().authenticationKey()));
        }
        return json;
    }

    /**
     * X509RegistrationResult (device spec 2.3, 11): the leaf's info; for a group also its id and the
     * info of the group certificate the chain ended at. Java checks every field of an info block.
     */
    static JsonObject x509(AttestedDevice.X509Identity identity, EnrollmentRef enrollment) {
        JsonObject x509 = new JsonObject().put("certificateInfo", EnrollmentCertificates.info(identity.leaf()));
        if (enrollment.kind() == EnrollmentRef.Kind.GROUP) {
            x509.put("enrollmentGroupId", enrollment.id());
            if (identity.signing() != null) {
                x509.put("signingCertificateInfo", EnrollmentCertificates.info(identity.signing()));
            }
        }
        return x509;
    }
}
