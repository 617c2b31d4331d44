package io.onramp.certs.x509;

import static org.assertj.core.api.Assertions.assertThat;

import io.onramp.certs.ca.CaMaterial;
import io.onramp.certs.ca.CertificateBuilder;
import io.onramp.certs.ca.PkiCatalogue;
import io.onramp.certs.ca.PkiCatalogue.Name;
import io.onramp.certs.x509.ProofOfPossession.Outcome;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ProofOfPossessionTest {

    static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    static PkiCatalogue pki;

    @BeforeAll
    static void generate() {
        pki = PkiCatalogue.builder().clock(CLOCK).build();
    }

    @Test
    void codesAreRandomUpperCaseHex() {
        Set<String> codes = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            codes.add(ProofOfPossession.newVerificationCode());
        }

        assertThat(codes).hasSize(100).allMatch(c -> c.matches("[0-9A-F]{32}")).allMatch(ProofOfPossession::isVerificationCode);
    }

    @Test
    void onlyTheFormOfAnIssuedCodeIsAVerificationCode() {
        String code = ProofOfPossession.newVerificationCode();

        assertThat(ProofOfPossession.isVerificationCode(code)).isTrue();
        assertThat(ProofOfPossession.isVerificationCode(code + "\nvalid for 1 hour")).isFalse();
        assertThat(ProofOfPossession.isVerificationCode(code.toLowerCase(java.util.Locale.ROOT))).isFalse();
        assertThat(ProofOfPossession.isVerificationCode(code.substring(1))).isFalse();
        assertThat(ProofOfPossession.isVerificationCode("bad code/with,stuff")).isFalse();
        assertThat(ProofOfPossession.isVerificationCode(null)).isFalse();
    }

    @Test
    void aCertificateSignedByTheCaWithTheCodeProvesPossession() {
        String code = ProofOfPossession.newVerificationCode();

        var verdict = ProofOfPossession.verify(pki.certificate(Name.UNPROVEN_ROOT),
                pki.verificationCertificate(Name.UNPROVEN_ROOT, code), code, CLOCK);

        assertThat(verdict.outcome()).isEqualTo(Outcome.VERIFIED);
        assertThat(verdict.verified()).isTrue();
    }

    @Test
    void anIntermediateCanProveToo() {
        String code = ProofOfPossession.newVerificationCode();

        assertThat(ProofOfPossession.verify(pki.certificate(Name.INTERMEDIATE),
                pki.verificationCertificate(Name.INTERMEDIATE, code), code, CLOCK).verified()).isTrue();
    }

    @Test
    void anotherCodeIsRefused() {
        String code = ProofOfPossession.newVerificationCode();
        var cert = pki.verificationCertificate(Name.UNPROVEN_ROOT, ProofOfPossession.newVerificationCode());

        assertThat(ProofOfPossession.verify(pki.certificate(Name.UNPROVEN_ROOT), cert, code, CLOCK).outcome())
                .isEqualTo(Outcome.WRONG_CODE);
    }

    @Test
    void theCodeIsComparedExactly() {
        String code = ProofOfPossession.newVerificationCode();
        var lower = pki.verificationCertificate(Name.UNPROVEN_ROOT, code.toLowerCase());

        assertThat(ProofOfPossession.verify(pki.certificate(Name.UNPROVEN_ROOT), lower, code, CLOCK).outcome())
                .isEqualTo(Outcome.WRONG_CODE);
    }

    @Test
    void aCertificateSignedByAnotherCaIsRefused() {
        String code = ProofOfPossession.newVerificationCode();
        var cert = pki.verificationCertificate(Name.OTHER_ROOT, code);

        var verdict = ProofOfPossession.verify(pki.certificate(Name.UNPROVEN_ROOT), cert, code, CLOCK);

        assertThat(verdict.outcome()).isEqualTo(Outcome.NOT_SIGNED_BY_CA);
        assertThat(verdict.detail()).contains("Onramp Unproven Root");
    }

    @Test
    void aSelfSignedCertificateWithTheCodeIsRefused() {
        String code = ProofOfPossession.newVerificationCode();
        var selfSigned = CertificateBuilder.selfSignedDevice(code).clock(CLOCK).issue().certificate();

        assertThat(ProofOfPossession.verify(pki.certificate(Name.UNPROVEN_ROOT), selfSigned, code, CLOCK).outcome())
                .isEqualTo(Outcome.NOT_SIGNED_BY_CA);
    }

    @Test
    void anExpiredOrFutureCertificateIsRefused() {
        String code = ProofOfPossession.newVerificationCode();
        var cert = pki.verificationCertificate(Name.UNPROVEN_ROOT, code);
        var ca = pki.certificate(Name.UNPROVEN_ROOT);

        assertThat(ProofOfPossession.verify(ca, cert, code, Clock.offset(CLOCK, Duration.ofDays(2))).outcome())
                .isEqualTo(Outcome.EXPIRED);
        assertThat(ProofOfPossession.verify(ca, cert, code, Clock.offset(CLOCK, Duration.ofHours(-2))).outcome())
                .isEqualTo(Outcome.NOT_YET_VALID);
    }

    @Test
    void onlyACaCanBeProven() {
        String code = ProofOfPossession.newVerificationCode();
        CaMaterial device = pki.material(Name.SELF_SIGNED);

        assertThat(ProofOfPossession.verify(device.certificate(), pki.verificationCertificate(Name.ROOT, code), code,
                CLOCK).outcome()).isEqualTo(Outcome.NOT_A_CA);
    }

    @Test
    void theVerificationCertificateCarriesTheCodeAsItsOnlyCn() {
        var cert = pki.verificationCertificate(Name.ROOT, "ABC123");

        assertThat(cert.getSubjectX500Principal().getName()).isEqualTo("CN=ABC123");
        assertThat(cert.getBasicConstraints()).isEqualTo(-1);
    }
}
