package io.onramp.gateway.provisioning;

/** Which enrollment a registration came through. */
public record EnrollmentRef(Kind kind, String id) {
    public enum Kind { INDIVIDUAL, GROUP }

    public static EnrollmentRef individual(String registrationId) {
        return new EnrollmentRef(Kind.INDIVIDUAL, registrationId);
    }

    public static EnrollmentRef group(String enrollmentGroupId) {
        return new EnrollmentRef(Kind.GROUP, enrollmentGroupId);
    }
}
