package io.onramp.certs.x509;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.onramp.certs.ca.PkiCatalogue;
import io.onramp.certs.ca.PkiCatalogue.Name;
import io.onramp.certs.error.CertsException;
import io.onramp.certs.pem.PemWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509CRL;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CrlsTest {

    static PkiCatalogue pki;
    @TempDir
    Path dir;

    @BeforeAll
    static void generate() {
        pki = PkiCatalogue.create();
    }

    @Test
    void readsPemAndDerFiles() throws Exception {
        X509CRL crl = pki.intermediateCrl();
        Path pem = dir.resolve("ca.crl.pem");
        Path der = dir.resolve("ca.crl");
        PemWriter.write(pem, "some text openssl adds\n" + PemWriter.toPem(crl), false);
        Files.write(der, crl.getEncoded());

        assertThat(Crls.read(pem)).isEqualTo(crl);
        assertThat(Crls.read(der)).isEqualTo(crl);
        assertThat(Crls.read(pem).isRevoked(pki.certificate(Name.REVOKED))).isTrue();
        assertThat(Crls.read(der).isRevoked(pki.certificate(Name.LEAF))).isFalse();
    }

    @Test
    void refusesWhatIsNotACrl() throws Exception {
        Path cert = dir.resolve("cert.pem");
        PemWriter.write(cert, PemWriter.toPem(pki.certificate(Name.ROOT)), false);
        Path junk = dir.resolve("junk.der");
        Files.write(junk, new byte[] {0x30, 0x03, 0x01, 0x02});

        assertThatThrownBy(() -> Crls.read(cert)).isInstanceOf(CertsException.class).hasMessageContaining("no X509 CRL");
        assertThatThrownBy(() -> Crls.read(junk)).isInstanceOf(CertsException.class).hasMessageContaining("cannot be decoded");
        assertThatThrownBy(() -> Crls.parse("-----BEGIN X509 CRL-----\n!!!\n-----END X509 CRL-----"
                .getBytes(StandardCharsets.US_ASCII))).isInstanceOf(CertsException.class);
    }
}
