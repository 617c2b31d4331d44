package io.onramp.certs.ca;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Objects;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;

/**
 * Issues the certificates a factory needs for X.509 attestation: root and intermediate CAs,
 * device certificates (issued or self-signed, CN = registration ID, EKU clientAuth) and
 * proof-of-possession verification certificates. Each call makes a fresh key pair.
 *
 * <pre>{@code
 * CaMaterial root = CertificateBuilder.rootCa("Factory Root").validity(Duration.ofDays(3650)).issue();
 * CaMaterial line = CertificateBuilder.intermediateCa("Line 7", root).pathLength(0).issue();
 * CaMaterial device = CertificateBuilder.device("sensor-0042", line).keyAlgorithm(KeyAlgorithm.RSA_2048).issue();
 * }</pre>
 *
 * Without explicit dates a certificate starts an hour before {@code clock} (devices with slow clocks)
 * and never outlives its issuer. Not thread-safe; {@link #issue()} may be called more than once.
 */
public final class CertificateBuilder {

    private enum Kind {
        ROOT(Duration.ofDays(3650)),
        INTERMEDIATE(Duration.ofDays(1825)),
        DEVICE(Duration.ofDays(365)),
        VERIFICATION(Duration.ofDays(1));

        final Duration defaultValidity;

        Kind(Duration defaultValidity) {
            this.defaultValidity = defaultValidity;
        }

        boolean isCa() {
            return this == ROOT || this == INTERMEDIATE;
        }
    }

    private final Kind kind;
    private final String commonName;
    private final CaMaterial issuer;
    private Duration validity;
    private Clock clock = Clock.systemUTC();
    private Instant notBefore;
    private Instant notAfter;
    private KeyAlgorithm keyAlgorithm = KeyAlgorithm.DEFAULT;
    private Integer pathLength;

    private CertificateBuilder(Kind kind, String commonName, CaMaterial issuer) {
        CertificateAuthority.commonNameOnly(commonName);
        if (issuer != null && issuer.certificate().getBasicConstraints() < 0) {
            throw new IllegalArgumentException("issuer " + issuer.certificate().getSubjectX500Principal() + " is not a CA");
        }
        this.kind = kind;
        this.commonName = commonName;
        this.issuer = issuer;
        this.validity = kind.defaultValidity;
    }

    /** A self-signed CA. */
    public static CertificateBuilder rootCa(String commonName) {
        return new CertificateBuilder(Kind.ROOT, commonName, null);
    }

    /** A CA signed by {@code issuer} (a root or another intermediate). */
    public static CertificateBuilder intermediateCa(String commonName, CaMaterial issuer) {
        return new CertificateBuilder(Kind.INTERMEDIATE, commonName, Objects.requireNonNull(issuer, "issuer"));
    }

    /** A device (TLS client) certificate signed by {@code issuer}; the CN is the registration ID. */
    public static CertificateBuilder device(String registrationId, CaMaterial issuer) {
        return new CertificateBuilder(Kind.DEVICE, registrationId, Objects.requireNonNull(issuer, "issuer"));
    }

    /** A self-signed device certificate, for individual enrollments matched by thumbprint. */
    public static CertificateBuilder selfSignedDevice(String registrationId) {
        return new CertificateBuilder(Kind.DEVICE, registrationId, null);
    }

    /**
     * The throw-away certificate that proves possession of {@code ca}'s private key: CN = the
     * verification code the server handed out, signed by the CA (dps-service-api §11.3).
     */
    public static CertificateBuilder verification(String verificationCode, CaMaterial ca) {
        return new CertificateBuilder(Kind.VERIFICATION, verificationCode, Objects.requireNonNull(ca, "ca"));
    }

    public CertificateBuilder validity(Duration validity) {
        if (validity == null || validity.isNegative() || validity.isZero()) {
            throw new IllegalArgumentException("validity must be positive");
        }
        this.validity = validity;
        return this;
    }

    /** "Now" for the default validity window and the issuer expiry check. */
    public CertificateBuilder clock(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        return this;
    }

    /** Explicit dates, e.g. for expired or not-yet-valid fixtures; they win over {@link #validity}. */
    public CertificateBuilder validBetween(Instant notBefore, Instant notAfter) {
        if (!Objects.requireNonNull(notAfter, "notAfter").isAfter(Objects.requireNonNull(notBefore, "notBefore"))) {
            throw new IllegalArgumentException("notAfter must be after notBefore");
        }
        this.notBefore = notBefore;
        this.notAfter = notAfter;
        return this;
    }

    public CertificateBuilder keyAlgorithm(KeyAlgorithm keyAlgorithm) {
        this.keyAlgorithm = Objects.requireNonNull(keyAlgorithm, "keyAlgorithm");
        return this;
    }

    /** The basic-constraints path length of a CA: how many intermediates may follow it. */
    public CertificateBuilder pathLength(int pathLength) {
        if (!kind.isCa()) {
            throw new IllegalArgumentException("only a CA certificate has a path length");
        }
        if (pathLength < 0) {
            throw new IllegalArgumentException("path length must not be negative");
        }
        this.pathLength = pathLength;
        return this;
    }

    /** The last notAfter an X.509 certificate can hold (GeneralizedTime has four-digit years, RFC 5280 4.1.2.5). */
    public static final Instant LAST_NOT_AFTER = Instant.parse("9999-12-31T23:59:59Z");

    public CaMaterial issue() {
        KeyPair keys = keyAlgorithm.generate();
        X500Name subject = CertificateAuthority.commonNameOnly(commonName);
        Instant now = clock.instant();
        Instant from = notBefore != null ? notBefore : now.minus(CertificateAuthority.BACKDATE);
        Instant until = notAfter != null ? notAfter : now.plus(validity);
        if (until.isAfter(LAST_NOT_AFTER)) {
            throw new IllegalArgumentException("the validity would end at " + until + ", after " + LAST_NOT_AFTER
                    + ", the last date a certificate can hold");
        }
        BigInteger serial = CertificateAuthority.newSerial();
        X509v3CertificateBuilder builder;
        PrivateKey signingKey;
        JcaX509ExtensionUtils utils = CertificateAuthority.extensionUtils();
        if (issuer == null) {
            builder = new JcaX509v3CertificateBuilder(subject, serial, Date.from(from), Date.from(until),
                    subject, keys.getPublic());
            signingKey = keys.getPrivate();
        } else {
            X509Certificate issuerCert = issuer.certificate();
            Instant issuerNotAfter = issuerCert.getNotAfter().toInstant();
            if (!issuerNotAfter.isAfter(now)) {
                throw new IllegalArgumentException("issuer certificate expired at " + issuerNotAfter);
            }
            if (notAfter == null && until.isAfter(issuerNotAfter)) {
                until = issuerNotAfter;
            }
            // The issuer's own encoded subject, so name chaining compares identical bytes.
            builder = new JcaX509v3CertificateBuilder(issuerCert, serial, Date.from(from), Date.from(until),
                    subject, keys.getPublic());
            signingKey = issuer.privateKey();
            CertificateAuthority.add(builder, Extension.authorityKeyIdentifier, false,
                    CertificateAuthority.authorityKeyId(issuerCert, utils));
        }
        CertificateAuthority.add(builder, Extension.subjectKeyIdentifier, false,
                utils.createSubjectKeyIdentifier(keys.getPublic()));
        addProfile(builder);
        return new CaMaterial(CertificateAuthority.sign(builder, signingKey), keys.getPrivate());
    }

    private void addProfile(X509v3CertificateBuilder builder) {
        if (kind.isCa()) {
            BasicConstraints constraints = pathLength == null ? new BasicConstraints(true) : new BasicConstraints(pathLength);
            CertificateAuthority.add(builder, Extension.basicConstraints, true, constraints);
            CertificateAuthority.add(builder, Extension.keyUsage, true,
                    new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature));
            return;
        }
        CertificateAuthority.add(builder, Extension.basicConstraints, true, new BasicConstraints(false));
        CertificateAuthority.add(builder, Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
        if (kind == Kind.DEVICE) {
            CertificateAuthority.add(builder, Extension.extendedKeyUsage, false,
                    new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth));
        }
    }
}
