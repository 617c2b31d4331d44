package io.onramp.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.onramp.certs.ca.CertificateBuilder;
import io.onramp.certs.ca.PkiCatalogue;
import io.onramp.certs.ca.PkiCatalogue.Name;
import io.onramp.certs.pem.PemWriter;
import io.onramp.gateway.config.GatewayConfig.CaCertificateConfig;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code caCertificates} in the config file: read and checked at load, failing closed. */
class CaCertificatesConfigTest {

    static final PkiCatalogue PKI = PkiCatalogue.create();

    @TempDir
    Path dir;

    @BeforeEach
    void files() {
        PKI.writeTo(dir);
    }

    GatewayConfig load(String caCertificates) {
        return new ConfigLoader(Map.of(), dir).parse("t", "idScope: 0ne1\ncaCertificates:\n" + caCertificates);
    }

    @Test
    void aCaWithItsCrlAndAutoVerificationIsRead() {
        GatewayConfig config = load("""
              - { name: plant-intermediate, certificate: intermediate.cert.pem, verified: true, crl: intermediate.crl.pem }
              - { name: plant-root, certificate: root.cert.pem }
            """);

        assertThat(config.caCertificates()).hasSize(2);
        CaCertificateConfig intermediate = config.caCertificates().get(0);
        assertThat(intermediate.certificate()).isEqualTo(PKI.certificate(Name.INTERMEDIATE));
        assertThat(intermediate.verified()).isTrue();
        assertThat(intermediate.crl().isRevoked(PKI.certificate(Name.REVOKED))).isTrue();
        assertThat(intermediate.crlFile()).isEqualTo(dir.resolve("intermediate.crl.pem"));
        assertThat(config.caCertificates().get(1).verified()).isFalse();
        assertThat(config.caCertificates().get(1).crl()).isNull();
    }

    @Test
    void everyProblemIsNamedAndStopsTheLoad() {
        assertThatThrownBy(() -> load("""
              - { name: a-crl-of-another-ca, certificate: root.cert.pem, crl: intermediate.crl.pem }
              - { name: a-device, certificate: leaf.cert.pem }
              - { name: no-file, certificate: absent.pem }
              - { name: two-in-one, certificate: leaf.chain.pem }
              - { name: "bad name!", certificate: root.cert.pem }
              - { name: root-again, certificate: root.cert.pem, colour: red }
              - { name: ROOT-AGAIN, certificate: root.cert.pem }
            """))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("caCertificates[0].crl: CRL issuer")
                .hasMessageContaining("caCertificates[1].certificate")
                .hasMessageContaining("is not a CA certificate")
                .hasMessageContaining("caCertificates[2].certificate: cannot read")
                .hasMessageContaining("caCertificates[3].certificate")
                .hasMessageContaining("exactly one certificate")
                .hasMessageContaining("caCertificates[4].name")
                .hasMessageContaining("colour")
                .hasMessageContaining("'root-again' appears more than once");
    }

    @Test
    void moreThanTwentyFiveAreRefused() {
        StringBuilder list = new StringBuilder();
        for (int i = 0; i < 26; i++) {
            Path file = dir.resolve("ca-" + i + ".pem");
            PemWriter.write(file, PemWriter.toPem(CertificateBuilder.rootCa("Root " + i).issue().certificate()), false);
            list.append("  - { name: ca-").append(i).append(", certificate: ").append(file.getFileName()).append(" }\n");
        }

        assertThatThrownBy(() -> load(list.toString())).isInstanceOf(ConfigException.class)
                .hasMessageContaining("at most 25 CA certificates");
    }
}
