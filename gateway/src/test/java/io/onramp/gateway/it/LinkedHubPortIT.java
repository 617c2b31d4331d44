package io.onramp.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.onramp.certs.sas.SymmetricKeys;
import io.onramp.gateway.support.CommandLine;
import io.onramp.gateway.support.RawDps;
import io.onramp.gateway.support.TestGateway;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A linked Onramp whose HTTPS listener is not on 443 is reached through {@code HostName=host:port} in its
 * connection string (it used to be dialled on 443 whatever the string said, and refused); the hub is still
 * named by its host name alone, in the registration and in its tokens.
 */
class LinkedHubPortIT {

    static final String HUB = "127.0.0.247";
    static final String DPS = "127.0.0.248";
    static final String OWNER_KEY = "TGlua2VkUG9ydE93bmVyS2V5Rm9yVGVzdHNPbmx5MDA=";
    static final String GROUP_KEY = "TGlua2VkUG9ydEdyb3VwS2V5Rm9yVGVzdHNPbmx5MDA=";

    @TempDir
    static Path hubDir;
    @TempDir
    static Path dpsDir;
    static TestGateway hubGateway;
    static TestGateway dpsGateway;

    @BeforeAll
    static void start() {
        hubGateway = TestGateway.start(HUB, hubDir, """
            hubs: [ { name: far, hostName: %s, ownerKey: %s } ]
            """.formatted(HUB, OWNER_KEY));
        dpsGateway = TestGateway.start(DPS, dpsDir, """
            hubs:
              - name: far
                connectionString: "HostName=%s:%d;SharedAccessKeyName=iothubowner;SharedAccessKey=%s"
                caCertificate: %s
            enrollmentGroups:
              - enrollmentGroupId: sensors
                attestation: { type: symmetricKey, symmetricKey: { primaryKey: %s } }
                iotHubs: [ %s ]
            """.formatted(HUB, hubGateway.httpsPort(), OWNER_KEY, hubGateway.caFile(), GROUP_KEY, HUB));
    }

    @AfterAll
    static void stop() {
        dpsGateway.close();
        hubGateway.close();
    }

    @Test
    void aDeviceIsRegisteredAtALinkedOnrampOnTheConnectionStringsPort() throws Exception {
        assertThat(hubGateway.httpsPort()).isNotEqualTo(TestGateway.STANDARD_HTTPS_PORT);
        String id = "port-sensor-1";

        var result = new RawDps(dpsGateway).registerAndPoll(id, RawDps.token(id, SymmetricKeys.deriveDeviceKey(GROUP_KEY, id)));

        assertThat(result.getString("status")).as(result.encode()).isEqualTo("assigned");
        assertThat(result.getJsonObject("registrationState").getString("assignedHub")).isEqualTo(HUB);
        assertThat(hubGateway.gateway().deviceRegistry().find(HUB, id).toCompletionStage().toCompletableFuture()
                .get(10, TimeUnit.SECONDS)).isPresent();
        // and the command line reaches it there too
        String shown = new CommandLine(dpsGateway.writeConfigFile()).run(0, "devices", "show", id);
        assertThat(shown).contains(id, HUB);
    }
}
