package io.onramp.certs.x509;

import static org.assertj.core.api.Assertions.assertThat;

import io.onramp.certs.ca.CaMaterial;
import io.onramp.certs.ca.PkiCatalogue;
import io.onramp.certs.ca.PkiCatalogue.Name;
import java.math.BigInteger;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.Map;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Thumbprints, subject CNs and the certificate info block. */
class CertificateFactsTest {

    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-01T12:00:00Z"), ZoneOffset.UTC);
    static PkiCatalogue pki;

    @BeforeAll
    static void generate() {
        pki = PkiCatalogue.builder().deviceId("line7-plc-0042").clock(CLOCK).build();
    }

    @Test
    void thumbprintsAreUpperCaseHexDigestsOfTheDer() throws Exception {
        var cert = pki.certificate(Name.LEAF);
        HexFormat hex = HexFormat.of().withUpperCase();

        assertThat(Thumbprints.sha1(cert)).hasSize(40).matches("[0-9A-F]+")
                .isEqualTo(hex.formatHex(MessageDigest.getInstance("SHA-1").digest(cert.getEncoded())));
        assertThat(Thumbprints.sha256(cert)).hasSize(64).matches("[0-9A-F]+")
                .isEqualTo(hex.formatHex(MessageDigest.getInstance("SHA-256").digest(cert.getEncoded())));
    }

    @Test
    void thumbprintsMatchEitherDigestIgnoringCaseAndSeparators() {
        var cert = pki.certificate(Name.SELF_SIGNED);
        String sha1 = Thumbprints.sha1(cert);
        String sha256 = Thumbprints.sha256(cert);

        assertThat(Thumbprints.matches(cert, sha1)).isTrue();
        assertThat(Thumbprints.matches(cert, sha256.toLowerCase())).isTrue();
        assertThat(Thumbprints.matches(cert, sha1.replaceAll("(..)(?!$)", "$1:"))).isTrue();
    }

    @Test
    void thumbprintsOfOtherCertificatesOrGarbageDoNotMatch() {
        var cert = pki.certificate(Name.SELF_SIGNED);

        assertThat(Thumbprints.matches(cert, Thumbprints.sha1(pki.certificate(Name.LEAF)))).isFalse();
        assertThat(Thumbprints.matches(cert, Thumbprints.sha256(pki.certificate(Name.LEAF)))).isFalse();
        assertThat(Thumbprints.matches(cert, null)).isFalse();
        assertThat(Thumbprints.matches(cert, "")).isFalse();
        assertThat(Thumbprints.matches(cert, Thumbprints.sha1(cert).substring(2))).isFalse();
    }

    @Test
    void commonNameIsTheRegistrationId() {
        assertThat(SubjectNames.commonName(pki.certificate(Name.LEAF))).contains("line7-plc-0042");
        assertThat(SubjectNames.commonNameEquals(pki.certificate(Name.LEAF), "line7-plc-0042")).isTrue();
        assertThat(SubjectNames.commonNameEquals(pki.certificate(Name.LEAF), "LINE7-PLC-0042")).as("case-sensitive").isFalse();
        assertThat(SubjectNames.commonNameEquals(pki.certificate(Name.WRONG_CN), "line7-plc-0042")).isFalse();
        assertThat(SubjectNames.commonNameEquals(pki.certificate(Name.LEAF), null)).isFalse();
    }

    @Test
    void commonNameIsReadFromTheEncodingNotTheDisplayText() {
        Instant from = CLOCK.instant().minusSeconds(60);
        Instant until = CLOCK.instant().plusSeconds(3600);
        CaMaterial escaped = OddCertificates.of(new X500NameBuilder(BCStyle.INSTANCE)
                .addRDN(BCStyle.C, "DE").addRDN(BCStyle.CN, "a,CN=admin").build(), null, from, until).issue();
        CaMaterial multiValued = OddCertificates.of("CN=one+CN=two", null, from, until).issue();
        CaMaterial twoRdns = OddCertificates.of("CN=one,CN=two", null, from, until).issue();
        CaMaterial noCn = OddCertificates.of("O=Contoso,C=DE", null, from, until).issue();

        assertThat(SubjectNames.commonName(escaped.certificate())).contains("a,CN=admin");
        assertThat(SubjectNames.commonName(multiValued.certificate())).as("ambiguous").isEmpty();
        assertThat(SubjectNames.commonName(twoRdns.certificate())).as("ambiguous").isEmpty();
        assertThat(SubjectNames.commonName(noCn.certificate())).isEmpty();
    }

    @Test
    void infoHasAllEightFieldsInTheSpecsFormat() {
        var cert = pki.certificate(Name.LEAF);

        CertificateInfo info = CertificateInfo.of(cert);

        assertThat(info.subjectName()).isEqualTo("CN=line7-plc-0042");
        assertThat(info.issuerName()).isEqualTo("CN=Onramp Test Intermediate");
        assertThat(info.sha1Thumbprint()).isEqualTo(Thumbprints.sha1(cert));
        assertThat(info.sha256Thumbprint()).isEqualTo(Thumbprints.sha256(cert));
        assertThat(info.notBeforeUtc()).isEqualTo(cert.getNotBefore().toInstant());
        assertThat(info.notAfterUtc()).isEqualTo(cert.getNotAfter().toInstant());
        assertThat(info.serialNumber()).matches("([0-9A-F]{2})+");
        assertThat(info.version()).isEqualTo(3);
    }

    @Test
    void serialNumbersKeepTheirLeadingZeroBytesAsAzureShowsThem() {
        Instant from = CLOCK.instant().minusSeconds(60);
        BigInteger lowFirstByte = new BigInteger("0CECE4E9479076DC66F9DDF78EAC8903", 16);
        BigInteger highBitSet = new BigInteger("8ACE4E9479076DC66F9DDF78EAC89031", 16);

        String low = CertificateInfo.of(OddCertificates.withSerial(lowFirstByte, from, from.plusSeconds(60)).issue()
                .certificate()).serialNumber();
        String high = CertificateInfo.of(OddCertificates.withSerial(highBitSet, from, from.plusSeconds(60)).issue()
                .certificate()).serialNumber();

        // The DER integer's bytes, as .NET's X509Certificate2.SerialNumber: 0x8A... is encoded after a 00 byte.
        assertThat(low).isEqualTo("0CECE4E9479076DC66F9DDF78EAC8903");
        assertThat(high).isEqualTo("008ACE4E9479076DC66F9DDF78EAC89031");
        assertThat(CertificateInfo.serialNumber(BigInteger.ONE)).isEqualTo("01");
    }

    @Test
    void infoJsonMapUsesIsoDatesAndANumericVersion() {
        Map<String, Object> json = CertificateInfo.of(pki.certificate(Name.ROOT)).toJsonMap();

        assertThat(json).containsOnlyKeys("subjectName", "sha1Thumbprint", "sha256Thumbprint", "issuerName",
                "notBeforeUtc", "notAfterUtc", "serialNumber", "version");
        assertThat(json.keySet()).first().isEqualTo("subjectName");
        assertThat((String) json.get("notBeforeUtc")).isEqualTo("2026-03-01T11:00:00Z");
        assertThat(json.get("version")).isEqualTo(3);
    }

    @Test
    void infoNamesListTheMostSpecificAttributeFirst() {
        Instant from = CLOCK.instant().minusSeconds(60);
        CaMaterial named = OddCertificates.of("C=DE,O=Contoso,CN=line7-plc-0042", null, from, from.plusSeconds(3600)).issue();

        assertThat(CertificateInfo.of(named.certificate()).subjectName()).isEqualTo("CN=line7-plc-0042, O=Contoso, C=DE");
    }
}
