package io.onramp.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.azure.sdk.iot.device.ClientOptions;
import com.microsoft.azure.sdk.iot.device.DeviceClient;
import com.microsoft.azure.sdk.iot.device.IotHubClientProtocol;
import com.microsoft.azure.sdk.iot.device.IotHubMessageResult;
import com.microsoft.azure.sdk.iot.device.Message;
import io.onramp.certs.ca.CaMaterial;
import io.onramp.certs.ca.CertificateBuilder;
import io.onramp.certs.sas.SasTokenSigner;
import io.onramp.certs.sas.SymmetricKeys;
import io.onramp.certs.x509.Thumbprints;
import io.onramp.gateway.support.RawHub;
import io.onramp.gateway.support.TelemetryConsumer;
import io.onramp.gateway.support.TestGateway;
import io.onramp.gateway.support.TestTls;
import io.onramp.gateway.support.X509Device;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * IoT hub devices over HTTPS (hub-device-protocol.md 5): the Java SDK's {@code HTTPS} transport, unmodified, sends
 * telemetry and polls its cloud-to-device messages; raw requests for a batch, each way of settling a polled message and
 * the refusals (a token for another device, a lock no longer held).
 */
class HttpsHubDeviceIT {

    static final String ADDRESS = "127.0.0.194";
    static final String HUB = "127.0.0.195";
    static final String OWNER = "SHR0cHNIdWJEZXZpY2VPd25lcktleUZvclRlc3RzMDA=";
    static final String KEY = "SHR0cHNIdWJEZXZpY2VLZXlGb3JUZXN0c09ubHkwMDA=";

    @TempDir
    static Path dataDir;
    static TestGateway gateway;
    static RawHub hub;
    static String ownerToken;

    @BeforeAll
    static void startGateway() throws Exception {
        gateway = TestGateway.startOnStandardPorts(ADDRESS, List.of(HUB), dataDir, """
            hubs:
              - { name: line-h, hostName: %s, ownerKey: %s }
            """.formatted(HUB, OWNER));
        hub = new RawHub(HUB + ":" + gateway.httpsPort(), gateway.caFile());
        ownerToken = RawHub.token(HUB, OWNER, RawHub.OWNER);
        for (String device : List.of("https-sdk", "https-raw", "https-other")) {
            hub.createSasDevice(ownerToken, device, KEY);
        }
    }

    @AfterAll
    static void stopGateway() {
        gateway.close();
    }

    private static String deviceToken(String device) {
        return SasTokenSigner.sign(HUB + "/devices/" + device, Instant.now().getEpochSecond() + 600, SymmetricKeys.decode(KEY),
                null);
    }

    @Test
    void theJavaSdkSendsTelemetryAndPollsItsMessagesOverHttps() throws Exception {
        BlockingQueue<Message> received = new LinkedBlockingQueue<>();
        DeviceClient client = new DeviceClient("HostName=" + HUB + ";DeviceId=https-sdk;SharedAccessKey=" + KEY,
                IotHubClientProtocol.HTTPS, ClientOptions.builder().sslContext(TestTls.trusting(gateway.caFile()))
                        .receiveInterval(200).build());
        client.setMessageCallback((message, context) -> {
            received.add(message);
            return IotHubMessageResult.COMPLETE;
        }, null);
        try (TelemetryConsumer consumer = TelemetryConsumer.subscribe(gateway, HUB, OWNER, "devices/https-sdk/#")) {
            client.open(true);
            Message message = new Message("{\"over\":\"https\"}");
            message.setMessageId("h-1");
            message.setContentType("application/json");
            message.setProperty("line", "h 1");
            client.sendEvent(message);

            TelemetryConsumer.Received telemetry = consumer.messages().poll(10, TimeUnit.SECONDS);
            assertThat(telemetry).as("telemetry at the consumer").isNotNull();
            assertThat(telemetry.body()).isEqualTo("{\"over\":\"https\"}");
            assertThat(telemetry.topic()).contains("%24.mid=h-1").contains("%24.ct=application%2Fjson")
                    .contains("line=h%201").contains("iothub-connection-device-id=https-sdk");

            HttpResponse<String> sent = hub.send("POST", "/devices/https-sdk/messages/deviceBound", ownerToken, "close valve",
                    "iothub-messageid", "c2d-h", "iothub-correlationid", "corr-h", "iothub-app-valve", "v2");
            assertThat(sent.statusCode()).as(sent.body()).isBetween(200, 204);
            Message c2d = received.poll(15, TimeUnit.SECONDS);
            assertThat(c2d).as("polled cloud-to-device message").isNotNull();
            assertThat(new String(c2d.getBytes(), StandardCharsets.UTF_8)).isEqualTo("close valve");
            assertThat(c2d.getMessageId()).isEqualTo("c2d-h");
            assertThat(c2d.getCorrelationId()).isEqualTo("corr-h");
            assertThat(c2d.getProperty("valve")).isEqualTo("v2");
            JsonObject identity = new JsonObject(hub.send("GET", "/devices/https-sdk", ownerToken, null).body());
            assertThat(identity.getString("connectionState")).as("a device that polls is not connected").isEqualTo("Disconnected");
            assertThat(Instant.parse(identity.getString("lastActivityTime"))).as("but it was active")
                    .isAfter(Instant.now().minusSeconds(60));
            hub.awaitCloudToDeviceCount(ownerToken, "https-sdk", 0);
        } finally {
            client.close();
        }
    }

    @Test
    void aBatchArrivesMessageByMessage() throws Exception {
        JsonArray batch = new JsonArray()
                .add(new JsonObject().put("body", Base64.getEncoder().encodeToString("one".getBytes(StandardCharsets.UTF_8)))
                        .put("properties", new JsonObject().put("iothub-app-n", "1")))
                .add(new JsonObject().put("body", Base64.getEncoder().encodeToString("two".getBytes(StandardCharsets.UTF_8)))
                        .put("properties", new JsonObject().put("iothub-app-n", "2").put("iothub-messageid", "b-2")));
        try (TelemetryConsumer consumer = TelemetryConsumer.subscribe(gateway, HUB, OWNER, "devices/https-raw/#")) {
            HttpResponse<String> sent = hub.send("POST", "/devices/https-raw/messages/events", deviceToken("https-raw"),
                    batch.encode(), "Content-Type", "application/vnd.microsoft.iothub.json");
            assertThat(sent.statusCode()).as(sent.body()).isEqualTo(204);

            List<TelemetryConsumer.Received> messages = List.of(consumer.messages().poll(10, TimeUnit.SECONDS),
                    consumer.messages().poll(10, TimeUnit.SECONDS));
            assertThat(messages).extracting(TelemetryConsumer.Received::body).containsExactlyInAnyOrder("one", "two");
            assertThat(messages).anySatisfy(m -> assertThat(m.topic()).contains("%24.mid=b-2").contains("n=2"));
        }
    }

    @Test
    void polledMessagesAreCompletedRejectedOrAbandonedByTheirLockToken() throws Exception {
        String token = deviceToken("https-raw");
        assertThat(hub.send("GET", "/devices/https-raw/messages/devicebound", token, null).statusCode())
                .as("nothing waits").isEqualTo(204);
        for (String body : List.of("first", "second")) {
            assertThat(hub.send("POST", "/devices/https-raw/messages/deviceBound", ownerToken, body).statusCode()).isEqualTo(204);
        }

        HttpResponse<String> first = hub.send("GET", "/devices/https-raw/messages/devicebound", token, null);
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.body()).isEqualTo("first");
        String firstLock = first.headers().firstValue("ETag").orElseThrow().replace("\"", "");
        HttpResponse<String> second = hub.send("GET", "/devices/https-raw/messages/devicebound", token, null);
        assertThat(second.body()).as("the first is locked: the next poll gets the second").isEqualTo("second");
        String secondLock = second.headers().firstValue("ETag").orElseThrow().replace("\"", "");
        assertThat(hub.send("GET", "/devices/https-raw/messages/devicebound", token, null).statusCode())
                .as("both locked").isEqualTo(204);

        // Abandoned, the first comes back at the next poll under a new lock; the old lock no longer holds.
        assertThat(hub.send("POST", "/devices/https-raw/messages/devicebound/" + firstLock + "/abandon", token, null)
                .statusCode()).isEqualTo(204);
        HttpResponse<String> again = hub.send("GET", "/devices/https-raw/messages/devicebound", token, null);
        assertThat(again.body()).isEqualTo("first");
        RawHub.assertHubError(hub.send("DELETE", "/devices/https-raw/messages/devicebound/" + firstLock, token, null,
                "If-Match", "\"" + firstLock + "\""), 412, "DeviceMessageLockLost");
        String againLock = again.headers().firstValue("ETag").orElseThrow().replace("\"", "");
        assertThat(hub.send("DELETE", "/devices/https-raw/messages/devicebound/" + againLock, token, null,
                "If-Match", "\"" + againLock + "\"").statusCode()).as("completed").isEqualTo(204);
        assertThat(hub.send("DELETE", "/devices/https-raw/messages/devicebound/" + secondLock + "?reject", token, null)
                .statusCode()).as("rejected").isEqualTo(204);

        hub.awaitCloudToDeviceCount(ownerToken, "https-raw", 0);
        assertThat(hub.send("GET", "/devices/https-raw/messages/devicebound", token, null).statusCode()).isEqualTo(204);
    }

    @Test
    void aRequestNotProvedForItsDeviceIsRefused401AndLosesNothing() throws Exception {
        try (TelemetryConsumer consumer = TelemetryConsumer.subscribe(gateway, HUB, OWNER, "devices/#")) {
            RawHub.assertHubError(hub.send("POST", "/devices/https-raw/messages/events", deviceToken("https-other"), "x"),
                    401, "IotHubUnauthorizedAccess");
            RawHub.assertHubError(hub.send("POST", "/devices/https-raw/messages/events", null, "x"),
                    401, "IotHubUnauthorizedAccess");
            RawHub.assertHubError(hub.send("GET", "/devices/https-raw/messages/devicebound", deviceToken("https-other"), null),
                    401, "IotHubUnauthorizedAccess");
            RawHub.assertHubError(hub.send("POST", "/devices/https-raw/messages/events", deviceToken("https-raw"), "[1]",
                    "Content-Type", "application/vnd.microsoft.iothub.json"), 400, "ArgumentInvalid");
            assertThat(consumer.messages().poll(1, TimeUnit.SECONDS)).as("nothing was sent").isNull();
        }
    }


    @Test
    void anX509DeviceSendsOverHttpsWithItsCertificate() throws Exception {
        CaMaterial certificate = CertificateBuilder.selfSignedDevice("https-x509").issue();
        HttpResponse<String> created = hub.send("PUT", "/devices/https-x509", ownerToken, new JsonObject()
                .put("deviceId", "https-x509").put("authentication", new JsonObject().put("type", "selfSigned")
                        .put("x509Thumbprint", new JsonObject().put("primaryThumbprint",
                                Thumbprints.sha256(certificate.certificate())))).encode());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
        X509Device device = new X509Device(List.of(certificate.certificate()), certificate.privateKey(), "https-x509");
        try (TelemetryConsumer consumer = TelemetryConsumer.subscribe(gateway, HUB, OWNER, "devices/https-x509/#")) {
            DeviceClient client = device.connectToHub(gateway, HUB, "https-x509", IotHubClientProtocol.HTTPS);
            try {
                client.sendEvent(new Message("{\"x509\":\"https\"}"));
                TelemetryConsumer.Received received = consumer.messages().poll(10, TimeUnit.SECONDS);
                assertThat(received).as("telemetry at the consumer").isNotNull();
                assertThat(received.topic()).contains("x509Certificate");
            } finally {
                client.close();
            }
        }
        // Without its certificate the same request is refused: it proves nothing.
        RawHub.assertHubError(hub.send("POST", "/devices/https-x509/messages/events", null, "x"), 401,
                "IotHubUnauthorizedAccess");
    }
}
