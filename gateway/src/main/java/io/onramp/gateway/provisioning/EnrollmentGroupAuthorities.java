package io.onramp.gateway.provisioning;

import io.onramp.broker.hub.DeviceCertificateAuthorities;
import io.onramp.certs.x509.TrustedCa;
import io.onramp.policy.enrollment.EnrollmentGroup;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The CAs a hosted hub trusts for certificateAuthority devices: the signing certificates (or
 * verified referenced CA certificates, with their CRLs) of the X.509 enrollment groups that may assign devices to it (all hubs when a group names none). Read
 * live from the enrollments, so a group added or removed changes the hub's trust at once.
 */
public final class EnrollmentGroupAuthorities implements DeviceCertificateAuthorities {

    private final EnrollmentStore enrollments;
    private final GroupTrustAnchors anchors;

    public EnrollmentGroupAuthorities(EnrollmentStore enrollments, GroupTrustAnchors anchors) {
        this.enrollments = enrollments;
        this.anchors = anchors;
    }

    @Override
    public Collection<TrustedCa> trusted(String hubHostName) {
        List<TrustedCa> trusted = new ArrayList<>();
        for (EnrollmentGroup group : enrollments.groups()) {
            if (servesHub(group, hubHostName)) {
                trusted.addAll(anchors.of(group));
            }
        }
        return trusted;
    }

    private static boolean servesHub(EnrollmentGroup group, String hubHostName) {
        return group.iotHubs().isEmpty() || group.iotHubs().stream().anyMatch(hubHostName::equalsIgnoreCase);
    }
}
