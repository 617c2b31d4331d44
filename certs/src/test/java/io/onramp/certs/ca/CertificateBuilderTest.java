package io.onramp.certs.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.onramp.certs.ca.PkiCatalogue.Name;
import io.onramp.certs.pem.PemReader;
import io.onramp.certs.pem.PemWriter;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CertificateBuilderTest {

    static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";

    @TempDir
    Path dir;

    @Test
    void rootIntermediateAndDeviceHaveTheirProfiles() throws Exception {
        CaMaterial root = CertificateBuilder.rootCa("Factory Root").clock(CLOCK).issue();
        CaMaterial line = CertificateBuilder.intermediateCa("Line 7", root).pathLength(0).clock(CLOCK).issue();
        CaMaterial device = CertificateBuilder.device("sensor-0042", line).validity(Duration.ofDays(30)).clock(CLOCK).issue();

        assertThat(root.certificate().getBasicConstraints()).isEqualTo(Integer.MAX_VALUE);
        assertThat(line.certificate().getBasicConstraints()).isZero();
        assertThat(line.certificate().getKeyUsage()[5]).as("keyCertSign").isTrue();
        assertThat(device.certificate().getBasicConstraints()).isEqualTo(-1);
        assertThat(device.certificate().getKeyUsage()[0]).as("digitalSignature").isTrue();
        assertThat(device.certificate().getExtendedKeyUsage()).containsExactly(CLIENT_AUTH);
        assertThat(device.certificate().getSubjectX500Principal().getName()).isEqualTo("CN=sensor-0042");
        assertThat(device.certificate().getIssuerX500Principal()).isEqualTo(line.certificate().getSubjectX500Principal());
        assertThat(device.certificate().getNotBefore().toInstant()).isEqualTo(NOW.minus(Duration.ofHours(1)));
        assertThat(device.certificate().getNotAfter().toInstant()).isEqualTo(NOW.plus(Duration.ofDays(30)));
        device.certificate().verify(line.certificate().getPublicKey());
        line.certificate().verify(root.certificate().getPublicKey());
    }

    @Test
    void keysAreEcByDefaultAndRsaOnRequest() {
        CaMaterial ec = CertificateBuilder.selfSignedDevice("ec").clock(CLOCK).issue();
        CaMaterial rsa = CertificateBuilder.selfSignedDevice("rsa").keyAlgorithm(KeyAlgorithm.RSA_2048).clock(CLOCK).issue();

        assertThat(ec.certificate().getSigAlgName()).isEqualTo("SHA256withECDSA");
        assertThat(rsa.certificate().getSigAlgName()).isEqualTo("SHA256withRSA");
        assertThat(rsa.privateKey().getFormat()).isEqualTo("PKCS#8");
    }

    @Test
    void aValidityPastTheLastDateACertificateCanHoldIsRefusedSayingSo() {
        assertThatThrownBy(() -> CertificateBuilder.rootCa("r").validity(Duration.ofDays(3_000_000)).clock(CLOCK).issue())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("after 9999-12-31T23:59:59Z, the last date a certificate can hold");
    }

    @Test
    void aCertificateNeverOutlivesItsIssuerUnlessDatesAreExplicit() {
        CaMaterial root = CertificateBuilder.rootCa("Short").validity(Duration.ofDays(10)).clock(CLOCK).issue();

        X509Certificate clamped = CertificateBuilder.device("d", root).validity(Duration.ofDays(365)).clock(CLOCK).issue().certificate();
        X509Certificate explicit = CertificateBuilder.device("d", root).clock(CLOCK)
                .validBetween(NOW, NOW.plus(Duration.ofDays(20))).issue().certificate();

        assertThat(clamped.getNotAfter()).isEqualTo(root.certificate().getNotAfter());
        assertThat(explicit.getNotAfter().toInstant()).isEqualTo(NOW.plus(Duration.ofDays(20)));
    }

    @Test
    void refusesNonsense() {
        CaMaterial root = CertificateBuilder.rootCa("Root").clock(CLOCK).issue();
        CaMaterial device = CertificateBuilder.device("d", root).clock(CLOCK).issue();

        assertThatThrownBy(() -> CertificateBuilder.device("x", device)).hasMessageContaining("is not a CA");
        assertThatThrownBy(() -> CertificateBuilder.device(" ", root)).hasMessageContaining("blank");
        assertThatThrownBy(() -> CertificateBuilder.device("d", root).pathLength(1)).hasMessageContaining("only a CA");
        assertThatThrownBy(() -> CertificateBuilder.rootCa("r").pathLength(-1)).hasMessageContaining("negative");
        assertThatThrownBy(() -> CertificateBuilder.rootCa("r").validity(Duration.ZERO)).hasMessageContaining("positive");
        assertThatThrownBy(() -> CertificateBuilder.rootCa("r").validBetween(NOW, NOW)).hasMessageContaining("after");
        assertThatThrownBy(() -> CertificateBuilder.device("d", root).clock(Clock.offset(CLOCK, Duration.ofDays(4000))).issue())
                .hasMessageContaining("expired");
        assertThatThrownBy(() -> KeyAlgorithm.parse("dsa")).hasMessageContaining("unknown key type");
    }

    @Test
    void aCommaInTheCommonNameAddsNoAttribute() {
        X509Certificate cert = CertificateBuilder.selfSignedDevice("a,O=Evil").clock(CLOCK).issue().certificate();

        assertThat(io.onramp.certs.x509.SubjectNames.commonName(cert)).contains("a,O=Evil");
        assertThat(cert.getSubjectX500Principal().getName()).doesNotContain(",O=Evil");
    }

    @Test
    void materialRoundTripsThroughPem() {
        CaMaterial device = CertificateBuilder.selfSignedDevice("pem").clock(CLOCK).issue();
        Path cert = dir.resolve("d.cert.pem");
        Path key = dir.resolve("d.key.pem");
        PemWriter.write(cert, PemWriter.toPem(device.certificate()), false);
        PemWriter.write(key, PemWriter.toPem(device.privateKey()), true);

        assertThat(PemReader.readCertificates(cert)).containsExactly(device.certificate());
        assertThat(PemReader.readPrivateKey(key)).isEqualTo(device.privateKey());
    }

    @Test
    void crlsListTheRevokedSerialsOfTheirOwnCaOnly() {
        PkiCatalogue pki = PkiCatalogue.builder().clock(CLOCK).build();

        assertThat(pki.intermediateCrl().isRevoked(pki.certificate(Name.REVOKED))).isTrue();
        assertThat(pki.intermediateCrl().isRevoked(pki.certificate(Name.LEAF))).isFalse();
        assertThat(pki.intermediateCrl().getNextUpdate().toInstant()).isEqualTo(NOW.plus(Duration.ofDays(7)));
        assertThatThrownBy(() -> CrlIssuer.issue(pki.material(Name.ROOT), List.of(pki.certificate(Name.LEAF)), NOW,
                NOW.plusSeconds(60))).hasMessageContaining("was not issued by");
    }
}
