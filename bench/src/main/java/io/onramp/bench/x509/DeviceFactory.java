package io.onramp.bench.x509;

import io.onramp.certs.ca.CaMaterial;
import io.onramp.certs.ca.CertificateBuilder;
import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.generators.ECKeyPairGenerator;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.ECNamedDomainParameters;
import org.bouncycastle.crypto.params.ECKeyGenerationParameters;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.crypto.util.PrivateKeyInfoFactory;
import org.bouncycastle.crypto.util.SubjectPublicKeyInfoFactory;
import org.bouncycastle.operator.DefaultDigestAlgorithmIdentifierFinder;
import org.bouncycastle.operator.DefaultSignatureAlgorithmIdentifierFinder;
import org.bouncycastle.operator.bc.BcECContentSignerBuilder;

/**
 * The bench's PKI: a root (the enrollment group's signing certificate and s_server's CA file), an
 * intermediate under it, and any number of distinct ECDSA P-256 device certificates under the
 * intermediate, each with its own key. Devices are made with BouncyCastle's fixed-curve code (tens
 * of thousands a minute), all before a round starts.
 */
final class DeviceFactory {

    /** A device: its registration ID (the CN), its key, and the chain it sends: leaf, intermediate. */
    record Device(String registrationId, PrivateKey key, X509Certificate[] chain) {}

    private static final X9ECParameters P256 = CustomNamedCurves.getByName("secp256r1");

    private final CaMaterial root;
    private final CaMaterial intermediate;
    private final AsymmetricKeyParameter intermediateKey;
    private final X500Name intermediateName;
    private final String prefix;
    private final AtomicLong serial = new AtomicLong(1);
    private final ECKeyPairGenerator keys = new ECKeyPairGenerator();
    private final AlgorithmIdentifier signatureAlgorithm =
            new DefaultSignatureAlgorithmIdentifierFinder().find("SHA256withECDSA");
    private final AlgorithmIdentifier digestAlgorithm =
            new DefaultDigestAlgorithmIdentifierFinder().find(signatureAlgorithm);
    private final KeyFactory keyFactory;
    private final CertificateFactory certificateFactory;

    DeviceFactory(String prefix) throws Exception {
        this.prefix = prefix;
        this.root = CertificateBuilder.rootCa("Onramp X509 Bench Root").issue();
        this.intermediate = CertificateBuilder.intermediateCa("Onramp X509 Bench Line", root).issue();
        this.intermediateKey = PrivateKeyFactory.createKey(intermediate.privateKey().getEncoded());
        this.intermediateName = X500Name.getInstance(intermediate.certificate().getSubjectX500Principal().getEncoded());
        this.keys.init(new ECKeyGenerationParameters(
                new ECNamedDomainParameters(SECObjectIdentifiers.secp256r1, P256), new SecureRandom()));
        this.keyFactory = KeyFactory.getInstance("EC");
        this.certificateFactory = CertificateFactory.getInstance("X.509");
    }

    X509Certificate root() {
        return root.certificate();
    }

    /** Devices with new registration IDs, so every registration is a new device at the gateway. */
    Device[] devices(int count) throws Exception {
        Device[] devices = new Device[count];
        Instant now = Instant.now();
        for (int i = 0; i < count; i++) {
            devices[i] = device(prefix + "-" + serial.get(), now);
        }
        return devices;
    }

    private Device device(String registrationId, Instant now) throws Exception {
        AsymmetricCipherKeyPair pair = keys.generateKeyPair();
        X509v3CertificateBuilder builder = new X509v3CertificateBuilder(intermediateName,
                BigInteger.valueOf(serial.getAndIncrement()), Date.from(now.minus(Duration.ofHours(1))),
                Date.from(now.plus(Duration.ofDays(2))), new X500Name("CN=" + registrationId),
                SubjectPublicKeyInfoFactory.createSubjectPublicKeyInfo(pair.getPublic()));
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
        builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth));
        byte[] der = builder.build(new BcECContentSignerBuilder(signatureAlgorithm, digestAlgorithm).build(intermediateKey))
                .getEncoded();
        X509Certificate leaf = (X509Certificate) certificateFactory.generateCertificate(new ByteArrayInputStream(der));
        PrivateKey key = privateKey(PrivateKeyInfoFactory.createPrivateKeyInfo(pair.getPrivate()).getEncoded());
        return new Device(registrationId, key, new X509Certificate[] {leaf, intermediate.certificate()});
    }

    private PrivateKey privateKey(byte[] pkcs8) throws GeneralSecurityException {
        return keyFactory.generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
    }
}
