package io.onramp.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttQoS;
import com.microsoft.azure.sdk.iot.device.Message;
import io.onramp.certs.sas.SymmetricKeys;
import io.onramp.gateway.support.CapturedLog;
import io.onramp.gateway.support.HubDevice;
import io.onramp.gateway.support.RawDps;
import io.onramp.gateway.support.RawHub;
import io.onramp.gateway.support.RawMqtt;
import io.onramp.gateway.support.SdkDevice;
import io.onramp.gateway.support.TelemetryConsumer;
import io.onramp.gateway.support.TestGateway;
import io.onramp.gateway.upstream.MqttUpstream;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * A plant's Onramp forwarding its hub's telemetry to an IoT hub upstream, as one device of it (a device connection
 * string), the way it would to Azure IoT Hub: here the upstream hub is a second Onramp, which speaks IoT Hub's device
 * side. The official device SDK sends at the plant; the central hub's telemetry consumer reads each message as sent
 * by the gateway's device, with the plant device's properties and who sent it; the SAS token is renewed before it
 * ends, without losing a message.
 */
class IotHubUpstreamIT {

    static final String CENTRAL = "127.0.0.175";
    static final String CENTRAL_HUB = "127.0.0.177";
    static final String PLANT = "127.0.0.178";
    static final String PLANT_HUB = "127.0.0.176";
    static final String CENTRAL_OWNER = "SW90SHViVXBzdHJlYW1DZW50cmFsT3duZXJLZXkxMjM=";
    static final String PLANT_OWNER = "SW90SHViVXBzdHJlYW1QbGFudE93bmVyS2V5MTIzNDU=";
    static final String GROUP_KEY = "SW90SHViVXBzdHJlYW1QbGFudEdyb3VwS2V5MTIzNDU=";
    static final String GATEWAY_DEVICE_KEY = "SW90SHViVXBzdHJlYW1HYXRld2F5RGV2aWNlS2V5MTI=";

    @TempDir
    static Path centralData;
    @TempDir
    static Path plantData;
    static TestGateway central;
    static TestGateway plant;

    @BeforeAll
    static void start() throws Exception {
        central = TestGateway.startWithMqtt(CENTRAL, List.of(CENTRAL_HUB), centralData, """
            hubs:
              - { name: central, hostName: %s, ownerKey: %s }
            """.formatted(CENTRAL_HUB, CENTRAL_OWNER));
        // The plant gateway's identity at the central hub, made as an operator would, through its registry API.
        HttpResponse<String> created = new RawHub(CENTRAL_HUB + ":" + central.httpsPort(), central.caFile()).send("PUT",
                "/devices/plant-gw?" + RawHub.API, RawHub.token(CENTRAL_HUB, CENTRAL_OWNER, RawHub.OWNER),
                new JsonObject().put("deviceId", "plant-gw").put("authentication", new JsonObject().put("type", "sas")
                        .put("symmetricKey", new JsonObject().put("primaryKey", GATEWAY_DEVICE_KEY)
                                .put("secondaryKey", GATEWAY_DEVICE_KEY))).encode());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
        System.setProperty("onramp.upstream.sasTokenSeconds", "3"); // renewed every 2.7 s: seen within the test
        plant = TestGateway.startWithMqtt(PLANT, List.of(PLANT_HUB), plantData, """
            hubs:
              - name: line-p
                hostName: %s
                ownerKey: %s
                upstream:
                  connectionString: HostName=%s;DeviceId=plant-gw;SharedAccessKey=%s
                  caCertificate: %s
            enrollmentGroups:
              - enrollmentGroupId: presses
                attestation: { type: symmetricKey, symmetricKey: { primaryKey: %s } }
            """.formatted(PLANT_HUB, PLANT_OWNER, CENTRAL_HUB, GATEWAY_DEVICE_KEY, central.caFile(), GROUP_KEY));
    }

    @AfterAll
    static void stop() {
        System.clearProperty("onramp.upstream.sasTokenSeconds");
        if (plant != null) {
            plant.close();
        }
        if (central != null) {
            central.close();
        }
    }

    @Test
    void aMessageTheUpstreamHubCouldNeverTakeIsDroppedWithAnErrorAndTheOthersGoOn() throws Exception {
        String key = SymmetricKeys.deriveDeviceKey(GROUP_KEY, "press-2");
        SdkDevice.registerOverHttps(plant, "press-2", key, null);
        try (CapturedLog log = CapturedLog.of(MqttUpstream.class);
                TelemetryConsumer consumer = TelemetryConsumer.subscribe(central, CENTRAL_HUB, CENTRAL_OWNER,
                        "devices/+/messages/events/#");
                RawMqtt device = RawMqtt.open(plant, PLANT_HUB)) {
            assertThat(device.connectDevice(PLANT_HUB, "press-2", key)).isEqualTo(MqttConnectReturnCode.CONNECTION_ACCEPTED);
            // 20 bytes under 256 KiB: the plant's hub takes it; with onramp-device-id and the rest it is over
            byte[] big = new byte[256 * 1024 - 20];
            java.util.Arrays.fill(big, (byte) 'x');
            device.publish("devices/press-2/messages/events/", MqttQoS.AT_LEAST_ONCE, big, 1);
            assertThat(RawMqtt.isPubAck(device.read(), 1)).isTrue();
            device.publish("devices/press-2/messages/events/", MqttQoS.AT_LEAST_ONCE, "after".getBytes(), 2);
            assertThat(RawMqtt.isPubAck(device.read(), 2)).isTrue();

            TelemetryConsumer.Received received = consumer.messages().poll(20, TimeUnit.SECONDS);
            assertThat(received).as("the message behind it").isNotNull();
            assertThat(received.body()).isEqualTo("after");
            assertThat(consumer.messages().poll(1, TimeUnit.SECONDS)).isNull();
            assertThat(log.lines()).anySatisfy(line -> assertThat(line.getFormattedMessage())
                    .contains("a message of device press-2 is").contains("with the properties saying who sent it, over the"
                            + " 262144 the upstream takes: not forwarded"));
        }
        assertThat(new RawDps(plant).send("GET", "/metrics", null, null).body())
                .contains("onramp_upstream_dropped_total{hub=\"line-p\",host=\"" + PLANT_HUB + "\"} 1");
    }

    @Test
    void theCentralHubGetsThePlantsTelemetryFromTheGatewaysDeviceWithWhoSentItAcrossTokenRenewals() throws Exception {
        Logger upstreamLog = (Logger) LoggerFactory.getLogger(MqttUpstream.class);
        Level level = upstreamLog.getLevel();
        upstreamLog.setLevel(Level.DEBUG);
        try (CapturedLog log = CapturedLog.of(MqttUpstream.class);
                TelemetryConsumer consumer = TelemetryConsumer.subscribe(central, CENTRAL_HUB, CENTRAL_OWNER,
                        "devices/+/messages/events/#")) {
            String key = SymmetricKeys.deriveDeviceKey(GROUP_KEY, "press-1");
            var result = SdkDevice.registerOverHttps(plant, "press-1", key, null);
            try (HubDevice device = HubDevice.connect(plant, result.getIothubUri(), result.getDeviceId(), key)) {
                // one message a second for 8 s: the upstream connection renews its 3 s token twice or more meanwhile
                for (int i = 1; i <= 8; i++) {
                    Message message = new Message("{\"stroke\":" + i + "}");
                    message.setProperty("seq", Integer.toString(i));
                    message.setContentType("application/json");
                    device.client().sendEvent(message);
                    Thread.sleep(1_000);
                }
            }
            for (int i = 1; i <= 8; i++) {
                TelemetryConsumer.Received received = consumer.messages().poll(20, TimeUnit.SECONDS);
                assertThat(received).as("message " + i + " at the central hub").isNotNull();
                assertThat(received.body()).isEqualTo("{\"stroke\":" + i + "}");
                Map<String, String> bag = TelemetryConsumerIT.bag(received.topic());
                assertThat(received.topic()).startsWith("devices/plant-gw/messages/events/");
                assertThat(bag).containsEntry("seq", Integer.toString(i)).containsEntry("onramp-device-id", "press-1")
                        .containsEntry("onramp-hub", "line-p").containsEntry("iothub-connection-device-id", "plant-gw")
                        .containsKey("onramp-enqueued-time").containsEntry("$.ct", "application/json");
            }
            assertThat(log.lines()).as("renewals").filteredOn(l -> l.getFormattedMessage().contains("renewing"))
                    .hasSizeGreaterThanOrEqualTo(2);
            assertThat(log.lines()).as("no outage on the way").noneMatch(l -> l.getLevel() == Level.WARN);
        } finally {
            upstreamLog.setLevel(level);
        }
    }
}
