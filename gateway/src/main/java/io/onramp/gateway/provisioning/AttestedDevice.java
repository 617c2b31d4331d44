package io.onramp.gateway.provisioning;

import io.onramp.policy.enrollment.Enrollment;
import java.util.List;

/**
 * A device whose proof checked out: the enrollment it matched and the keys it may use at the hub
 * (the individual enrollment's keys, or the keys derived from its group's), primary first.
 */
public record AttestedDevice(String registrationId, Enrollment enrollment, EnrollmentRef enrollmentRef,
        List<String> deviceKeys) {

    public AttestedDevice {
        deviceKeys = List.copyOf(deviceKeys);
    }
}
