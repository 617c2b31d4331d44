package io.onramp.certs.ca;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.onramp.certs.pem.PemReader;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** What LocalPki writes must be usable by JSSE as-is, read back from the files. */
class LocalPkiTlsTest {

    @TempDir
    static Path dir;

    private static List<X509Certificate> chain;
    private static PrivateKey key;
    private static X509Certificate ca;

    @BeforeAll
    static void createPki() {
        LocalPki.Files files = LocalPki.ensure(dir, List.of("gateway.test", "127.0.0.9", "::1"), Clock.systemUTC());
        chain = PemReader.readCertificates(files.serverCertificateChain());
        key = PemReader.readPrivateKey(files.serverPrivateKey());
        ca = PemReader.readCertificates(files.caCertificate()).get(0);
    }

    @ParameterizedTest
    @CsvSource({"gateway.test, TLSv1.3", "gateway.test, TLSv1.2", "127.0.0.9, TLSv1.3", "::1, TLSv1.2"})
    void clientsTrustingTheCaAcceptTheServer(String hostName, String protocol) {
        assertThatCode(() -> InMemoryTls.handshake(chain, key, ca, hostName, protocol)).doesNotThrowAnyException();
    }

    @ParameterizedTest
    @ValueSource(strings = {"other.test", "127.0.0.1"})
    void clientsRejectNamesTheCertificateDoesNotCover(String hostName) {
        assertThatThrownBy(() -> InMemoryTls.handshake(chain, key, ca, hostName, "TLSv1.3"))
                .isInstanceOf(SSLHandshakeException.class)
                .hasStackTraceContaining("No subject alternative");
    }
}
