package io.onramp.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.onramp.certs.sas.SymmetricKeys;
import io.onramp.gateway.support.CommandLine;
import io.onramp.gateway.support.RawDps;
import io.onramp.gateway.support.RawHub;
import io.onramp.gateway.support.RawMqtt;
import io.onramp.gateway.support.TestGateway;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code onramp token}: the tokens it prints open the hub's service side and a device's MQTT connection. */
class TokenCommandIT {

    static final String HUB = "127.0.0.158";
    static final String OWNER_KEY = "SHViQU93bmVyS2V5Rm9yVGVzdHNPbmx5MDAwMDAwMDA=";
    static final String GROUP_KEY = "R3JvdXBLZXlGb3JUZXN0VmVjdG9yc09ubHkwMDAwMDA=";

    @TempDir
    static Path dataDir;
    static TestGateway gateway;
    static Path configFile;

    @BeforeAll
    static void start() throws Exception {
        gateway = TestGateway.startWithMqtt("127.0.0.157", List.of(HUB), dataDir, """
            hubs: [ { name: line-a, hostName: %s, ownerKey: %s } ]
            enrollmentGroups:
              - enrollmentGroupId: sensors
                attestation: { type: symmetricKey, symmetricKey: { primaryKey: %s } }
            """.formatted(HUB, OWNER_KEY, GROUP_KEY));
        configFile = gateway.writeConfigFile();
        new RawDps(gateway).registerAndPoll("tok-1", RawDps.token("tok-1", SymmetricKeys.deriveDeviceKey(GROUP_KEY, "tok-1")));
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @Test
    void aHubTokenOpensTheRegistryApiAndTheConsumersConnection() throws Exception {
        String token = run(0, "token", "--hub", "line-a").trim();

        assertThat(token).startsWith("SharedAccessSignature sr=" + HUB + "&sig=").endsWith("&skn=iothubowner");
        RawHub service = new RawHub(gateway.endpoint().replace(gateway.address(), HUB), gateway.caFile());
        assertThat(service.send("GET", "/devices/tok-1", token, null).statusCode()).isEqualTo(200);
        try (RawMqtt consumer = RawMqtt.open(gateway, HUB)) {
            assertThat(consumer.connect("reader", HUB + "/$service", token, 60))
                    .isEqualTo(MqttConnectReturnCode.CONNECTION_ACCEPTED);
        }
    }

    @Test
    void aDeviceTokenOpensThatDevicesConnectionOnly() throws Exception {
        String token = run(0, "token", "--hub", HUB, "--device-id", "tok-1", "--ttl", "600").trim();

        assertThat(token).startsWith("SharedAccessSignature sr=" + HUB + "%2Fdevices%2Ftok-1&sig=").doesNotContain("skn=");
        try (RawMqtt device = RawMqtt.open(gateway, HUB)) {
            assertThat(device.connect("tok-1", RawMqtt.deviceUser(HUB, "tok-1"), token, 60))
                    .isEqualTo(MqttConnectReturnCode.CONNECTION_ACCEPTED);
        }
        try (RawMqtt other = RawMqtt.open(gateway, HUB)) {
            assertThat(other.connect("tok-2", RawMqtt.deviceUser(HUB, "tok-2"), token, 60))
                    .isNotEqualTo(MqttConnectReturnCode.CONNECTION_ACCEPTED);
        }
    }

    @Test
    void mistakesAreNamed() {
        assertThat(run(2, "token")).contains("usage: onramp token --hub HUB");
        assertThat(run(1, "token", "--hub", "nope")).contains("no hub named nope");
        assertThat(run(1, "token", "--hub", "line-a", "--device-id", "nobody"))
                .contains("device nobody is not registered at hub " + HUB);
        assertThat(run(2, "token", "--hub", "line-a", "--ttl", "0")).contains("--ttl must be a number of seconds");
    }

    private static String run(int expectedExit, String... args) {
        return new CommandLine(configFile).run(expectedExit, args);
    }
}
