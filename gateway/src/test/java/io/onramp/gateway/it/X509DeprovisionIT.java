package io.onramp.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.onramp.certs.ca.CaMaterial;
import io.onramp.certs.ca.CertificateBuilder;
import io.onramp.certs.ca.PkiCatalogue;
import io.onramp.certs.ca.PkiCatalogue.Name;
import io.onramp.gateway.support.CommandLine;
import io.onramp.gateway.support.TestGateway;
import io.onramp.gateway.support.X509Device;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code onramp registrations deprovision} of a device that came through an X.509 group: the disabled
 * individual enrollment that blocks it must give its next registration the disabled outcome
 * (dps-service-api 13.3), not a bare 401.
 */
class X509DeprovisionIT {

    static final String DPS = "127.0.0.228";
    static final String HUB = "127.0.0.229";
    static final String POLICY_KEY = "WDUwOURlcHJvdmlzaW9uUG9saWN5S2V5Rm9yVGVzdHM=";
    static final String OWNER_KEY = "WDUwOURlcHJvdmlzaW9uT3duZXJLZXlGb3JUZXN0czA=";
    static final PkiCatalogue PKI = PkiCatalogue.builder().deviceId("x509-unused").build();

    @TempDir
    static Path dataDir;
    static TestGateway gateway;
    static Path configFile;

    @BeforeAll
    static void start() throws Exception {
        gateway = TestGateway.startWithMqtt(DPS, List.of(HUB), dataDir, """
            accessPolicies:
              - { name: provisioningserviceowner, primaryKey: %s,
                  rights: [EnrollmentRead, EnrollmentWrite, RegistrationStatusRead, RegistrationStatusWrite] }
            hubs:
              - { name: line-x, hostName: %s, ownerKey: %s }
            enrollmentGroups:
              - enrollmentGroupId: x509-line
                attestation: { type: x509, x509: { signingCertificates: { primary: { certificate: "%s" } } } }
            """.formatted(POLICY_KEY, HUB, OWNER_KEY,
                Base64.getEncoder().encodeToString(PKI.certificate(Name.ROOT).getEncoded())));
        configFile = gateway.writeConfigFile();
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @Test
    void aDeprovisionedX509GroupDeviceGetsTheDisabledOutcome() throws Exception {
        // GIVEN a device provisioned through an X.509 group
        String id = "x509-line-dev-1";
        CaMaterial leaf = CertificateBuilder.device(id, PKI.material(Name.INTERMEDIATE)).issue();
        X509Device device = new X509Device(List.of(leaf.certificate(), PKI.certificate(Name.INTERMEDIATE)),
                leaf.privateKey(), null);
        X509Device.registerOverHttps(gateway, device);
        assertThat(run(0, "registrations", "show", id)).contains("\"status\" : \"assigned\"");

        // WHEN the operator deprovisions it and the device registers again
        assertThat(run(0, "registrations", "deprovision", id)).contains("registered through a group");
        try {
            X509Device.registerOverHttps(gateway, device);
        } catch (Exception refused) {
            // the SDK may report the disabled answer as a failure; the registration record tells
        }

        // THEN its registration is recorded as disabled by its blocking enrollment
        assertThat(run(0, "registrations", "show", id)).contains("\"status\" : \"disabled\"");
    }

    private static String run(int expectedExit, String... args) {
        return new CommandLine(configFile).run(expectedExit, args);
    }
}
