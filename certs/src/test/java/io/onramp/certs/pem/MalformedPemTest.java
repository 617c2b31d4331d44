package io.onramp.certs.pem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.onramp.certs.ca.CaMaterial;
import io.onramp.certs.ca.CertificateAuthority;
import io.onramp.certs.error.CertsException;
import io.onramp.certs.error.CertsException.Reason;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.jcajce.JcaMiscPEMGenerator;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcePEMEncryptorBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MalformedPemTest {

    private static CaMaterial ca;

    @TempDir
    Path dir;

    @BeforeAll
    static void makeMaterial() {
        ca = CertificateAuthority.createRoot("PEM test CA", Duration.ofDays(30));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "",
        "just some text",
        "-----BEGIN CERTIFICATE-----\n!!!not base64!!!\n-----END CERTIFICATE-----\n",
        "-----BEGIN CERTIFICATE-----\nAAECAwQFBgcICQoL\n-----END CERTIFICATE-----\n",
        "-----BEGIN CERTIFICATE-----\nMIIB\n",
        "-----BEGIN SOMETHING ODD-----\nAAECAwQFBgcICQoL\n-----END SOMETHING ODD-----\n",
        "-----BEGIN PUBLIC KEY-----\nAAECAwQFBgcICQoL\n-----END PUBLIC KEY-----\n",
    })
    void rejectsTextWithoutAReadableCertificate(String pem) {
        assertThatThrownBy(() -> PemReader.parseCertificates(pem))
                .isInstanceOfSatisfying(CertsException.class, e -> assertThat(e.reason()).isEqualTo(Reason.MALFORMED));
    }

    @Test
    void rejectsATruncatedCertificate() {
        String pem = PemWriter.toPem(ca.certificate());
        String truncated = pem.substring(0, pem.length() / 2) + "\n-----END CERTIFICATE-----\n";

        assertThatThrownBy(() -> PemReader.parseCertificates(truncated))
                .isInstanceOfSatisfying(CertsException.class, e -> assertThat(e.reason()).isEqualTo(Reason.MALFORMED));
    }

    @Test
    void rejectsAKeyFileWithoutAKey() throws IOException {
        Path file = Files.writeString(dir.resolve("ca.pem"), PemWriter.toPem(ca.certificate()));

        assertThatThrownBy(() -> PemReader.readPrivateKey(file))
                .isInstanceOf(CertsException.class)
                .hasMessageContaining("no private key");
    }

    @Test
    void rejectsAGarbledKey() throws IOException {
        Path file = Files.writeString(dir.resolve("bad.key"),
                "-----BEGIN PRIVATE KEY-----\nAAECAwQFBgcICQoL\n-----END PRIVATE KEY-----\n");

        assertThatThrownBy(() -> PemReader.readPrivateKey(file))
                .isInstanceOfSatisfying(CertsException.class, e -> assertThat(e.reason()).isEqualTo(Reason.MALFORMED));
    }

    @Test
    void rejectsTwoKeysInOneFile() throws IOException {
        String key = PemWriter.toPem(ca.privateKey());
        Path file = Files.writeString(dir.resolve("two.key"), key + key);

        assertThatThrownBy(() -> PemReader.readPrivateKey(file))
                .isInstanceOf(CertsException.class)
                .hasMessageContaining("more than one");
    }

    @Test
    void rejectsEncryptedKeysWithAClearMessage() throws IOException {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            writer.writeObject(new JcaMiscPEMGenerator(ca.privateKey(),
                    new JcePEMEncryptorBuilder("AES-128-CBC").setProvider(new BouncyCastleProvider())
                            .build("secret".toCharArray())));
        }
        Path file = Files.writeString(dir.resolve("encrypted.key"), text.toString());

        assertThatThrownBy(() -> PemReader.readPrivateKey(file))
                .isInstanceOf(CertsException.class)
                .hasMessageContaining("encrypted");
    }

    @Test
    void reportsAMissingFileAsAnIoProblem() {
        assertThatThrownBy(() -> PemReader.readCertificates(dir.resolve("missing.pem")))
                .isInstanceOf(UncheckedIOException.class);
    }
}
