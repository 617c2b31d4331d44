package io.onramp.gateway.store;

import io.onramp.gateway.error.ErrorCode;
import io.onramp.gateway.error.ProvisioningException;
import io.onramp.gateway.provisioning.EnrollmentRef;

/** The service API's enrollment errors, with the codes of spec 15.3 per kind. */
public final class EnrollmentErrors {

    private EnrollmentErrors() {}

    public static ProvisioningException notFound(EnrollmentRef.Kind kind, String id) {
        return kind == EnrollmentRef.Kind.GROUP
                ? new ProvisioningException(ErrorCode.ENROLLMENT_GROUP_NOT_FOUND, "Enrollment group " + id + " was not found.")
                : new ProvisioningException(ErrorCode.ENROLLMENT_NOT_FOUND, "Enrollment " + id + " was not found.");
    }

    public static ProvisioningException exists(EnrollmentRef.Kind kind, String id) {
        return conflict(kind, noun(kind) + " " + id + " already exists.");
    }

    /** An existing enrollment under {@code If-None-Match: *}: the client asked to create only. */
    public static ProvisioningException existsPrecondition(EnrollmentRef.Kind kind, String id) {
        return new ProvisioningException(ErrorCode.PRECONDITION_FAILED, noun(kind) + " " + id
                + " already exists (the request has If-None-Match: *, which creates only).");
    }

    /** Config-file enrollments belong to the operator's file: the API must not change them behind its back. */
    public static ProvisioningException managedByConfig(EnrollmentRef.Kind kind, String id) {
        return conflict(kind, noun(kind) + " " + id + " is managed by the config file the gateway was started with and is"
                + " read-only through the service API; change it in that file.");
    }

    public static ProvisioningException etagMismatch(EnrollmentRef.Kind kind, String id) {
        return new ProvisioningException(ErrorCode.PRECONDITION_FAILED,
                "The etag does not match the current version of " + noun(kind).toLowerCase(java.util.Locale.ROOT) + " " + id + ".");
    }

    private static ProvisioningException conflict(EnrollmentRef.Kind kind, String message) {
        return new ProvisioningException(kind == EnrollmentRef.Kind.GROUP ? ErrorCode.ENROLLMENT_GROUP_CONFLICT
                : ErrorCode.ENROLLMENT_CONFLICT, message);
    }

    private static String noun(EnrollmentRef.Kind kind) {
        return kind == EnrollmentRef.Kind.GROUP ? "Enrollment group" : "Enrollment";
    }
}
