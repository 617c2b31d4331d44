package io.onramp.gateway.provisioning;

import io.onramp.certs.x509.TrustedCa;
import io.onramp.gateway.cacert.CaTrust;
import io.onramp.policy.enrollment.EnrollmentGroup;
import io.onramp.policy.enrollment.X509Attestation;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The certificates an X.509 enrollment group trusts, labelled with the group's id, for device
 * attestation and for the hub's certificateAuthority devices alike:
 * <ul>
 *   <li>{@code caReferences}: the named CA certificates, only while they are registered and
 *       verified (dps-service-api §6, §11.3); an unknown or unverified name trusts nothing;</li>
 *   <li>{@code signingCertificates}: the certificates attached to the group, trusted as attached
 *       (dps-device-protocol §11: "proven-possessed, or attached directly to the group"; see the
 *       README on this choice), each with the CRL of a registered CA certificate that is the same
 *       certificate.</li>
 * </ul>
 * Built once per version of the group and of the CA certificates: a CRL is checked when a
 * TrustedCa is made, which is too dear for every registration.
 */
public final class GroupTrustAnchors {

    private static final int MAX_ENTRIES = 1_000;

    private record Built(long caVersion, List<TrustedCa> anchors) {}

    private final EnrollmentCertificateCache certificates;
    private final CaTrust cas;
    private final Map<String, Built> built = new ConcurrentHashMap<>();

    public GroupTrustAnchors(EnrollmentCertificateCache certificates, CaTrust cas) {
        this.certificates = certificates;
        this.cas = cas;
    }

    /** The group's anchors; empty for a group that is not X.509 or trusts nothing at the moment. */
    public List<TrustedCa> of(EnrollmentGroup group) {
        if (!(group.attestation() instanceof X509Attestation x509)) {
            return List.of();
        }
        long caVersion = cas.version();
        // The etag changes with every write of the group, so id + etag names one version of it.
        String key = group.enrollmentGroupId() + "\n" + group.etag();
        Built cached = built.get(key);
        if (cached != null && cached.caVersion() == caVersion) {
            return cached.anchors();
        }
        if (built.size() > MAX_ENTRIES) {
            built.clear();
        }
        List<TrustedCa> anchors = List.copyOf(build(group.enrollmentGroupId(), x509));
        built.put(key, new Built(caVersion, anchors));
        return anchors;
    }

    private List<TrustedCa> build(String groupId, X509Attestation x509) {
        List<TrustedCa> anchors = new ArrayList<>(2);
        for (String slot : new String[] {x509.primary(), x509.secondary()}) {
            if (slot == null) {
                continue;
            }
            switch (x509.kind()) {
                case CA_REFERENCES -> cas.verified(slot).ifPresent(ca -> anchors.add(ca.withLabel(groupId)));
                case SIGNING_CERTIFICATES -> certificates.certificate(slot).ifPresent(ca -> anchors.add(attached(ca, groupId)));
                case CLIENT_CERTIFICATES -> { }
            }
        }
        return anchors;
    }

    private TrustedCa attached(X509Certificate certificate, String groupId) {
        return new TrustedCa(certificate, cas.crl(certificate).orElse(null), groupId);
    }
}
