package io.onramp.policy.enrollment;

/**
 * Where an enrollment was defined. Enrollments from the config files are owned by the ops team's
 * files, so the service API must treat them as read-only; API enrollments are owned by the API.
 */
public enum EnrollmentSource {
    CONFIG,
    API
}
