package io.onramp.certs.x509;

import io.onramp.certs.ca.CaMaterial;
import io.onramp.certs.ca.KeyAlgorithm;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Certificates the production builder refuses to make: wrong key usages, missing basic
 * constraints, unknown critical extensions. Each test states exactly which extensions it wants.
 */
final class OddCertificates {

    private static final AtomicLong SERIAL = new AtomicLong(1000);

    private final X500Name subject;
    private final CaMaterial issuer;
    private final X509v3CertificateBuilder builder;
    private final KeyPair keys = KeyAlgorithm.EC_P256.generate();

    private OddCertificates(X500Name subject, CaMaterial issuer, Instant notBefore, Instant notAfter, BigInteger serial) {
        this.subject = subject;
        this.issuer = issuer;
        Date from = Date.from(notBefore);
        Date until = Date.from(notAfter);
        this.builder = issuer == null
                ? new JcaX509v3CertificateBuilder(subject, serial, from, until, subject, keys.getPublic())
                : new JcaX509v3CertificateBuilder(issuer.certificate(), serial, from, until, subject, keys.getPublic());
    }

    /** {@code subjectDn} like "CN=x"; {@code issuer} null for self-signed. */
    static OddCertificates of(String subjectDn, CaMaterial issuer, Instant notBefore, Instant notAfter) {
        return of(new X500Name(subjectDn), issuer, notBefore, notAfter);
    }

    static OddCertificates of(X500Name subject, CaMaterial issuer, Instant notBefore, Instant notAfter) {
        return new OddCertificates(subject, issuer, notBefore, notAfter, BigInteger.valueOf(SERIAL.incrementAndGet()));
    }

    /** Self-signed, with exactly this serial number. */
    static OddCertificates withSerial(BigInteger serial, Instant notBefore, Instant notAfter) {
        return new OddCertificates(new X500Name("CN=serial"), null, notBefore, notAfter, serial);
    }

    OddCertificates ca(Integer pathLength) {
        return ext(Extension.basicConstraints, true, pathLength == null ? new BasicConstraints(true) : new BasicConstraints(pathLength));
    }

    OddCertificates endEntity() {
        return ext(Extension.basicConstraints, true, new BasicConstraints(false));
    }

    OddCertificates keyUsage(int bits) {
        return ext(Extension.keyUsage, true, new KeyUsage(bits));
    }

    OddCertificates extendedKeyUsage(KeyPurposeId... purposes) {
        return ext(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purposes));
    }

    OddCertificates criticalUnknown() {
        return ext(new ASN1ObjectIdentifier("1.3.6.1.4.1.99999.1"), true, new DERUTF8String("unknown"));
    }

    OddCertificates ext(ASN1ObjectIdentifier oid, boolean critical, ASN1Encodable value) {
        try {
            builder.addExtension(oid, critical, value);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return this;
    }

    CaMaterial issue() {
        try {
            var signingKey = issuer == null ? keys.getPrivate() : issuer.privateKey();
            var signer = new JcaContentSignerBuilder(signingKey.getAlgorithm().startsWith("EC") ? "SHA256withECDSA"
                    : "SHA256withRSA").build(signingKey);
            X509Certificate cert = new JcaX509CertificateConverter().getCertificate(builder.build(signer));
            return new CaMaterial(cert, keys.getPrivate());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
