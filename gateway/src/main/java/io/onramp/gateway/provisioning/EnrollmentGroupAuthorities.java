package io.onramp.gateway.provisioning;

import io.onramp.broker.hub.DeviceCertificateAuthorities;
import io.onramp.certs.x509.TrustedCa;
import io.onramp.gateway.cacert.CaTrust;
import io.onramp.policy.enrollment.EnrollmentGroup;
import io.vertx.core.Future;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The CAs a hosted hub trusts for one certificateAuthority device. A device provisioned through an X.509
 * enrollment group is vouched for by that group's anchors only (its verified referenced CAs or its attached
 * signing certificates, with their CRLs), read live, so that a change to the group applies at the next connect.
 * Any other such device (made through the hub registry API, say) by the verified CA certificates, as IoT Hub
 * trusts its own verified CAs. Never by another group's anchors: an attached certificate needs no proof of
 * possession, and whoever may write one group must not be able to pose as the devices of another.
 */
public final class EnrollmentGroupAuthorities implements DeviceCertificateAuthorities {

    private final EnrollmentStore enrollments;
    private final RegistrationStore registrations;
    private final GroupTrustAnchors anchors;
    private final CaTrust cas;

    public EnrollmentGroupAuthorities(EnrollmentStore enrollments, RegistrationStore registrations,
            GroupTrustAnchors anchors, CaTrust cas) {
        this.enrollments = enrollments;
        this.registrations = registrations;
        this.anchors = anchors;
        this.cas = cas;
    }

    @Override
    public Future<Collection<TrustedCa>> trusted(String hubHostName, String deviceId) {
        // A group's device has its registration ID as device ID (only individual enrollments name another).
        return registrations.find(deviceId).map(record -> record
                .flatMap(provisioned -> groupThatProvisioned(provisioned, hubHostName, deviceId))
                .<Collection<TrustedCa>>map(anchors::of)
                .orElseGet(cas::allVerified));
    }

    private Optional<EnrollmentGroup> groupThatProvisioned(RegistrationRecord record, String hubHostName, String deviceId) {
        if (record.enrollment().kind() != EnrollmentRef.Kind.GROUP || !deviceId.equals(record.deviceId())
                || record.assignedHub() == null || !record.assignedHub().equalsIgnoreCase(hubHostName)) {
            return Optional.empty();
        }
        List<EnrollmentGroup> groups = enrollments.groups();
        return groups.stream().filter(g -> g.enrollmentGroupId().equals(record.enrollment().id())).findFirst();
    }
}
