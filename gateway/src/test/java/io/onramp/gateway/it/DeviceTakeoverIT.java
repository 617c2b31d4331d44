package io.onramp.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.onramp.broker.registry.DeviceIdentity;
import io.onramp.certs.sas.SymmetricKeys;
import io.onramp.gateway.provisioning.DefaultProvisioningService;
import io.onramp.gateway.support.AdminApi;
import io.onramp.gateway.support.RawDps;
import io.onramp.gateway.support.RawMqtt;
import io.onramp.gateway.support.TestGateway;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * A registration never takes over a hub identity made for another one: an enrollment writer who names a device
 * ID in use gets a refused registration, and the device keeps its identity and its key. One registration keeps one
 * identity, whatever the case of its ID.
 */
class DeviceTakeoverIT {

    static final String DPS = "127.0.0.220";
    static final String LINE_A = "127.0.0.221";
    static final String LINE_B = "127.0.0.222";
    static final String OWNER_KEY = RemoteHubIT.OWNER_KEY;
    static final String PRESS_KEY = RemoteHubIT.PRESS_KEY;
    static final String ATTACKER_KEY = RemoteHubIT.OTHER_KEY;
    static final String GROUP_KEY = RemoteHubIT.GROUP_KEY;

    @TempDir
    static Path dataDir;
    static TestGateway gateway;
    static RawDps dps;
    static AdminApi admin;
    static final ListAppender<ILoggingEvent> log = new ListAppender<>();

    @BeforeAll
    static void start() {
        log.start();
        logger().addAppender(log);
        gateway = TestGateway.startWithMqtt(DPS, List.of(LINE_A, LINE_B), dataDir, """
            hubs:
              - { name: line-a, hostName: %s, ownerKey: %s }
              - { name: line-b, hostName: %s, ownerKey: %s }
            accessPolicies:
              - { name: provisioningserviceowner, primaryKey: %s,
                  rights: [EnrollmentRead, EnrollmentWrite, RegistrationStatusRead, RegistrationStatusWrite] }
            individualEnrollments:
              - registrationId: press-7
                attestation: { type: symmetricKey, symmetricKey: { primaryKey: %s } }
                iotHubs: [ %s ]
            enrollmentGroups:
              - enrollmentGroupId: sensors
                attestation: { type: symmetricKey, symmetricKey: { primaryKey: %s } }
                iotHubs: [ %s ]
            """.formatted(LINE_A, OWNER_KEY, LINE_B, OWNER_KEY, OWNER_KEY, PRESS_KEY, LINE_A, GROUP_KEY, LINE_A));
        dps = new RawDps(gateway);
        admin = new AdminApi(gateway, "provisioningserviceowner", OWNER_KEY);
    }

    @AfterAll
    static void stop() {
        logger().detachAppender(log);
        gateway.close();
    }

    static Logger logger() {
        return (Logger) LoggerFactory.getLogger(DefaultProvisioningService.class);
    }

    @Test
    void anEnrollmentNamingAnotherRegistrationsDeviceIdIsRefusedAndTheDeviceKeepsItsIdentity() throws Exception {
        // GIVEN press-7, from the config file, registered and connected to its hub
        assertThat(register("press-7", PRESS_KEY).getString("status")).isEqualTo("assigned");
        DeviceIdentity before = device(LINE_A, "press-7");
        try (RawMqtt connected = RawMqtt.open(gateway, LINE_A)) {
            assertThat(connected.connectDevice(LINE_A, "press-7", PRESS_KEY)).isEqualTo(MqttConnectReturnCode.CONNECTION_ACCEPTED);

            // WHEN an enrollment writer enrolls evil2 with deviceId press-7 and a key of its own, and registers it
            enroll("evil2", "press-7", ATTACKER_KEY, LINE_A);
            JsonObject refused = register("evil2", ATTACKER_KEY);

            // THEN the registration fails with a conflict, and the log names both registrations
            assertThat(refused.getString("status")).as(refused.encode()).isEqualTo("failed");
            assertThat(refused.getJsonObject("registrationState").getInteger("errorCode")).isEqualTo(409205);
            assertThat(log.list).map(ILoggingEvent::getFormattedMessage).anySatisfy(line -> assertThat(line)
                    .contains("registration evil2 failed", "belongs to registration press-7"));
            // AND the identity is untouched: the attacker's key opens nothing, press-7's still does
            assertThat(device(LINE_A, "press-7")).isEqualTo(before);
            try (RawMqtt attacker = RawMqtt.open(gateway, LINE_A)) {
                assertThat(attacker.connectDevice(LINE_A, "press-7", ATTACKER_KEY))
                        .isNotEqualTo(MqttConnectReturnCode.CONNECTION_ACCEPTED);
            }
            try (RawMqtt again = RawMqtt.open(gateway, LINE_A)) {
                assertThat(again.connectDevice(LINE_A, "press-7", PRESS_KEY)).isEqualTo(MqttConnectReturnCode.CONNECTION_ACCEPTED);
            }
        }
        // AND press-7 registers again as every boot does, keeping its generation
        assertThat(register("press-7", PRESS_KEY).getString("status")).isEqualTo("assigned");
        assertThat(device(LINE_A, "press-7").generationId()).isEqualTo(before.generationId());
    }

    @Test
    void aDeviceMovingBetweenHubsStillRegistersUnderItsDeviceId() throws Exception {
        enroll("mover-2", "mover-2-dev", PRESS_KEY, LINE_A);
        assertThat(register("mover-2", PRESS_KEY).getJsonObject("registrationState").getString("assignedHub"))
                .isEqualTo(LINE_A);

        enroll("mover-2", "mover-2-dev", PRESS_KEY, LINE_B);
        JsonObject moved = register("mover-2", PRESS_KEY);

        assertThat(moved.getJsonObject("registrationState").getString("assignedHub")).as(moved.encode()).isEqualTo(LINE_B);
        assertThat(find(LINE_A, "mover-2-dev")).isNull();
        enroll("mover-2", "mover-2-dev", PRESS_KEY, LINE_A);
        assertThat(register("mover-2", PRESS_KEY).getJsonObject("registrationState").getString("assignedHub"))
                .isEqualTo(LINE_A);
    }

    @Test
    void aDeviceRegisteringAgainWithItsIdInAnotherCaseKeepsItsOneIdentity() throws Exception {
        // GIVEN sensor-0042 of a group, registered
        String first = "sensor-0042";
        assertThat(register(first, SymmetricKeys.deriveDeviceKey(GROUP_KEY, first)).getString("status")).isEqualTo("assigned");

        // WHEN it registers again as SENSOR-0042 (registration IDs are case-insensitive), with the key derived from that
        String upper = "SENSOR-0042";
        String upperKey = SymmetricKeys.deriveDeviceKey(GROUP_KEY, upper);
        JsonObject again = register(upper, upperKey);

        // THEN it is told its device ID is still sensor-0042, which now takes its new key, and no second identity exists
        assertThat(again.getJsonObject("registrationState").getString("deviceId")).as(again.encode()).isEqualTo(first);
        assertThat(device(LINE_A, first).primaryKey()).isEqualTo(upperKey);
        assertThat(find(LINE_A, upper)).isNull();
        try (RawMqtt connected = RawMqtt.open(gateway, LINE_A)) {
            assertThat(connected.connectDevice(LINE_A, first, upperKey)).isEqualTo(MqttConnectReturnCode.CONNECTION_ACCEPTED);
        }
    }

    /** An individual SAS enrollment through the service API, on one hub, with an update policy that moves it. */
    static void enroll(String id, String deviceId, String key, String hub) throws Exception {
        JsonObject enrollment = new JsonObject().put("registrationId", id).put("deviceId", deviceId)
                .put("attestation", new JsonObject().put("type", "symmetricKey").put("symmetricKey",
                        new JsonObject().put("primaryKey", key)))
                .put("iotHubs", new JsonArray().add(hub))
                .put("reprovisionPolicy", new JsonObject().put("updateHubAssignment", true).put("migrateDeviceData", true));
        HttpResponse<String> answer = admin.send("PUT", "/enrollments/" + id, enrollment.encode(), null);
        assertThat(answer.statusCode()).as(answer.body()).isBetween(200, 201);
    }

    static JsonObject register(String id, String key) throws Exception {
        return dps.registerAndPoll(id, RawDps.token(id, key));
    }

    static DeviceIdentity device(String hub, String id) throws Exception {
        DeviceIdentity found = find(hub, id);
        assertThat(found).as("device " + id + " at " + hub).isNotNull();
        return found;
    }

    static DeviceIdentity find(String hub, String id) throws Exception {
        return gateway.gateway().deviceRegistry().find(hub, id).toCompletionStage().toCompletableFuture()
                .get(10, TimeUnit.SECONDS).orElse(null);
    }
}
