package io.onramp.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.onramp.certs.sas.SasTokenSigner;
import io.onramp.certs.sas.SymmetricKeys;
import io.onramp.gateway.support.RawHub;
import io.onramp.gateway.support.RawMqtt;
import io.onramp.gateway.support.SdkDevice;
import io.onramp.gateway.support.TestGateway;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * What a device meets on its hub beyond the happy path, found by a new user's walk: twin answers in
 * request order (hub-device-protocol 3.6), refusal reasons in the log that say what is wrong, user names
 * without a query (3.1), DUP on a cloud-to-device message sent again to the same session (3.5), and the
 * hub's iothubowner policy token as any device's password (2.1).
 */
class HubDeviceRulesIT {

    static final String GROUP_KEY = "SHViRGV2aWNlUnVsZXNHcm91cEtleUZvclRlc3RzMDA=";
    static final String HUB = "127.0.0.211";
    static final String OTHER_HUB = "127.0.0.212";
    static final String OWNER = "SHViRGV2aWNlUnVsZXNPd25lcktleUZvclRlc3RzMDA=";
    static final String OTHER_OWNER = "T3RoZXJIdWJEZXZpY2VSdWxlc093bmVyS2V5MDAwMDA=";

    @TempDir
    static Path dataDir;
    static TestGateway gateway;
    /** The logger of the broker's connections, which logs why a CONNECT was refused. */
    static final String CONNECTIONS = "io.onramp.broker.mqtt.MqttConnection";
    /** The logger of the hub's CONNECT decisions. */
    static final String REALM = "io.onramp.broker.hub.HubRealm";
    final ListAppender<ILoggingEvent> log = new ListAppender<>();

    @BeforeAll
    static void startGateway() throws Exception {
        gateway = TestGateway.startWithMqtt("127.0.0.210", List.of(HUB, OTHER_HUB), dataDir, """
            hubs:
              - { name: line-r, hostName: %s, ownerKey: %s }
              - { name: line-q, hostName: %s, ownerKey: %s }
            enrollmentGroups:
              - enrollmentGroupId: meters
                attestation: { type: symmetricKey, symmetricKey: { primaryKey: %s } }
                iotHubs: [%s]
            """.formatted(HUB, OWNER, OTHER_HUB, OTHER_OWNER, GROUP_KEY, HUB));
        for (String id : List.of("meter-1", "meter-2", "meter-3", "meter-4", "meter-5")) {
            SdkDevice.registerOverHttps(gateway, id, key(id), null);
        }
    }

    @AfterAll
    static void stopGateway() {
        gateway.close();
    }

    @BeforeEach
    void captureLog() {
        log.start();
        ((Logger) LoggerFactory.getLogger(CONNECTIONS)).addAppender(log);
    }

    @AfterEach
    void stopCapturing() {
        ((Logger) LoggerFactory.getLogger(CONNECTIONS)).detachAppender(log);
    }

    /** The reasons of the CONNECTs refused so far in this test. */
    List<String> refusals() {
        return log.list.stream().map(ILoggingEvent::getFormattedMessage).filter(m -> m.contains(" refused ")).toList();
    }

    static String key(String registrationId) {
        return SymmetricKeys.deriveDeviceKey(GROUP_KEY, registrationId);
    }

    @Test
    void aTwinGetSentRightAfterAReportedPatchSeesThatPatch() throws Exception {
        try (RawMqtt device = RawMqtt.open(gateway, HUB)) {
            assertThat(device.connectDeviceClean(HUB, "meter-1", key("meter-1"))).isEqualTo(MqttConnectReturnCode.CONNECTION_ACCEPTED);
            assertThat(device.subscribe("$iothub/twin/res/#", 1)).isEqualTo(1);
            // Several rounds: one lucky ordering must not let the test pass.
            for (int seq = 1; seq <= 20; seq++) {
                device.publish("$iothub/twin/PATCH/properties/reported/?$rid=p" + seq, MqttQoS.AT_MOST_ONCE,
                        ("{\"seq\":" + seq + "}").getBytes(StandardCharsets.UTF_8), 0);
                device.publish("$iothub/twin/GET/?$rid=g" + seq, MqttQoS.AT_MOST_ONCE, new byte[0], 0);

                MqttPublishMessage first = nextPublish(device);
                String patched = first.variableHeader().topicName();
                first.release();
                assertThat(patched).as("the PATCH is answered first").startsWith("$iothub/twin/res/204/?$rid=p" + seq + "&$version=");
                long patchVersion = Long.parseLong(patched.substring(patched.indexOf("&$version=") + 10));

                MqttPublishMessage second = nextPublish(device);
                assertThat(second.variableHeader().topicName()).isEqualTo("$iothub/twin/res/200/?$rid=g" + seq);
                JsonObject reported = new JsonObject(second.payload().toString(StandardCharsets.UTF_8)).getJsonObject("reported");
                second.release();
                assertThat(reported.getInteger("seq")).as("the GET sees the PATCH before it").isEqualTo(seq);
                assertThat(reported.getLong("$version")).isGreaterThanOrEqualTo(patchVersion);
            }
        }
    }

    @Test
    void aDeviceNamingAnotherHubOfThisGatewayIsToldWhereItIsRegistered() throws Exception {
        try (RawMqtt device = RawMqtt.open(gateway, OTHER_HUB)) {
            assertThat(device.connectDevice(OTHER_HUB, "meter-2", key("meter-2")))
                    .isEqualTo(MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED);
        }
        try (RawMqtt device = RawMqtt.open(gateway, HUB)) {
            assertThat(device.connectDevice(HUB, "nobody", key("nobody")))
                    .isEqualTo(MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED);
        }
        assertThat(refusals()).anySatisfy(reason -> assertThat(reason)
                .endsWith("device meter-2 is not registered at hub " + OTHER_HUB + " (it is at hub " + HUB + ")"));
        assertThat(refusals()).anySatisfy(reason -> assertThat(reason)
                .endsWith("device nobody is not registered at hub " + HUB));
    }

    @Test
    void aConsumerUserNameWithAQueryIsAConsumer() throws Exception {
        try (RawMqtt consumer = RawMqtt.open(gateway, HUB)) {
            assertThat(consumer.connect("svc3", HUB + "/$service/?api-version=2021-04-12",
                    RawHub.token(HUB, OWNER, RawHub.OWNER), 60)).isEqualTo(MqttConnectReturnCode.CONNECTION_ACCEPTED);
            assertThat(consumer.subscribe("devices/+/messages/events/#", 1)).as("a consumer's subscription").isEqualTo(1);
        }
        try (RawMqtt consumer = RawMqtt.open(gateway, HUB)) {
            assertThat(consumer.connect("svc4", HUB + "/$service/?api-version=2021-04-12",
                    RawHub.token(HUB, OTHER_OWNER, RawHub.OWNER), 60)).isEqualTo(MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED);
        }
        assertThat(refusals()).singleElement().satisfies(reason -> assertThat(reason)
                .contains("telemetry consumer of " + HUB + ": token bad_signature"));
    }

    @Test
    void aUserNameWithoutAQueryIsAcceptedAndLoggedAtDebug() throws Exception {
        Logger realm = (Logger) LoggerFactory.getLogger(REALM);
        ListAppender<ILoggingEvent> debug = new ListAppender<>();
        debug.start();
        realm.setLevel(Level.DEBUG);
        realm.addAppender(debug);
        try (RawMqtt device = RawMqtt.open(gateway, HUB)) {
            assertThat(device.connect("meter-3", HUB + "/meter-3/", RawMqtt.deviceToken(HUB, "meter-3", key("meter-3"), 600), 60))
                    .isEqualTo(MqttConnectReturnCode.CONNECTION_ACCEPTED);
        } finally {
            realm.detachAppender(debug);
            realm.setLevel(null);
        }
        assertThat(debug.list).singleElement().satisfies(event -> {
            assertThat(event.getLevel()).isEqualTo(Level.DEBUG);
            assertThat(event.getFormattedMessage()).isEqualTo(
                    "meter-3 connects with a user name without api-version: " + HUB + "/meter-3/");
        });
    }

    @Test
    void aCloudToDeviceMessageSentAgainToTheSameSessionIsMarkedDup() throws Exception {
        String token = RawHub.token(HUB, OWNER, RawHub.OWNER);
        RawHub service = new RawHub(HUB + ":" + gateway.httpsPort(), gateway.caFile());
        try (RawMqtt device = RawMqtt.open(gateway, HUB)) {
            assertThat(device.connectDeviceClean(HUB, "meter-4", key("meter-4"))).isEqualTo(MqttConnectReturnCode.CONNECTION_ACCEPTED);
        }
        try (RawMqtt device = RawMqtt.open(gateway, HUB)) {
            // CleanSession = 0 after a clean one: a new session that the next connection resumes.
            assertThat(device.connectDevice(HUB, "meter-4", key("meter-4"))).isEqualTo(MqttConnectReturnCode.CONNECTION_ACCEPTED);
            assertThat(device.subscribe("devices/meter-4/messages/devicebound/#", 1)).isEqualTo(1);
            assertThat(service.send("POST", "/devices/meter-4/messages/deviceBound", token, "lost ack",
                    "iothub-messageid", "c2d-1").statusCode()).isEqualTo(204);
            MqttPublishMessage first = nextPublish(device);
            assertThat(first.fixedHeader().isDup()).as("first delivery").isFalse();
            first.release();
            // no PUBACK: the connection drops
        }
        try (RawMqtt device = RawMqtt.open(gateway, HUB)) {
            assertThat(device.connectDevice(HUB, "meter-4", key("meter-4"))).isEqualTo(MqttConnectReturnCode.CONNECTION_ACCEPTED);
            MqttPublishMessage again = nextPublish(device);
            assertThat(again.payload().toString(StandardCharsets.UTF_8)).isEqualTo("lost ack");
            assertThat(again.fixedHeader().isDup()).as("sent again to the resumed session").isTrue();
            again.release();
            // still no PUBACK
        }
        try (RawMqtt device = RawMqtt.open(gateway, HUB)) {
            assertThat(device.connectDeviceClean(HUB, "meter-4", key("meter-4"))).isEqualTo(MqttConnectReturnCode.CONNECTION_ACCEPTED);
            assertThat(device.subscribe("devices/meter-4/messages/devicebound/#", 2)).isEqualTo(1);
            MqttPublishMessage fresh = nextPublish(device);
            assertThat(fresh.fixedHeader().isDup()).as("new to a new session").isFalse();
            int packetId = fresh.variableHeader().packetId();
            fresh.release();
            device.send(MqttMessageBuilders.pubAck().packetId(packetId).build());
        }
    }

    @Test
    void theHubsOwnerPolicyTokenConnectsAnyRegisteredDevice() throws Exception {
        String user = RawMqtt.deviceUser(HUB, "meter-5");
        long expiry = Instant.now().getEpochSecond() + 600;
        for (String token : List.of(RawHub.token(HUB, OWNER, RawHub.OWNER),
                SasTokenSigner.sign(HUB + "/devices", expiry, SymmetricKeys.decode(OWNER), RawHub.OWNER))) {
            try (RawMqtt device = RawMqtt.open(gateway, HUB)) {
                assertThat(device.connect("meter-5", user, token, 60)).as(token).isEqualTo(MqttConnectReturnCode.CONNECTION_ACCEPTED);
                device.publish("devices/meter-5/messages/events/", MqttQoS.AT_LEAST_ONCE, "{}".getBytes(StandardCharsets.UTF_8), 3);
                assertThat(RawMqtt.isPubAck(device.read(), 3)).isTrue();
            }
        }
        try (RawMqtt device = RawMqtt.open(gateway, HUB)) {
            assertThat(device.connect("meter-5", user, RawHub.token(HUB, OTHER_OWNER, RawHub.OWNER), 60))
                    .as("signed with another key").isEqualTo(MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED);
        }
        try (RawMqtt device = RawMqtt.open(gateway, HUB)) {
            assertThat(device.connect("meter-5", user, RawHub.token(OTHER_HUB, OTHER_OWNER, RawHub.OWNER), 60))
                    .as("the other hub's token").isEqualTo(MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED);
        }
        try (RawMqtt device = RawMqtt.open(gateway, HUB)) {
            assertThat(device.connect("meter-5", user, RawHub.token(HUB, OWNER, "registryRead"), 60))
                    .as("a policy the hub does not have").isEqualTo(MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED);
        }
        try (RawMqtt device = RawMqtt.open(gateway, HUB)) {
            assertThat(device.connect("unknown-meter", RawMqtt.deviceUser(HUB, "unknown-meter"),
                    RawHub.token(HUB, OWNER, RawHub.OWNER), 60))
                    .as("a device not registered").isEqualTo(MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED);
        }
        assertThat(refusals()).hasSize(4).anySatisfy(reason -> assertThat(reason)
                .endsWith("SAS token of iothubowner for meter-5: bad_signature"));
    }

    /** The next PUBLISH from the hub, past the PUBACKs of the device's own QoS 1 requests. */
    static MqttPublishMessage nextPublish(RawMqtt device) throws Exception {
        while (true) {
            MqttMessage message = device.read();
            if (message instanceof MqttPublishMessage publish) {
                return publish;
            }
            assertThat(message.fixedHeader().messageType()).isIn(MqttMessageType.PUBACK, MqttMessageType.SUBACK);
        }
    }
}
