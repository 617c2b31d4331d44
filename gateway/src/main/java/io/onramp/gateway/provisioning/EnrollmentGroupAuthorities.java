package io.onramp.gateway.provisioning;

import io.onramp.broker.hub.DeviceCertificateAuthorities;
import io.onramp.certs.x509.TrustedCa;
import io.onramp.policy.enrollment.EnrollmentGroup;
import io.onramp.policy.enrollment.X509Attestation;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The CAs a hosted hub trusts for certificateAuthority devices: the signing certificates of the
 * X.509 enrollment groups that may assign devices to it (all hubs when a group names none). Read
 * live from the enrollments, so a group added or removed changes the hub's trust at once.
 */
public final class EnrollmentGroupAuthorities implements DeviceCertificateAuthorities {

    private final EnrollmentStore enrollments;
    private final EnrollmentCertificateCache certificates;

    public EnrollmentGroupAuthorities(EnrollmentStore enrollments, EnrollmentCertificateCache certificates) {
        this.enrollments = enrollments;
        this.certificates = certificates;
    }

    @Override
    public Collection<TrustedCa> trusted(String hubHostName) {
        List<TrustedCa> trusted = new ArrayList<>();
        for (EnrollmentGroup group : enrollments.groups()) {
            if (group.attestation() instanceof X509Attestation x509
                    && x509.kind() == X509Attestation.Kind.SIGNING_CERTIFICATES && servesHub(group, hubHostName)) {
                for (String pem : new String[] {x509.primary(), x509.secondary()}) {
                    certificates.certificate(pem).ifPresent(ca -> trusted.add(
                            TrustedCa.of(ca).withLabel(group.enrollmentGroupId())));
                }
            }
        }
        return trusted;
    }

    private static boolean servesHub(EnrollmentGroup group, String hubHostName) {
        return group.iotHubs().isEmpty() || group.iotHubs().stream().anyMatch(hubHostName::equalsIgnoreCase);
    }
}
