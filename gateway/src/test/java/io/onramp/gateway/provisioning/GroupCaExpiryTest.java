package io.onramp.gateway.provisioning;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import io.onramp.certs.ca.CaMaterial;
import io.onramp.certs.ca.CertificateAuthority;
import io.onramp.certs.pem.PemWriter;
import io.onramp.gateway.support.CapturedLog;
import io.onramp.policy.enrollment.EnrollmentGroup;
import io.onramp.policy.enrollment.EnrollmentSource;
import io.onramp.policy.enrollment.ProvisioningStatus;
import io.onramp.policy.enrollment.X509Attestation;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class GroupCaExpiryTest {

    static final Instant NOW = Instant.parse("2026-11-29T12:00:00Z");

    final CapturedLog log = CapturedLog.of(GroupCaExpiry.class);
    final List<EnrollmentGroup> groups = new ArrayList<>();
    final GroupTrustAnchorsTest.Cas cas = new GroupTrustAnchorsTest.Cas();
    final GroupCaExpiry expiry = new GroupCaExpiry(() -> groups,
            new GroupTrustAnchors(new EnrollmentCertificateCache(), cas));

    @AfterEach
    void detach() {
        log.close();
    }

    @Test
    void aCaEndingWithinThirtyDaysIsOneWarningNamingEveryGroupThatTrustsIt() {
        CaMaterial ending = root("Line 7 CA", Duration.ofDays(20), NOW);
        CaMaterial lasting = root("Line 8 CA", Duration.ofDays(300), NOW);
        groups.add(attached("line-7a", ending, ProvisioningStatus.ENABLED));
        groups.add(attached("line-7b", ending, ProvisioningStatus.ENABLED));
        groups.add(attached("line-8", lasting, ProvisioningStatus.ENABLED));

        expiry.check(NOW);

        assertThat(log.lines()).singleElement().satisfies(line -> {
            assertThat(line.getLevel()).isEqualTo(Level.WARN);
            assertThat(line.getFormattedMessage()).contains("CN=Line 7 CA", "enrollment groups line-7a, line-7b",
                    "in 20 days", "give the groups a renewed CA certificate");
        });
    }

    @Test
    void anEndedCaIsAnErrorAndADisabledGroupsIsNotChecked() {
        CaMaterial ended = root("Old Line CA", Duration.ofDays(10), NOW.minus(Duration.ofDays(15)));
        groups.add(attached("old-line", ended, ProvisioningStatus.ENABLED));
        groups.add(attached("retired-line", root("Retired CA", Duration.ofDays(1), NOW.minus(Duration.ofDays(90))),
                ProvisioningStatus.DISABLED));

        expiry.check(NOW);

        assertThat(log.lines()).extracting(ILoggingEvent::getLevel).containsExactly(Level.ERROR);
        assertThat(log.lines().get(0).getFormattedMessage()).contains("CN=Old Line CA", "enrollment group old-line",
                "expired at", "cannot register");
    }

    private static CaMaterial root(String cn, Duration validity, Instant from) {
        return CertificateAuthority.createRoot(cn, validity, Clock.fixed(from, ZoneOffset.UTC));
    }

    private static EnrollmentGroup attached(String id, CaMaterial ca, ProvisioningStatus status) {
        return new EnrollmentGroup(id, new X509Attestation(X509Attestation.Kind.SIGNING_CERTIFICATES,
                PemWriter.toPem(ca.certificate()), null), null, null, null, status, null, null, null, false, "\"1\"",
                null, null, EnrollmentSource.API);
    }
}
