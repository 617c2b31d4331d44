package io.onramp.certs.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.onramp.certs.error.CertsException;
import io.onramp.certs.pem.PemReader;
import io.onramp.certs.pem.PemWriter;
import io.onramp.certs.x509.KeyOwnership;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalPkiTest {

    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final List<String> HOSTS = List.of("gateway.test", "127.0.0.5");

    @TempDir
    Path tmp;

    @Test
    void firstStartCreatesTheCaAndAServerChain() throws Exception {
        Path dir = tmp.resolve("data/pki");

        LocalPki.Files files = LocalPki.ensure(dir, HOSTS, CLOCK);

        assertThat(files.caCreated()).isTrue();
        assertThat(files.serverCertificateIssued()).isTrue();
        assertThat(files.caCertificate()).isEqualTo(dir.resolve("ca.pem"));
        assertThat(files.serverCertificateChain()).isEqualTo(dir.resolve("server.pem"));
        assertThat(files.serverPrivateKey()).isEqualTo(dir.resolve("server.key"));
        X509Certificate ca = PemReader.readCertificates(files.caCertificate()).get(0);
        List<X509Certificate> chain = PemReader.readCertificates(files.serverCertificateChain());
        assertThat(chain).hasSize(2);
        assertThat(chain.get(1)).isEqualTo(ca);
        chain.get(0).verify(ca.getPublicKey());
        assertThat(ca.getSubjectX500Principal().getName()).matches("CN=Onramp Local CA [0-9a-f]{8}");
        assertThat(chain.get(0).getSubjectX500Principal().getName()).isEqualTo("CN=gateway.test");
        assertThat(chain.get(0).getSubjectAlternativeNames())
                .containsExactlyInAnyOrder(List.of(2, "gateway.test"), List.of(7, "127.0.0.5"));
        assertThat(chain.get(0).getNotAfter().toInstant()).isEqualTo(NOW.plus(LocalPki.SERVER_VALIDITY));
        assertThat(ca.getNotAfter().toInstant()).isEqualTo(NOW.plus(LocalPki.CA_VALIDITY));
        assertThat(KeyOwnership.matches(PemReader.readPrivateKey(files.serverPrivateKey()), chain.get(0).getPublicKey()))
                .isTrue();
        if (Files.getFileStore(dir).supportsFileAttributeView("posix")) {
            assertThat(permissions(dir.resolve("ca.key"))).isEqualTo("rw-------");
            assertThat(permissions(dir.resolve("server.key"))).isEqualTo("rw-------");
        }
    }

    @Test
    void secondStartReusesEverything() throws IOException {
        LocalPki.ensure(tmp, HOSTS, CLOCK);
        String[] before = contents(tmp);

        LocalPki.Files files = LocalPki.ensure(tmp, List.of("GATEWAY.test", "127.0.0.5"), CLOCK);

        assertThat(files.caCreated()).isFalse();
        assertThat(files.serverCertificateIssued()).isFalse();
        assertThat(contents(tmp)).isEqualTo(before);
    }

    @Test
    void aSubsetOfTheHostsNeedsNoNewCertificate() {
        LocalPki.ensure(tmp, HOSTS, CLOCK);

        assertThat(LocalPki.ensure(tmp, List.of("127.0.0.5"), CLOCK).serverCertificateIssued()).isFalse();
    }

    @Test
    void anAddedHostNameReissuesFromTheSameCa() throws Exception {
        LocalPki.ensure(tmp, HOSTS, CLOCK);
        String caBefore = Files.readString(tmp.resolve("ca.pem"));

        LocalPki.Files files = LocalPki.ensure(tmp, List.of("gateway.test", "127.0.0.5", "::1"), CLOCK);

        assertThat(files.caCreated()).isFalse();
        assertThat(files.serverCertificateIssued()).isTrue();
        assertThat(Files.readString(tmp.resolve("ca.pem"))).isEqualTo(caBefore);
        X509Certificate leaf = PemReader.readCertificates(files.serverCertificateChain()).get(0);
        assertThat(leaf.getSubjectAlternativeNames()).contains(List.of(7, "0:0:0:0:0:0:0:1"));
        leaf.verify(PemReader.readCertificates(files.caCertificate()).get(0).getPublicKey());
    }

    @Test
    void reissuesThirtyDaysBeforeExpiry() throws Exception {
        LocalPki.ensure(tmp, HOSTS, CLOCK);
        Instant expiry = NOW.plus(LocalPki.SERVER_VALIDITY);

        assertThat(LocalPki.ensure(tmp, HOSTS, clockAt(expiry.minus(Duration.ofDays(31)))).serverCertificateIssued())
                .isFalse();
        Instant later = expiry.minus(Duration.ofDays(29));
        assertThat(LocalPki.ensure(tmp, HOSTS, clockAt(later)).serverCertificateIssued()).isTrue();
        X509Certificate renewed = PemReader.readCertificates(tmp.resolve("server.pem")).get(0);
        assertThat(renewed.getNotAfter().toInstant()).isEqualTo(later.plus(LocalPki.SERVER_VALIDITY));
    }

    @Test
    void replacesUnreadableOrForeignServerMaterial() throws IOException {
        LocalPki.ensure(tmp, HOSTS, CLOCK);
        Files.writeString(tmp.resolve("server.pem"), "garbage");
        assertThat(LocalPki.ensure(tmp, HOSTS, CLOCK).serverCertificateIssued()).isTrue();

        CaMaterial stranger = CertificateAuthority.createRoot("Stranger", Duration.ofDays(1));
        PemWriter.write(tmp.resolve("server.key"), PemWriter.toPem(stranger.privateKey()), true);
        assertThat(LocalPki.ensure(tmp, HOSTS, CLOCK).serverCertificateIssued()).isTrue();

        Files.delete(tmp.resolve("server.key"));
        assertThat(LocalPki.ensure(tmp, HOSTS, CLOCK).serverCertificateIssued()).isTrue();
    }

    @Test
    void reissuesALeafFromAnotherCa() {
        LocalPki.ensure(tmp, HOSTS, CLOCK);
        CaMaterial other = CertificateAuthority.createRoot("Other", Duration.ofDays(3650), CLOCK);
        CaMaterial foreignLeaf = CertificateAuthority.issueServer(other, "gateway.test", HOSTS, Duration.ofDays(700), CLOCK);
        PemWriter.write(tmp.resolve("server.pem"), PemWriter.toPem(foreignLeaf.certificate(), other.certificate()), false);
        PemWriter.write(tmp.resolve("server.key"), PemWriter.toPem(foreignLeaf.privateKey()), true);

        assertThat(LocalPki.ensure(tmp, HOSTS, CLOCK).serverCertificateIssued()).isTrue();
    }

    @Test
    void refusesToReplaceACaWhoseKeyIsMissing() throws IOException {
        LocalPki.ensure(tmp, HOSTS, CLOCK);
        Files.delete(tmp.resolve("ca.key"));

        assertThatThrownBy(() -> LocalPki.ensure(tmp, HOSTS, CLOCK))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("ca.key");
        assertThat(tmp.resolve("ca.key")).doesNotExist();
    }

    @Test
    void refusesACaKeyThatIsNotTheCasKey() {
        LocalPki.ensure(tmp, HOSTS, CLOCK);
        CaMaterial stranger = CertificateAuthority.createRoot("Stranger", Duration.ofDays(1));
        PemWriter.write(tmp.resolve("ca.key"), PemWriter.toPem(stranger.privateKey()), true);

        assertThatThrownBy(() -> LocalPki.ensure(tmp, HOSTS, CLOCK))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("is not the key of");
    }

    @Test
    void refusesAMalformedCaCertificateInsteadOfOverwritingIt() throws IOException {
        LocalPki.ensure(tmp, HOSTS, CLOCK);
        Files.writeString(tmp.resolve("ca.pem"), "broken");

        assertThatThrownBy(() -> LocalPki.ensure(tmp, HOSTS, CLOCK)).isInstanceOf(CertsException.class);
        assertThat(Files.readString(tmp.resolve("ca.pem"))).isEqualTo("broken");
    }

    @Test
    void aCaKeyWithoutItsCertificateIsLeftoverAndReplaced() throws IOException {
        LocalPki.ensure(tmp, HOSTS, CLOCK);
        Files.delete(tmp.resolve("ca.pem"));

        LocalPki.Files files = LocalPki.ensure(tmp, HOSTS, CLOCK);

        assertThat(files.caCreated()).isTrue();
        assertThat(files.serverCertificateIssued()).isTrue();
    }

    @Test
    void refusesAnExpiredCa() {
        LocalPki.ensure(tmp, HOSTS, CLOCK);

        assertThatThrownBy(() -> LocalPki.ensure(tmp, HOSTS, clockAt(NOW.plus(LocalPki.CA_VALIDITY))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("expired");
    }

    @Test
    void needsAtLeastOneHostName() {
        assertThatThrownBy(() -> LocalPki.ensure(tmp, List.of(), CLOCK)).isInstanceOf(IllegalArgumentException.class);
    }

    private static Clock clockAt(Instant instant) {
        return Clock.fixed(instant, ZoneOffset.UTC);
    }

    private static String[] contents(Path dir) throws IOException {
        String[] files = {"ca.pem", "ca.key", "server.pem", "server.key"};
        String[] contents = new String[files.length];
        for (int i = 0; i < files.length; i++) {
            contents[i] = Files.readString(dir.resolve(files[i]));
        }
        return contents;
    }

    private static String permissions(Path file) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
    }
}
