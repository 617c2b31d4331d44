package io.onramp.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.azure.sdk.iot.device.ClientOptions;
import com.microsoft.azure.sdk.iot.device.DeviceClient;
import com.microsoft.azure.sdk.iot.device.IotHubClientProtocol;
import com.microsoft.azure.sdk.iot.device.IotHubMessageResult;
import com.microsoft.azure.sdk.iot.device.Message;
import com.microsoft.azure.sdk.iot.device.twin.DirectMethodResponse;
import com.microsoft.azure.sdk.iot.device.twin.Twin;
import com.microsoft.azure.sdk.iot.device.twin.TwinCollection;
import com.microsoft.azure.sdk.iot.provisioning.device.ProvisioningDeviceClientRegistrationResult;
import io.onramp.certs.ca.CaMaterial;
import io.onramp.certs.ca.CertificateBuilder;
import io.onramp.gateway.support.HubDevice;
import io.onramp.gateway.support.RawHub;
import io.onramp.gateway.support.SdkDevice;
import io.onramp.gateway.support.TelemetryConsumer;
import io.onramp.gateway.support.TestGateway;
import io.onramp.gateway.support.TestTls;
import io.onramp.gateway.support.X509Device;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * IoT hub devices over AMQP with the official Java SDK, unmodified ({@code AMQPS} on 5671, {@code AMQPS_WS} on 443):
 * provisioned over AMQP, then at their hub: telemetry a local consumer reads, the twin (read, reported, desired
 * pushed), a direct method, cloud-to-device messages with the device's three answers; a CBS put-token for
 * symmetric keys, the TLS client certificate for an X.509 device.
 */
class AmqpHubDeviceIT {

    static final String ADDRESS = "127.0.0.183";
    static final String HUB = "127.0.0.184";
    static final String OWNER = "QW1xcEh1YkRldmljZU93bmVyS2V5Rm9yVGVzdHMwMDA=";
    static final String DEVICE_KEY = "QW1xcEh1YkRldmljZUtleUZvclRlc3RzT25seTAwMDA=";
    static final CaMaterial X509 = CertificateBuilder.selfSignedDevice("amqp-hub-x509").issue();

    @TempDir
    static Path dataDir;
    static TestGateway gateway;
    static RawHub service;
    static String token;

    @BeforeAll
    static void startGateway() throws Exception {
        gateway = TestGateway.startOnStandardPorts(ADDRESS, List.of(HUB), dataDir, """
            hubs:
              - { name: line-q, hostName: %s, ownerKey: %s }
            individualEnrollments:
              - registrationId: press-amqps
                attestation: { type: symmetricKey, symmetricKey: { primaryKey: %s } }
                initialTwin: { properties: { desired: { interval: 30 } } }
              - registrationId: press-amqps_ws
                attestation: { type: symmetricKey, symmetricKey: { primaryKey: %s } }
                initialTwin: { properties: { desired: { interval: 30 } } }
              - registrationId: press-outcomes
                attestation: { type: symmetricKey, symmetricKey: { primaryKey: %s } }
              - registrationId: amqp-hub-x509
                attestation: { type: x509, x509: { clientCertificates: { primary: { certificate: "%s" } } } }
            """.formatted(HUB, OWNER, DEVICE_KEY, DEVICE_KEY, DEVICE_KEY,
                Base64.getEncoder().encodeToString(X509.certificate().getEncoded())));
        service = new RawHub(HUB + ":" + gateway.httpsPort(), gateway.caFile());
        token = RawHub.token(HUB, OWNER, RawHub.OWNER);
    }

    @AfterAll
    static void stopGateway() {
        gateway.close();
    }

    @ParameterizedTest
    @EnumSource(value = IotHubClientProtocol.class, names = {"AMQPS", "AMQPS_WS"})
    void aSymmetricKeyDeviceUsesItsHubOverAmqp(IotHubClientProtocol protocol) throws Exception {
        String registrationId = "press-" + protocol.name().toLowerCase();
        ProvisioningDeviceClientRegistrationResult result = SdkDevice.registerOverAmqp(gateway, registrationId, DEVICE_KEY, null);
        assertThat(result.getIothubUri()).isEqualTo(HUB);
        String deviceId = result.getDeviceId();

        try (TelemetryConsumer consumer = TelemetryConsumer.subscribe(gateway, HUB, OWNER, "devices/+/messages/events/#");
                HubDevice device = HubDevice.connect(gateway, HUB, deviceId, DEVICE_KEY, protocol)) {
            // Telemetry: what the device set arrives with the hub's stamps.
            Message message = new Message("{\"temperature\":21.5}");
            message.setContentType("application/json");
            message.setMessageId("amqp-1");
            message.setProperty("line", "a b+c");
            device.client().sendEvent(message);
            TelemetryConsumer.Received received = consumer.messages().poll(10, TimeUnit.SECONDS);
            assertThat(received).as("telemetry at the consumer").isNotNull();
            assertThat(received.body()).isEqualTo("{\"temperature\":21.5}");
            assertThat(received.topic()).startsWith("devices/" + deviceId + "/messages/events/")
                    .contains("%24.mid=amqp-1").contains("%24.ct=application%2Fjson").contains("line=a%20b%2Bc")
                    .contains("iothub-connection-device-id=" + deviceId);

            // The twin: the enrollment's initial twin, a reported update, a desired change pushed.
            BlockingQueue<Twin> desired = new LinkedBlockingQueue<>();
            device.client().subscribeToDesiredProperties((twin, context) -> desired.add(twin), null);
            Twin twin = device.twin();
            assertThat(((Number) twin.getDesiredProperties().get("interval")).intValue()).isEqualTo(30);
            TwinCollection reported = new TwinCollection();
            reported.put("firmware", "2.0.1");
            Integer acknowledged = device.reportedVersion(reported);
            if (acknowledged != null) {
                assertThat(acknowledged).isEqualTo(2);
            }
            // Read back from the service side: the stored twin is what counts when the SDK lost the answer.
            assertThat(new JsonObject(service.send("GET", "/twins/" + deviceId, token, null).body())
                    .getJsonObject("properties").getJsonObject("reported").getString("firmware")).isEqualTo("2.0.1");
            HttpResponse<String> patched = service.send("PATCH", "/twins/" + deviceId, token,
                    "{\"properties\":{\"desired\":{\"interval\":10}}}", "If-Match", "\"*\"");
            assertThat(patched.statusCode()).as(patched.body()).isEqualTo(200);
            Twin update = pollDesired(desired, 10);
            assertThat(update).as("desired-property notification").isNotNull();
            assertThat(update.getDesiredProperties().getVersion()).isEqualTo(2);

            // A direct method, answered.
            device.client().subscribeToMethods((method, payload, context) -> new DirectMethodResponse(200,
                    Map.of("method", method, "delay", payload.getPayloadAsJsonElement().getAsJsonObject().get("delay").getAsInt())),
                    null);
            HttpResponse<String> invoked = service.send("POST", "/twins/" + deviceId + "/methods", token,
                    "{\"methodName\":\"reboot\",\"payload\":{\"delay\":5},\"responseTimeoutInSeconds\":10}");
            assertThat(invoked.statusCode()).as(invoked.body()).isEqualTo(200);
            JsonObject answer = new JsonObject(invoked.body());
            assertThat(answer.getInteger("status")).isEqualTo(200);
            assertThat(answer.getJsonObject("payload").getString("method")).isEqualTo("reboot");
            assertThat(answer.getJsonObject("payload").getInteger("delay")).isEqualTo(5);

            // A cloud-to-device message with its properties.
            HttpResponse<String> sent = service.send("POST", "/devices/" + deviceId + "/messages/deviceBound", token,
                    "open valve", "iothub-messageid", "c2d-1", "iothub-correlationid", "corr-1", "iothub-app-valve", "open slowly");
            assertThat(sent.statusCode()).as(sent.body()).isBetween(200, 204);
            Message c2d = device.cloudToDevice().poll(15, TimeUnit.SECONDS);
            assertThat(c2d).as("cloud-to-device message").isNotNull();
            assertThat(new String(c2d.getBytes(), StandardCharsets.UTF_8)).isEqualTo("open valve");
            assertThat(c2d.getMessageId()).isEqualTo("c2d-1");
            assertThat(c2d.getCorrelationId()).isEqualTo("corr-1");
            assertThat(c2d.getProperty("valve")).isEqualTo("open slowly");

            JsonObject identity = new JsonObject(service.send("GET", "/devices/" + deviceId, token, null).body());
            assertThat(identity.getString("connectionState")).isEqualTo("Connected");
            service.awaitCloudToDeviceCount(token, deviceId, 0);
        }
    }

    /** The SDK also reports the twin it read as a desired update: the one wanted has the version asked for. */
    private static Twin pollDesired(BlockingQueue<Twin> desired, int seconds) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        for (Twin twin; (twin = desired.poll(Math.max(1, end - System.nanoTime()), TimeUnit.NANOSECONDS)) != null; ) {
            if (twin.getDesiredProperties().getVersion() != null && twin.getDesiredProperties().getVersion() == 2) {
                return twin;
            }
        }
        return null;
    }

    @Test
    void cloudToDeviceMessagesAreCompletedAbandonedOrRejectedAsTheDeviceAnswers() throws Exception {
        String deviceId = SdkDevice.registerOverAmqp(gateway, "press-outcomes", DEVICE_KEY, null).getDeviceId();
        List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        DeviceClient client = new DeviceClient("HostName=" + HUB + ";DeviceId=" + deviceId + ";SharedAccessKey=" + DEVICE_KEY,
                IotHubClientProtocol.AMQPS, ClientOptions.builder().sslContext(TestTls.trusting(gateway.caFile())).build());
        client.setMessageCallback((message, context) -> {
            String body = new String(message.getBytes(), StandardCharsets.UTF_8);
            boolean again = seen.contains(body);
            seen.add(body);
            return body.startsWith("reject") ? IotHubMessageResult.REJECT
                    : body.equals("abandon forever") || body.equals("abandon once") && !again ? IotHubMessageResult.ABANDON
                    : IotHubMessageResult.COMPLETE;
        }, null);
        client.open(true);
        try {
            send(deviceId, "reject this");
            awaitSeen(seen, "reject this", 1);
            service.awaitCloudToDeviceCount(token, deviceId, 0);

            // Abandoned: back to the device at once, completed the second time.
            send(deviceId, "abandon once");
            awaitSeen(seen, "abandon once", 2);
            service.awaitCloudToDeviceCount(token, deviceId, 0);

            // Abandoned every time: dead-lettered after ten deliveries, as IoT hub's default maxDeliveryCount.
            send(deviceId, "abandon forever");
            awaitSeen(seen, "abandon forever", 10);
            service.awaitCloudToDeviceCount(token, deviceId, 0);
            Thread.sleep(500);
            assertThat(seen).as("sent no more than ten times").filteredOn("abandon forever"::equals).hasSize(10);
            assertThat(seen).as("the rejected one is not sent again").filteredOn("reject this"::equals).hasSize(1);
        } finally {
            client.close();
        }
    }

    private static void awaitSeen(List<String> seen, String body, int times) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (seen.stream().filter(body::equals).count() < times && System.nanoTime() < end) {
            Thread.sleep(50);
        }
        assertThat(seen).as("deliveries of " + body).filteredOn(body::equals).hasSize(times);
    }

    private static void send(String deviceId, String body) throws Exception {
        HttpResponse<String> sent = service.send("POST", "/devices/" + deviceId + "/messages/deviceBound", token, body);
        assertThat(sent.statusCode()).as(sent.body()).isBetween(200, 204);
    }


    @ParameterizedTest
    @EnumSource(value = IotHubClientProtocol.class, names = {"AMQPS", "AMQPS_WS"})
    void anX509DeviceSendsTelemetryOverAmqpWithItsCertificate(IotHubClientProtocol protocol) throws Exception {
        X509Device device = new X509Device(List.of(X509.certificate()), X509.privateKey(), "amqp-hub-x509");
        String deviceId = X509Device.registerOverAmqp(gateway, device).getDeviceId();

        try (TelemetryConsumer consumer = TelemetryConsumer.subscribe(gateway, HUB, OWNER, "devices/" + deviceId + "/#")) {
            DeviceClient client = device.connectToHub(gateway, HUB, deviceId, protocol);
            try {
                client.sendEvent(new Message("{\"x509\":true}"));
                TelemetryConsumer.Received received = consumer.messages().poll(10, TimeUnit.SECONDS);
                assertThat(received).as("telemetry at the consumer").isNotNull();
                assertThat(received.body()).isEqualTo("{\"x509\":true}");
                assertThat(received.topic()).contains("x509Certificate");
            } finally {
                client.close();
            }
        }
    }

    /** A field gateway's case: Java's MultiplexingClient puts many devices on one AMQP connection, a session each. */
    @Test
    void devicesMultiplexedOnOneConnectionEachSendAsThemselves() throws Exception {
        int count = 12;
        List<DeviceClient> devices = new java.util.ArrayList<>();
        for (int i = 0; i < count; i++) {
            String deviceId = "mux-" + i;
            service.createSasDevice(token, deviceId, DEVICE_KEY);
            // The SDK's connection takes the TLS context of its first device (not the multiplexing client's options).
            devices.add(new DeviceClient("HostName=" + HUB + ";DeviceId=" + deviceId + ";SharedAccessKey=" + DEVICE_KEY,
                    IotHubClientProtocol.AMQPS, ClientOptions.builder().sslContext(TestTls.trusting(gateway.caFile())).build()));
        }
        com.microsoft.azure.sdk.iot.device.MultiplexingClient multiplexed = new com.microsoft.azure.sdk.iot.device.MultiplexingClient(
                HUB, IotHubClientProtocol.AMQPS, com.microsoft.azure.sdk.iot.device.MultiplexingClientOptions.builder()
                        .sslContext(TestTls.trusting(gateway.caFile())).build());
        try (TelemetryConsumer consumer = TelemetryConsumer.subscribe(gateway, HUB, OWNER, "devices/+/messages/events/#")) {
            multiplexed.registerDeviceClients(devices);
            multiplexed.open(true);
            for (DeviceClient device : devices) {
                device.sendEvent(new Message("{\"from\":\"" + device.getConfig().getDeviceId() + "\"}"));
            }
            java.util.Set<String> senders = new java.util.HashSet<>();
            for (int i = 0; i < count; i++) {
                TelemetryConsumer.Received received = consumer.messages().poll(10, TimeUnit.SECONDS);
                assertThat(received).as("message " + i + " at the consumer").isNotNull();
                String sender = new JsonObject(received.body()).getString("from");
                assertThat(received.topic()).startsWith("devices/" + sender + "/");
                senders.add(sender);
            }
            assertThat(senders).hasSize(count);
        } finally {
            multiplexed.close();
        }
    }
}
