package io.onramp.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.onramp.certs.ca.CaMaterial;
import io.onramp.certs.ca.CertificateAuthority;
import io.onramp.certs.ca.CertificateBuilder;
import io.onramp.certs.ca.KeyAlgorithm;
import io.onramp.certs.pem.PemWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tls.certificate} and {@code tls.privateKey}: read and matched at load, not when a listener opens. */
class ServerTlsConfigTest {

    @TempDir
    Path dir;

    GatewayConfig load(String certificate, String privateKey) {
        return new ConfigLoader(Map.of(), dir).parse("t", "idScope: 0ne1\ntls: { certificate: %s, privateKey: %s }\n"
                .formatted(certificate, privateKey));
    }

    /** A root and a server certificate it issued; the chain file holds the server's first. */
    CaMaterial write(String name, KeyAlgorithm algorithm) {
        CaMaterial root = CertificateBuilder.rootCa(name + " root").keyAlgorithm(algorithm).issue();
        CaMaterial server = CertificateAuthority.issueServer(root, name, List.of("127.0.0.180"), Duration.ofDays(1));
        PemWriter.write(dir.resolve(name + ".pem"), PemWriter.toPem(server.certificate(), root.certificate()), false);
        PemWriter.write(dir.resolve(name + ".reversed.pem"), PemWriter.toPem(root.certificate(), server.certificate()), false);
        PemWriter.write(dir.resolve(name + ".key"), PemWriter.toPem(server.privateKey()), true);
        PemWriter.write(dir.resolve(name + ".root.key"), PemWriter.toPem(root.privateKey()), true);
        return server;
    }

    @Test
    void aCertificateWithItsKeyLoads() {
        write("srv", KeyAlgorithm.EC_P256);

        GatewayConfig config = load("srv.pem", "srv.key");

        assertThat(config.tls().certificate()).isEqualTo(dir.resolve("srv.pem"));
        assertThat(config.tls().privateKey()).isEqualTo(dir.resolve("srv.key"));
    }

    @Test
    void aKeyOfAnotherCertificateIsRefused() {
        write("srv", KeyAlgorithm.EC_P256);
        write("other", KeyAlgorithm.EC_P256);

        assertThatThrownBy(() -> load("srv.pem", "other.key")).isInstanceOfSatisfying(ConfigException.class,
                e -> assertThat(e.problems()).containsExactly("tls.privateKey: the key does not belong to the certificate in"
                        + " tls.certificate (" + dir.resolve("srv.pem") + "): give the key the certificate was issued for"));
    }

    @Test
    void rsaKeysAreMatchedToo() {
        // An RSA root signs; its own key is an RSA key of another certificate than the server's.
        write("rsa", KeyAlgorithm.RSA_2048);
        CaMaterial rsaServer = CertificateBuilder.rootCa("rsa server").keyAlgorithm(KeyAlgorithm.RSA_2048).issue();
        PemWriter.write(dir.resolve("rsa-server.pem"), PemWriter.toPem(rsaServer.certificate()), false);
        PemWriter.write(dir.resolve("rsa-server.key"), PemWriter.toPem(rsaServer.privateKey()), true);

        assertThat(load("rsa-server.pem", "rsa-server.key").tls().certificate()).isEqualTo(dir.resolve("rsa-server.pem"));
        assertThatThrownBy(() -> load("rsa-server.pem", "rsa.root.key"))
                .hasMessageContaining("tls.privateKey: the key does not belong to the certificate in tls.certificate");
    }

    @Test
    void aChainWithTheServerCertificateNotFirstIsNamed() {
        write("srv", KeyAlgorithm.EC_P256);

        assertThatThrownBy(() -> load("srv.reversed.pem", "srv.key"))
                .hasMessageContaining("tls.privateKey: the key belongs to certificate 2 of the chain in tls.certificate")
                .hasMessageContaining("put the server certificate first");
    }

    @Test
    void missingFilesAreNamedWithTheirField() {
        write("srv", KeyAlgorithm.EC_P256);

        assertThatThrownBy(() -> load("nope/server.pem", "nope/server.key")).isInstanceOfSatisfying(ConfigException.class,
                e -> assertThat(e.problems()).containsExactly(
                        "tls.certificate: cannot read " + dir.resolve("nope/server.pem") + ": no such file or directory",
                        "tls.privateKey: cannot read " + dir.resolve("nope/server.key") + ": no such file or directory"));
    }

    @Test
    void swappedOrWrongFilesAreNamed() {
        write("srv", KeyAlgorithm.EC_P256);

        assertThatThrownBy(() -> load("srv.key", "srv.pem"))
                .hasMessageContaining("tls: certificate and privateKey are swapped: " + dir.resolve("srv.key")
                        + " holds a private key");
        assertThatThrownBy(() -> load("srv.pem", "srv.pem"))
                .hasMessageContaining("tls.privateKey: " + dir.resolve("srv.pem") + " is not a private key (PEM PKCS#8");
        assertThatThrownBy(() -> load("srv.key", "srv.key"))
                .hasMessageContaining("tls.certificate: " + dir.resolve("srv.key") + " holds no PEM certificate");
    }
}
