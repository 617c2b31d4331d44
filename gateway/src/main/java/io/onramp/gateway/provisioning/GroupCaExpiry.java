package io.onramp.gateway.provisioning;

import io.onramp.certs.x509.TrustedCa;
import io.onramp.policy.enrollment.EnrollmentGroup;
import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Warns of the CA certificates enabled X.509 enrollment groups trust coming to their end, checked with the server
 * certificate every day: past it, none of those groups' devices can register (their chains no longer validate), and
 * only a person can give the groups a renewed CA. A WARN from 30 days before, an ERROR once ended; one line per CA
 * certificate, naming the groups that trust it.
 */
public final class GroupCaExpiry {

    private static final Logger LOG = LoggerFactory.getLogger(GroupCaExpiry.class);
    static final Duration WARN_BEFORE = Duration.ofDays(30);

    private record Ca(X509Certificate certificate, List<String> groups) {}

    private final Supplier<List<EnrollmentGroup>> groups;
    private final GroupTrustAnchors anchors;

    public GroupCaExpiry(Supplier<List<EnrollmentGroup>> groups, GroupTrustAnchors anchors) {
        this.groups = groups;
        this.anchors = anchors;
    }

    /** Logs each CA certificate trusted by enabled groups that ends within 30 days of {@code now}, or has ended. */
    public void check(Instant now) {
        for (Ca ca : trusted().values()) {
            Instant notAfter = ca.certificate().getNotAfter().toInstant();
            String what = ca.certificate().getSubjectX500Principal().getName() + " (trusted by enrollment group"
                    + (ca.groups().size() > 1 ? "s " : " ") + String.join(", ", ca.groups()) + ")";
            if (!notAfter.isAfter(now)) {
                LOG.error("X.509: the CA certificate {} expired at {}: those groups' devices cannot register; give the "
                        + "groups a renewed CA certificate", what, notAfter);
            } else if (notAfter.isBefore(now.plus(WARN_BEFORE))) {
                LOG.warn("X.509: the CA certificate {} expires at {}, in {} days: after it those groups' devices cannot "
                        + "register; give the groups a renewed CA certificate before then", what, notAfter,
                        Duration.between(now, notAfter).toDays());
            }
        }
    }

    /** Each certificate the enabled groups trust, once (by issuer and serial), with the groups that trust it. */
    private Map<String, Ca> trusted() {
        Map<String, Ca> byCertificate = new LinkedHashMap<>();
        for (EnrollmentGroup group : groups.get()) {
            if (!group.enabled()) {
                continue;
            }
            for (TrustedCa anchor : anchors.of(group)) {
                X509Certificate certificate = anchor.certificate();
                BigInteger serial = certificate.getSerialNumber();
                String key = certificate.getIssuerX500Principal().getName() + "#" + serial;
                byCertificate.computeIfAbsent(key, k -> new Ca(certificate, new ArrayList<>()))
                        .groups().add(group.enrollmentGroupId());
            }
        }
        return byCertificate;
    }
}
