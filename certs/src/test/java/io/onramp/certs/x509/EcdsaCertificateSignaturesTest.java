package io.onramp.certs.x509;

import static org.assertj.core.api.Assertions.assertThat;

import io.onramp.certs.ca.CaMaterial;
import io.onramp.certs.ca.CertificateBuilder;
import io.onramp.certs.ca.KeyAlgorithm;
import io.onramp.certs.x509.EcdsaCertificateSignatures.Verdict;
import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Certificate;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The fast ECDSA path agrees with the JDK on every verdict it gives, and hands back what it does not handle. */
class EcdsaCertificateSignaturesTest {

    static CaMaterial root;
    static CaMaterial intermediate;
    static CaMaterial otherIntermediate;

    final EcdsaCertificateSignatures signatures = new EcdsaCertificateSignatures(16);

    @BeforeAll
    static void pki() {
        root = CertificateBuilder.rootCa("Fast Root").issue();
        intermediate = CertificateBuilder.intermediateCa("Fast Intermediate", root).issue();
        otherIntermediate = CertificateBuilder.intermediateCa("Fast Intermediate", root).issue();
    }

    @Test
    void leavesOfOneIntermediateAgreeWithTheJdkAndShareOneDecodedKey() {
        for (int i = 0; i < 20; i++) {
            X509Certificate leaf = CertificateBuilder.device("device-" + i, intermediate).issue().certificate();
            assertThat(signatures.verify(leaf, intermediate.certificate().getPublicKey())).isEqualTo(Verdict.VALID);
            assertThat(jdkVerifies(leaf, intermediate.certificate().getPublicKey())).isTrue();
            assertThat(signatures.verify(leaf, otherIntermediate.certificate().getPublicKey())).isEqualTo(Verdict.INVALID);
            assertThat(jdkVerifies(leaf, otherIntermediate.certificate().getPublicKey())).isFalse();
        }
        assertThat(signatures.cachedKeys()).isEqualTo(2);
    }

    @Test
    void anIntermediateUnderItsRoot() {
        assertThat(signatures.verify(intermediate.certificate(), root.certificate().getPublicKey())).isEqualTo(Verdict.VALID);
        assertThat(signatures.verify(root.certificate(), intermediate.certificate().getPublicKey()))
                .isEqualTo(Verdict.INVALID);
    }

    @Test
    void aChangedSignatureValue() throws Exception {
        X509Certificate leaf = CertificateBuilder.device("tampered", intermediate).issue().certificate();
        ASN1Sequence rs = ASN1Sequence.getInstance(leaf.getSignature());
        BigInteger s = ASN1Integer.getInstance(rs.getObjectAt(1)).getValue();
        X509Certificate tampered = withSignature(leaf, new DERSequence(new ASN1Integer[] {
                ASN1Integer.getInstance(rs.getObjectAt(0)), new ASN1Integer(s.add(BigInteger.ONE))}).getEncoded());

        assertThat(signatures.verify(tampered, intermediate.certificate().getPublicKey())).isEqualTo(Verdict.INVALID);
        assertThat(jdkVerifies(tampered, intermediate.certificate().getPublicKey())).isFalse();
    }

    @Test
    void aSignatureThatIsNotDerIsRefused() throws Exception {
        X509Certificate leaf = CertificateBuilder.device("ber", intermediate).issue().certificate();
        byte[] der = leaf.getSignature();
        // The same two integers under a long-form length: valid BER, not DER.
        byte[] ber = new byte[der.length + 1];
        ber[0] = 0x30;
        ber[1] = (byte) 0x81;
        ber[2] = der[1];
        System.arraycopy(der, 2, ber, 3, der.length - 2);
        X509Certificate reencoded = withSignature(leaf, ber);

        assertThat(signatures.verify(reencoded, intermediate.certificate().getPublicKey())).isEqualTo(Verdict.INVALID);
    }

    @Test
    void zeroOrOutOfRangeIntegersAreRefused() throws Exception {
        X509Certificate leaf = CertificateBuilder.device("zero", intermediate).issue().certificate();
        byte[] zeros = new DERSequence(new ASN1Integer[] {new ASN1Integer(0), new ASN1Integer(0)}).getEncoded();
        byte[] negative = new DERSequence(new ASN1Integer[] {new ASN1Integer(-1), new ASN1Integer(-1)}).getEncoded();

        assertThat(signatures.verify(withSignature(leaf, zeros), intermediate.certificate().getPublicKey()))
                .isEqualTo(Verdict.INVALID);
        assertThat(signatures.verify(withSignature(leaf, negative), intermediate.certificate().getPublicKey()))
                .isEqualTo(Verdict.INVALID);
    }

    @Test
    void p384WithSha384() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp384r1"));
        KeyPair issuer = generator.generateKeyPair();
        KeyPair subject = generator.generateKeyPair();
        X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(
                new X500Name("CN=P-384 CA"), BigInteger.TEN, Date.from(Instant.now().minusSeconds(60)),
                Date.from(Instant.now().plusSeconds(3600)), new X500Name("CN=p384-device"), subject.getPublic())
                .build(new JcaContentSignerBuilder("SHA384withECDSA").build(issuer.getPrivate())));

        assertThat(signatures.verify(certificate, issuer.getPublic())).isEqualTo(Verdict.VALID);
        assertThat(signatures.verify(certificate, subject.getPublic())).isEqualTo(Verdict.INVALID);
    }

    @Test
    void rsaIsLeftToTheJdk() {
        CaMaterial rsaRoot = CertificateBuilder.rootCa("RSA Root").keyAlgorithm(KeyAlgorithm.RSA_2048).issue();
        CaMaterial underRsa = CertificateBuilder.intermediateCa("EC under RSA", rsaRoot).issue();
        X509Certificate rsaLeaf = CertificateBuilder.device("rsa-leaf", intermediate).keyAlgorithm(KeyAlgorithm.RSA_2048)
                .issue().certificate();

        assertThat(signatures.verify(underRsa.certificate(), rsaRoot.certificate().getPublicKey()))
                .isEqualTo(Verdict.NOT_HANDLED);
        // An RSA subject key under an EC issuer is still an ECDSA signature: handled.
        assertThat(signatures.verify(rsaLeaf, intermediate.certificate().getPublicKey())).isEqualTo(Verdict.VALID);
    }

    private static boolean jdkVerifies(X509Certificate certificate, PublicKey key) {
        try {
            certificate.verify(key);
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static X509Certificate withSignature(X509Certificate original, byte[] signature) throws Exception {
        Certificate parsed = Certificate.getInstance(original.getEncoded());
        ASN1EncodableVector fields = new ASN1EncodableVector();
        fields.add(parsed.getTBSCertificate());
        fields.add(parsed.getSignatureAlgorithm());
        fields.add(new DERBitString(signature));
        byte[] encoded = new DERSequence(fields).getEncoded();
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(encoded));
    }
}
