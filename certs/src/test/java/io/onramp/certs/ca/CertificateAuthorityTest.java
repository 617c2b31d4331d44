package io.onramp.certs.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class CertificateAuthorityTest {

    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final String BASIC_CONSTRAINTS = "2.5.29.19";
    private static final String KEY_USAGE = "2.5.29.15";

    private static CaMaterial root;
    private static CaMaterial server;

    @BeforeAll
    static void issue() {
        root = CertificateAuthority.createRoot("Test Root", Duration.ofDays(3650), CLOCK);
        server = CertificateAuthority.issueServer(root, "gateway.test",
                List.of("gateway.test", "127.0.0.7", "::1", "*.hubs.test"), Duration.ofDays(730), CLOCK);
    }

    @Test
    void rootIsASelfSignedCa() throws Exception {
        X509Certificate cert = root.certificate();

        cert.verify(cert.getPublicKey());
        assertThat(cert.getSubjectX500Principal().getName()).isEqualTo("CN=Test Root");
        assertThat(cert.getIssuerX500Principal()).isEqualTo(cert.getSubjectX500Principal());
        assertThat(cert.getBasicConstraints()).isGreaterThanOrEqualTo(0);
        assertThat(cert.getKeyUsage()[5]).as("keyCertSign").isTrue();
        assertThat(cert.getKeyUsage()[6]).as("cRLSign").isTrue();
        assertThat(cert.getKeyUsage()[0]).as("digitalSignature").isFalse();
        assertThat(cert.getCriticalExtensionOIDs()).contains(BASIC_CONSTRAINTS, KEY_USAGE);
        assertThat(cert.getExtensionValue(Extension.subjectKeyIdentifier.getId())).isNotNull();
        assertThat(cert.getPublicKey().getAlgorithm()).isEqualTo("EC");
        assertThat(cert.getSigAlgName()).isEqualTo("SHA256withECDSA");
    }

    @Test
    void rootIsBackdatedAnHour() {
        assertThat(root.certificate().getNotBefore().toInstant()).isEqualTo(NOW.minus(Duration.ofHours(1)));
        assertThat(root.certificate().getNotAfter().toInstant()).isEqualTo(NOW.plus(Duration.ofDays(3650)));
    }

    @Test
    void serialsArePositiveRandomAnd128BitsAtMost() {
        BigInteger first = root.certificate().getSerialNumber();
        BigInteger second = CertificateAuthority.createRoot("Other", Duration.ofDays(1)).certificate().getSerialNumber();

        assertThat(first.signum()).isPositive();
        assertThat(first.bitLength()).isLessThanOrEqualTo(128);
        assertThat(second).isNotEqualTo(first);
    }

    @Test
    void serverCertificateIsSignedByTheRoot() throws Exception {
        X509Certificate cert = server.certificate();

        cert.verify(root.certificate().getPublicKey());
        assertThat(cert.getIssuerX500Principal()).isEqualTo(root.certificate().getSubjectX500Principal());
        assertThat(cert.getSubjectX500Principal().getName()).isEqualTo("CN=gateway.test");
        assertThat(cert.getSigAlgName()).isEqualTo("SHA256withECDSA");
        assertThat(cert.getPublicKey().getAlgorithm()).isEqualTo("EC");
    }

    @Test
    void serverCertificateNamesDnsAndIpEntries() throws Exception {
        assertThat(server.certificate().getSubjectAlternativeNames()).containsExactlyInAnyOrder(
                List.of(2, "gateway.test"),
                List.of(7, "127.0.0.7"),
                List.of(7, "0:0:0:0:0:0:0:1"),
                List.of(2, "*.hubs.test"));
    }

    @Test
    void serverCertificateIsALeafForServerAndClientAuth() throws Exception {
        X509Certificate cert = server.certificate();

        assertThat(cert.getBasicConstraints()).isEqualTo(-1);
        assertThat(cert.getKeyUsage()[0]).as("digitalSignature").isTrue();
        assertThat(cert.getKeyUsage()[2]).as("keyEncipherment").isTrue();
        assertThat(cert.getKeyUsage()[5]).as("keyCertSign").isFalse();
        assertThat(cert.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2");
        assertThat(cert.getCriticalExtensionOIDs()).contains(BASIC_CONSTRAINTS, KEY_USAGE);
    }

    @Test
    void authorityKeyIdentifierMatchesTheRootSubjectKeyIdentifier() {
        byte[] aki = AuthorityKeyIdentifier.getInstance(octets(server.certificate(), Extension.authorityKeyIdentifier))
                .getKeyIdentifierOctets();
        byte[] ski = SubjectKeyIdentifier.getInstance(octets(root.certificate(), Extension.subjectKeyIdentifier))
                .getKeyIdentifier();

        assertThat(aki).isEqualTo(ski);
    }

    @Test
    void chainPassesJdkPkixValidation() throws Exception {
        CertificateFactory factory = CertificateFactory.getInstance("X.509");
        PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(root.certificate(), null)));
        parameters.setRevocationEnabled(false);
        parameters.setDate(Date.from(NOW));

        CertPathValidator.getInstance("PKIX")
                .validate(factory.generateCertPath(List.of(server.certificate())), parameters);
    }

    @Test
    void leafNeverOutlivesItsIssuer() {
        CaMaterial shortLived = CertificateAuthority.createRoot("Short", Duration.ofDays(10), CLOCK);
        CaMaterial leaf = CertificateAuthority.issueServer(shortLived, "x.test", List.of("x.test"),
                Duration.ofDays(730), CLOCK);

        assertThat(leaf.certificate().getNotAfter()).isEqualTo(shortLived.certificate().getNotAfter());
    }

    @Test
    void commonNameCannotInjectExtraNameParts() {
        CaMaterial ca = CertificateAuthority.createRoot("Acme, O=Evil", Duration.ofDays(1));

        assertThat(ca.certificate().getSubjectX500Principal().getName()).isEqualTo("CN=Acme\\, O\\=Evil");
    }

    @Test
    void refusesBadRequests() {
        assertThatThrownBy(() -> CertificateAuthority.issueServer(server, "x", List.of("x"), Duration.ofDays(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a CA");
        assertThatThrownBy(() -> CertificateAuthority.issueServer(root, "x", List.of(), Duration.ofDays(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CertificateAuthority.issueServer(root, "x", List.of(" "), Duration.ofDays(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CertificateAuthority.issueServer(root, "x", List.of("bad host"), Duration.ofDays(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CertificateAuthority.issueServer(root, "x", List.of("[::1]"), Duration.ofDays(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CertificateAuthority.issueServer(root, "x", List.of("fe80::1%eth0"), Duration.ofDays(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CertificateAuthority.issueServer(root, "x", List.of("x"), Duration.ofDays(1),
                Clock.fixed(root.certificate().getNotAfter().toInstant(), ZoneOffset.UTC)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expired");
        assertThatThrownBy(() -> CertificateAuthority.createRoot(" ", Duration.ofDays(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CertificateAuthority.createRoot("x", Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void toStringLeavesTheKeyOut() {
        assertThat(root.toString()).isEqualTo("CaMaterial[subject=CN=Test Root]");
    }

    private static byte[] octets(X509Certificate cert, org.bouncycastle.asn1.ASN1ObjectIdentifier oid) {
        return ASN1OctetString.getInstance(cert.getExtensionValue(oid.getId())).getOctets();
    }
}
