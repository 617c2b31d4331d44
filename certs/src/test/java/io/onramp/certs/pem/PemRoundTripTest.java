package io.onramp.certs.pem;

import static org.assertj.core.api.Assertions.assertThat;

import io.onramp.certs.ca.CaMaterial;
import io.onramp.certs.ca.CertificateAuthority;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.List;
import java.util.Base64;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X962Parameters;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PemRoundTripTest {

    private static CaMaterial ca;
    private static CaMaterial server;
    private static KeyPair ecKeys;
    private static KeyPair rsaKeys;

    @TempDir
    Path dir;

    @BeforeAll
    static void makeMaterial() throws GeneralSecurityException {
        ca = CertificateAuthority.createRoot("PEM test CA", Duration.ofDays(30));
        server = CertificateAuthority.issueServer(ca, "pem.test", List.of("pem.test"), Duration.ofDays(7));
        KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
        ec.initialize(new ECGenParameterSpec("secp256r1"));
        ecKeys = ec.generateKeyPair();
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        rsaKeys = rsa.generateKeyPair();
    }

    @Test
    void certificateChainSurvivesTheRoundTrip() {
        String pem = PemWriter.toPem(server.certificate(), ca.certificate());

        assertThat(PemReader.parseCertificates(pem)).containsExactly(server.certificate(), ca.certificate());
    }

    @Test
    void writesStandardPemBlocks() {
        String pem = PemWriter.toPem(ca.certificate());

        assertThat(pem).startsWith("-----BEGIN CERTIFICATE-----\n").endsWith("-----END CERTIFICATE-----\n");
        assertThat(pem.lines()).allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(64));
        assertThat(PemWriter.toPem(ecKeys.getPrivate())).startsWith("-----BEGIN PRIVATE KEY-----\n");
    }

    @Test
    void ecKeySurvivesThePkcs8RoundTrip() throws Exception {
        PrivateKey read = readBack(PemWriter.toPem(ecKeys.getPrivate()));

        assertThat(read.getEncoded()).isEqualTo(ecKeys.getPrivate().getEncoded());
        assertThat(signsFor(read, ecKeys.getPublic())).isTrue();
    }

    @Test
    void rsaKeySurvivesThePkcs8RoundTrip() throws Exception {
        PrivateKey read = readBack(PemWriter.toPem(rsaKeys.getPrivate()));

        assertThat(read.getEncoded()).isEqualTo(rsaKeys.getPrivate().getEncoded());
        assertThat(signsFor(read, rsaKeys.getPublic())).isTrue();
    }

    @Test
    void readsPkcs1RsaKeys() throws Exception {
        String pem = traditionalPem(rsaKeys.getPrivate());

        assertThat(pem).startsWith("-----BEGIN RSA PRIVATE KEY-----");
        assertThat(signsFor(readBack(pem), rsaKeys.getPublic())).isTrue();
    }

    @Test
    void readsSec1EcKeysEvenAfterAnOpensslParametersBlock() throws Exception {
        String pem = "-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n"
                + sec1Pem(ecKeys);

        assertThat(pem).contains("-----BEGIN EC PRIVATE KEY-----");
        assertThat(signsFor(readBack(pem), ecKeys.getPublic())).isTrue();
    }

    @Test
    void readsTheKeyAndTheCertificateOfACombinedFile() throws Exception {
        Path file = dir.resolve("combined.pem");
        Files.writeString(file, "subject=CN = pem.test\n" + PemWriter.toPem(server.certificate())
                + PemWriter.toPem(server.privateKey()));

        assertThat(PemReader.readCertificates(file)).containsExactly(server.certificate());
        assertThat(signsFor(PemReader.readPrivateKey(file), server.certificate().getPublicKey())).isTrue();
    }

    @Test
    void writesSecretFilesOwnerOnlyAndReplacesAtomically() throws IOException {
        Path key = dir.resolve("server.key");
        Path cert = dir.resolve("server.pem");
        Files.writeString(key, "old");

        PemWriter.write(key, PemWriter.toPem(server.privateKey()), true);
        PemWriter.write(cert, PemWriter.toPem(server.certificate()), false);

        assertThat(Files.readString(key, StandardCharsets.US_ASCII)).startsWith("-----BEGIN PRIVATE KEY-----");
        if (Files.getFileStore(dir).supportsFileAttributeView("posix")) {
            assertThat(permissions(key)).isEqualTo("rw-------");
            assertThat(permissions(cert)).isEqualTo("rw-r--r--");
        }
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("server.key", "server.pem");
        }
    }

    private PrivateKey readBack(String pem) throws IOException {
        Path file = dir.resolve("key.pem");
        Files.writeString(file, pem);
        return PemReader.readPrivateKey(file);
    }

    private static String traditionalPem(PrivateKey key) throws IOException {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            writer.writeObject(key);
        }
        return text.toString();
    }

    // As openssl writes it: curve parameters and public key inside the ECPrivateKey structure.
    private static String sec1Pem(KeyPair keys) throws IOException {
        ECPrivateKey sec1 = new ECPrivateKey(256, ((java.security.interfaces.ECPrivateKey) keys.getPrivate()).getS(),
                SubjectPublicKeyInfo.getInstance(keys.getPublic().getEncoded()).getPublicKeyData(),
                new X962Parameters(SECObjectIdentifiers.secp256r1));
        return "-----BEGIN EC PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(sec1.getEncoded())
                + "\n-----END EC PRIVATE KEY-----\n";
    }

    static boolean signsFor(PrivateKey key, PublicKey publicKey) throws GeneralSecurityException {
        String algorithm = "RSA".equals(key.getAlgorithm()) ? "SHA256withRSA" : "SHA256withECDSA";
        Signature signer = Signature.getInstance(algorithm);
        signer.initSign(key);
        signer.update(new byte[] {1, 2, 3});
        Signature verifier = Signature.getInstance(algorithm);
        verifier.initVerify(publicKey);
        verifier.update(new byte[] {1, 2, 3});
        return verifier.verify(signer.sign());
    }

    private static String permissions(Path file) throws IOException {
        return java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
    }
}
