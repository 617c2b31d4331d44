package io.onramp.certs.ca;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Creates a root CA and issues TLS server certificates from it, with EC P-256 keys. Issued
 * certificates are JDK objects, so they go straight into JSSE and PKIX. Thread-safe.
 */
public final class CertificateAuthority {

    // A private instance: registering BouncyCastle globally would change every other JCA lookup.
    static final Provider BC = new BouncyCastleProvider();
    static final SecureRandom RANDOM = new SecureRandom();
    /** Tolerates clients whose clocks run a little behind ours. */
    static final Duration BACKDATE = Duration.ofHours(1);

    private CertificateAuthority() {
    }

    public static CaMaterial createRoot(String commonName, Duration validity) {
        return createRoot(commonName, validity, Clock.systemUTC());
    }

    /** A self-signed CA; {@code clock} sets the validity window (useful for expired fixtures). */
    public static CaMaterial createRoot(String commonName, Duration validity, Clock clock) {
        requirePositive(validity);
        KeyPair keys = newEcKeyPair();
        X500Name subject = commonNameOnly(commonName);
        Instant now = clock.instant();
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                subject, newSerial(), Date.from(now.minus(BACKDATE)), Date.from(now.plus(validity)),
                subject, keys.getPublic());
        JcaX509ExtensionUtils utils = extensionUtils();
        add(builder, Extension.basicConstraints, true, new BasicConstraints(true));
        add(builder, Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        add(builder, Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(keys.getPublic()));
        return new CaMaterial(sign(builder, keys.getPrivate()), keys.getPrivate());
    }

    public static CaMaterial issueServer(CaMaterial issuer, String commonName, List<String> hostNames,
            Duration validity) {
        return issueServer(issuer, commonName, hostNames, validity, Clock.systemUTC());
    }

    /**
     * A TLS server (and client) certificate for {@code hostNames}: IP literals become IP SANs,
     * the rest DNS SANs. It never outlives its issuer: a leaf past its CA is useless anyway.
     */
    public static CaMaterial issueServer(CaMaterial issuer, String commonName, List<String> hostNames,
            Duration validity, Clock clock) {
        Objects.requireNonNull(issuer, "issuer");
        requirePositive(validity);
        if (hostNames == null || hostNames.isEmpty()) {
            throw new IllegalArgumentException("a server certificate needs at least one host name");
        }
        X509Certificate issuerCert = issuer.certificate();
        if (issuerCert.getBasicConstraints() < 0) {
            throw new IllegalArgumentException("issuer certificate is not a CA");
        }
        Instant now = clock.instant();
        Instant issuerNotAfter = issuerCert.getNotAfter().toInstant();
        if (!issuerNotAfter.isAfter(now)) {
            throw new IllegalArgumentException("issuer certificate expired at " + issuerNotAfter);
        }
        KeyPair keys = newEcKeyPair();
        Instant notAfter = now.plus(validity);
        if (notAfter.isAfter(issuerNotAfter)) {
            notAfter = issuerNotAfter;
        }
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                issuerCert, newSerial(), Date.from(now.minus(BACKDATE)), Date.from(notAfter),
                commonNameOnly(commonName), keys.getPublic());
        JcaX509ExtensionUtils utils = extensionUtils();
        add(builder, Extension.basicConstraints, true, new BasicConstraints(false));
        add(builder, Extension.keyUsage, true,
                new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
        add(builder, Extension.extendedKeyUsage, false, new ExtendedKeyUsage(
                new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
        add(builder, Extension.subjectAlternativeName, false, SubjectAltNames.of(hostNames));
        add(builder, Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(keys.getPublic()));
        add(builder, Extension.authorityKeyIdentifier, false, authorityKeyId(issuerCert, utils));
        return new CaMaterial(sign(builder, issuer.privateKey()), keys.getPrivate());
    }

    // Key identifier only, copied from the issuer's SKI so that chain building matches exactly;
    // issuer name and serial are left out so a re-issued CA certificate with the same key still chains.
    static AuthorityKeyIdentifier authorityKeyId(X509Certificate issuerCert, JcaX509ExtensionUtils utils) {
        byte[] extension = issuerCert.getExtensionValue(Extension.subjectKeyIdentifier.getId());
        byte[] keyId = extension != null
                ? SubjectKeyIdentifier.getInstance(ASN1OctetString.getInstance(extension).getOctets()).getKeyIdentifier()
                : utils.createSubjectKeyIdentifier(issuerCert.getPublicKey()).getKeyIdentifier();
        return new AuthorityKeyIdentifier(keyId);
    }

    static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey signingKey) {
        try {
            ContentSigner signer = new JcaContentSignerBuilder(Signing.algorithmFor(signingKey))
                    .setProvider(BC)
                    .build(signingKey);
            return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
        } catch (OperatorCreationException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign certificate", e);
        }
    }

    private static KeyPair newEcKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java runtime must provide EC P-256", e);
        }
    }

    // RFC 5280 4.1.2.2: positive, at most 20 octets; 128 random bits make collisions moot.
    static BigInteger newSerial() {
        BigInteger serial;
        do {
            serial = new BigInteger(128, RANDOM);
        } while (serial.signum() == 0);
        return serial;
    }

    // Built attribute by attribute, so a comma or '=' in the name cannot add RDNs.
    static X500Name commonNameOnly(String commonName) {
        if (commonName == null || commonName.isBlank()) {
            throw new IllegalArgumentException("common name must not be blank");
        }
        return new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, commonName).build();
    }

    static JcaX509ExtensionUtils extensionUtils() {
        try {
            return new JcaX509ExtensionUtils();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime must provide SHA-1", e);
        }
    }

    static void add(X509v3CertificateBuilder builder, ASN1ObjectIdentifier oid, boolean critical,
            ASN1Encodable value) {
        try {
            builder.addExtension(oid, critical, value);
        } catch (CertIOException e) {
            throw new IllegalStateException("cannot encode extension " + oid, e);
        }
    }

    private static void requirePositive(Duration validity) {
        if (validity == null || validity.isNegative() || validity.isZero()) {
            throw new IllegalArgumentException("validity must be positive");
        }
    }
}
