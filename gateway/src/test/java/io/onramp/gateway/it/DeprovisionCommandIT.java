package io.onramp.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.onramp.broker.registry.DeviceIdentity;
import io.onramp.broker.registry.DeviceStatus;
import io.onramp.certs.sas.SymmetricKeys;
import io.onramp.gateway.support.CommandLine;
import io.onramp.gateway.support.RawDps;
import io.onramp.gateway.support.RawMqtt;
import io.onramp.gateway.support.TestGateway;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code onramp registrations deprovision} against running gateways: a hub hosted by the gateway
 * (a device connected over MQTT is disconnected) and a hub of another gateway linked by connection
 * string (reached through its registry API). Either way the next registration is refused.
 */
class DeprovisionCommandIT {

    static final String DPS = "127.0.0.102";
    static final String LOCAL_HUB = "127.0.0.103";
    static final String REMOTE_HUB = "127.0.0.104";
    static final String POLICY_KEY = "RGVwcm92aXNpb25Qb2xpY3lLZXlGb3JUZXN0czAwMDA=";
    static final String LOCAL_OWNER_KEY = "RGVwcm92aXNpb25Mb2NhbEh1YktleUZvclRlc3RzMDA=";
    static final String REMOTE_OWNER_KEY = "RGVwcm92aXNpb25SZW1vdGVIdWJLZXlGb3JUZXN0czA=";
    static final String GROUP_KEY = "RGVwcm92aXNpb25Hcm91cEtleUZvclRlc3RzMDAwMDA=";

    @TempDir
    static Path dpsDir;
    @TempDir
    static Path hubDir;
    static TestGateway hubGateway;
    static TestGateway gateway;
    static Path configFile;
    static RawDps dps;

    @BeforeAll
    static void start() throws Exception {
        // the other gateway listens on 443, where a connection string's HostName leads
        hubGateway = TestGateway.startOnStandardHttps(REMOTE_HUB, hubDir, """
            hubs: [ { name: far, hostName: %s, ownerKey: %s } ]
            """.formatted(REMOTE_HUB, REMOTE_OWNER_KEY));
        gateway = TestGateway.startWithMqtt(DPS, List.of(LOCAL_HUB), dpsDir, """
            accessPolicies:
              - { name: provisioningserviceowner, primaryKey: %s,
                  rights: [EnrollmentRead, EnrollmentWrite, RegistrationStatusRead, RegistrationStatusWrite] }
            hubs:
              - { name: near, hostName: %s, ownerKey: %s }
              - name: far
                connectionString: "HostName=%s;SharedAccessKeyName=iothubowner;SharedAccessKey=%s"
                caCertificate: %s
            enrollmentGroups:
              - enrollmentGroupId: far-sensors
                attestation: { type: symmetricKey, symmetricKey: { primaryKey: %s } }
                iotHubs: [ %s ]
            """.formatted(POLICY_KEY, LOCAL_HUB, LOCAL_OWNER_KEY, REMOTE_HUB, REMOTE_OWNER_KEY, hubGateway.caFile(),
                GROUP_KEY, REMOTE_HUB));
        configFile = gateway.writeConfigFile();
        dps = new RawDps(gateway);
    }

    @AfterAll
    static void stop() {
        gateway.close();
        hubGateway.close();
    }

    @Test
    void anIndividualEnrollmentsConnectedDeviceIsDisconnectedAndRefused() throws Exception {
        // GIVEN a device of an individual enrollment, provisioned to the hosted hub and connected to it
        String id = "press-7";
        String key = SymmetricKeys.generate();
        run(0, "enrollments", "create", id, "--key", key, "--hub", LOCAL_HUB);
        assertThat(dps.registerAndPoll(id, RawDps.token(id, key)).getString("status")).isEqualTo("assigned");
        try (RawMqtt device = RawMqtt.open(gateway, LOCAL_HUB)) {
            assertThat(device.connectDevice(LOCAL_HUB, id, key)).isEqualTo(MqttConnectReturnCode.CONNECTION_ACCEPTED);

            // WHEN the operator deprovisions it
            String out = run(0, "registrations", "deprovision", id);

            // THEN its connection is closed, its enrollment and hub identity are disabled
            assertThat(out).contains("enrollment  disabled", "device " + id + " at " + LOCAL_HUB + " disabled");
            assertThat(device.closedWithin(5000)).as("the connected device is disconnected").isTrue();
        }
        assertThat(device(gateway, LOCAL_HUB, id).status()).isEqualTo(DeviceStatus.DISABLED);
        assertThat(device(gateway, LOCAL_HUB, id).statusReason()).isEqualTo("deprovisioned by onramp");
        assertThat(run(0, "enrollments", "show", id)).contains("\"provisioningStatus\" : \"disabled\"");
        // AND it can neither connect to the hub nor register again
        try (RawMqtt again = RawMqtt.open(gateway, LOCAL_HUB)) {
            assertThat(again.connectDevice(LOCAL_HUB, id, key)).isNotEqualTo(MqttConnectReturnCode.CONNECTION_ACCEPTED);
        }
        assertThat(dps.registerAndPoll(id, RawDps.token(id, key)).getString("status")).isEqualTo("disabled");
        // AND a second deprovision changes nothing and says so
        assertThat(run(0, "registrations", "deprovision", id)).contains("enrollment  already disabled");
    }

    @Test
    void aGroupDeviceOnAnotherGatewaysHubIsBlockedAndDisabledThere() throws Exception {
        // GIVEN a device of a group, provisioned to a hub of another gateway
        String id = "far-sensor-3";
        String key = SymmetricKeys.deriveDeviceKey(GROUP_KEY, id);
        JsonObject result = dps.registerAndPoll(id, RawDps.token(id, key));
        assertThat(result.getJsonObject("registrationState").getString("assignedHub")).as(result.encode()).isEqualTo(REMOTE_HUB);

        // WHEN the operator deprovisions it
        String out = run(0, "registrations", "deprovision", id);

        // THEN a disabled individual enrollment of its own refuses it, and the other gateway has it disabled
        assertThat(out).contains("registered through a group", "device " + id + " at " + REMOTE_HUB + " disabled");
        assertThat(device(hubGateway, REMOTE_HUB, id).status()).isEqualTo(DeviceStatus.DISABLED);
        assertThat(run(0, "enrollments", "show", id)).contains("\"provisioningStatus\" : \"disabled\"");
        // AND its next registration, with its group-derived key, gets the disabled outcome (spec 13.3), not a bare 401
        assertThat(dps.registerAndPoll(id, RawDps.token(id, key)).getString("status")).isEqualTo("disabled");
        // AND a key no group derives is still refused
        HttpResponse<String> refused = dps.register("/" + TestGateway.ID_SCOPE + "/registrations/" + id + "/register?"
                + RawDps.API, RawDps.token(id, SymmetricKeys.generate()), new JsonObject().put("registrationId", id).encode());
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(401);
    }

    @Test
    void anUnknownRegistrationChangesNothing() {
        assertThat(run(1, "registrations", "deprovision", "never-seen")).contains("nothing changed");
        assertThat(run(1, "enrollments", "show", "never-seen")).contains("was not found");
    }

    private static DeviceIdentity device(TestGateway at, String hub, String id) throws Exception {
        return at.gateway().deviceRegistry().find(hub, id).toCompletionStage().toCompletableFuture()
                .get(10, TimeUnit.SECONDS).orElseThrow();
    }

    private static String run(int expectedExit, String... args) {
        return new CommandLine(configFile).run(expectedExit, args);
    }
}
