package io.onramp.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.onramp.certs.ca.CaMaterial;
import io.onramp.certs.ca.CertificateBuilder;
import io.onramp.certs.pem.PemWriter;
import io.onramp.certs.sas.SymmetricKeys;
import io.onramp.gateway.support.NodeSdk;
import io.onramp.gateway.support.RawHub;
import io.onramp.gateway.support.TelemetryConsumer;
import io.onramp.gateway.support.TestGateway;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The official Azure IoT Node SDK (azure-iot-provisioning-device 1.9.1, azure-iot-device 1.18.4, from npm,
 * unmodified) against the gateway: provisioning over HTTPS, MQTT, MQTT over WebSockets, AMQP (rhea, another AMQP
 * stack than the Java SDK's proton-j) and AMQP over WebSockets with a group's derived key, then the device on its
 * hub over the same family (AMQP after AMQP, MQTT after HTTPS and MQTT; over WebSockets after provisioning over a
 * WebSocket, as a device with only 443): initial twin, reported properties, telemetry with a property, a direct method and a
 * cloud-to-device message. The Node SDKs take no port with the endpoint: HTTPS and WebSockets on 443, MQTT on
 * 8883, AMQP on 5671.
 */
class NodeSdkIT {

    static final String GATEWAY = "127.0.0.155";
    static final String HUB = "127.0.0.156";
    static final String OWNER_KEY = "SHViQU93bmVyS2V5Rm9yVGVzdHNPbmx5MDAwMDAwMDA=";
    static final String GROUP_KEY = "R3JvdXBLZXlGb3JUZXN0VmVjdG9yc09ubHkwMDAwMDA=";
    static final String CUSTOM_GROUP_KEY = "Tm9kZUN1c3RvbUFsbG9jYXRpb25Hcm91cEtleVRlc3Q=";
    /** A custom allocation webhook, plain HTTP: it sends every device to the hub, with a payload naming it. */
    static Vertx webhookVertx;

    @TempDir
    static Path dataDir;
    static TestGateway gateway;

    static final List<String> TRANSPORTS = List.of("http", "mqtt", "mqttws", "amqp", "amqpws");
    /** One self-signed device certificate per transport, each its own individual enrollment (its CN). */
    static final Map<String, CaMaterial> X509_DEVICES = TRANSPORTS.stream().collect(java.util.stream.Collectors.toMap(
            transport -> transport, transport -> CertificateBuilder.selfSignedDevice("node-x509-" + transport).issue()));

    @BeforeAll
    static void start() throws Exception {
        NodeSdk.install();
        webhookVertx = Vertx.vertx();
        int webhookPort = webhookVertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
            String id = body.toJsonObject().getJsonObject("deviceRuntimeContext").getString("registrationId");
            request.response().putHeader("Content-Type", "application/json").end(new JsonObject()
                    .put("iotHubHostName", HUB).put("payload", new JsonObject().put("chosenFor", id)).encode());
        })).listen(0, "127.0.0.164").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).actualPort();
        StringBuilder x509Enrollments = new StringBuilder("individualEnrollments:\n");
        for (CaMaterial device : X509_DEVICES.values()) {
            x509Enrollments.append("  - { registrationId: %s, attestation: { type: x509, x509: { clientCertificates: {"
                    .formatted(device.certificate().getSubjectX500Principal().getName().substring("CN=".length()))
                    + " primary: { certificate: \"%s\" } } } } }\n".formatted(
                            Base64.getEncoder().encodeToString(device.certificate().getEncoded())));
        }
        gateway = TestGateway.startOnStandardPorts(GATEWAY, List.of(HUB), dataDir, """
            hubs: [ { name: line-a, hostName: %s, ownerKey: %s } ]
            enrollmentGroups:
              - enrollmentGroupId: sensors
                attestation: { type: symmetricKey, symmetricKey: { primaryKey: %s } }
                initialTwin: { tags: { site: plant-1 }, properties: { desired: { interval: 30 } } }
              - enrollmentGroupId: node-custom
                attestation: { type: symmetricKey, symmetricKey: { primaryKey: %s } }
                allocationPolicy: custom
                customAllocationDefinition: { webhookUrl: "http://127.0.0.164:%d/api/assign", apiVersion: "2021-10-01" }
            """.formatted(HUB, OWNER_KEY, GROUP_KEY, CUSTOM_GROUP_KEY, webhookPort) + x509Enrollments);
    }

    @AfterAll
    static void stop() {
        gateway.close();
        webhookVertx.close();
    }

    @ParameterizedTest(name = "provisioning over {0}")
    @ValueSource(strings = {"http", "mqtt", "mqttws", "amqp", "amqpws"})
    void aNodeDeviceProvisionsThenWorksOnItsHub(String transport) throws Exception {
        String registrationId = "node-" + transport + "-1";
        String key = SymmetricKeys.deriveDeviceKey(GROUP_KEY, registrationId);
        RawHub service = new RawHub(HUB + ":" + TestGateway.STANDARD_HTTPS_PORT, gateway.caFile());
        String token = RawHub.token(HUB, OWNER_KEY, RawHub.OWNER);

        try (TelemetryConsumer consumer = TelemetryConsumer.subscribe(gateway, HUB, OWNER_KEY, "devices/+/messages/events/#");
                NodeSdk.Device device = NodeSdk.Device.start(gateway.caFile(), transport, GATEWAY, TestGateway.ID_SCOPE,
                        registrationId, key)) {
            JsonObject result = device.expect("registered").getJsonObject("result");
            assertThat(result.getString("status")).isEqualTo("assigned");
            assertThat(result.getString("assignedHub")).isEqualTo(HUB);
            assertThat(result.getString("deviceId")).isEqualTo(registrationId);
            assertThat(result.getJsonObject("payload")).isEqualTo(new JsonObject().put("firmware", "1.2.3"));

            // the enrollment's initial twin is what the device sees first
            assertThat(device.expect("twin").getJsonObject("desired").getInteger("interval")).isEqualTo(30);

            device.expect("reported");
            JsonObject twin = new JsonObject(service.send("GET", "/twins/" + registrationId, token, null).body());
            assertThat(twin.getJsonObject("properties").getJsonObject("reported").getString("runtime")).isEqualTo("node");

            device.expect("telemetry");
            TelemetryConsumer.Received telemetry = consumer.messages().poll(10, TimeUnit.SECONDS);
            assertThat(telemetry).as("telemetry at the consumer").isNotNull();
            assertThat(telemetry.topic()).startsWith("devices/" + registrationId + "/messages/events/").contains("color=blue");
            assertThat(new JsonObject(telemetry.body()).getDouble("temperature")).isEqualTo(22.5);

            device.expect("listening");
            HttpResponse<String> invoked = service.send("POST", "/twins/" + registrationId + "/methods", token,
                    "{\"methodName\":\"reboot\",\"payload\":{\"delay\":5},\"responseTimeoutInSeconds\":10}");
            assertThat(invoked.statusCode()).as(invoked.body()).isEqualTo(200);
            assertThat(new JsonObject(invoked.body()).getJsonObject("payload"))
                    .isEqualTo(new JsonObject().put("rebooting", true).put("delay", 5));
            HttpResponse<String> sent = service.send("POST", "/devices/" + registrationId + "/messages/deviceBound", token,
                    "open valve", "iothub-messageid", "c2d-node-1", "iothub-app-valve", "open slowly");
            assertThat(sent.statusCode()).as(sent.body()).isBetween(200, 204);

            Map<String, JsonObject> answered = device.expectInAnyOrder("method", "c2d");
            assertThat(answered.get("method").getJsonObject("payload").getInteger("delay")).isEqualTo(5);
            assertThat(answered.get("c2d").getString("body")).isEqualTo("open valve");
            assertThat(answered.get("c2d").getString("messageId")).isEqualTo("c2d-node-1");
            assertThat(answered.get("c2d").getString("valve")).isEqualTo("open slowly");
            device.expect("done");
            assertThat(device.exitCode()).isZero();
        }
    }

    @ParameterizedTest(name = "custom allocation over {0}")
    @ValueSource(strings = {"http", "amqp"})
    void aNodeDeviceGetsTheHubAndPayloadOfACustomAllocationsWebhook(String transport) throws Exception {
        String registrationId = "node-custom-" + transport;
        String key = SymmetricKeys.deriveDeviceKey(CUSTOM_GROUP_KEY, registrationId);

        try (NodeSdk.Device device = NodeSdk.Device.start(gateway.caFile(), transport, GATEWAY, TestGateway.ID_SCOPE,
                registrationId, key)) {
            JsonObject result = device.expect("registered").getJsonObject("result");

            assertThat(result.getString("assignedHub")).isEqualTo(HUB);
            // Node parses the payload into an object: the webhook's, in place of the device's own
            assertThat(result.getJsonObject("payload")).isEqualTo(new JsonObject().put("chosenFor", registrationId));
        }
    }

    @ParameterizedTest(name = "X.509 over {0}")
    @ValueSource(strings = {"http", "mqtt", "mqttws", "amqp", "amqpws"})
    void aNodeDeviceWithACertificateProvisionsAndSendsTelemetryWithIt(String transport) throws Exception {
        String registrationId = "node-x509-" + transport;
        CaMaterial certificate = X509_DEVICES.get(transport);
        Path certificateFile = dataDir.resolve(registrationId + ".pem");
        Path keyFile = dataDir.resolve(registrationId + ".key.pem");
        PemWriter.write(certificateFile, PemWriter.toPem(certificate.certificate()), false);
        PemWriter.write(keyFile, PemWriter.toPem(certificate.privateKey()), true);

        try (TelemetryConsumer consumer = TelemetryConsumer.subscribe(gateway, HUB, OWNER_KEY, "devices/+/messages/events/#");
                NodeSdk.Device device = NodeSdk.Device.startX509(gateway.caFile(), transport, GATEWAY, TestGateway.ID_SCOPE,
                        registrationId, certificateFile, keyFile)) {
            JsonObject result = device.expect("registered").getJsonObject("result");
            assertThat(result.getString("status")).isEqualTo("assigned");
            assertThat(result.getString("assignedHub")).isEqualTo(HUB);
            assertThat(result.getString("deviceId")).isEqualTo(registrationId);

            device.expect("telemetry");
            TelemetryConsumer.Received telemetry = consumer.messages().poll(10, TimeUnit.SECONDS);
            assertThat(telemetry).as("telemetry at the consumer").isNotNull();
            assertThat(telemetry.topic()).startsWith("devices/" + registrationId + "/messages/events/");
            assertThat(new JsonObject(telemetry.body()).getString("attestation")).isEqualTo("x509");
            device.expect("done");
            assertThat(device.exitCode()).isZero();
        }
    }

    @ParameterizedTest(name = "over {0}")
    @ValueSource(strings = {"http", "mqtt", "mqttws", "amqp", "amqpws"})
    void aNodeDeviceWithAWrongKeyIsRefusedAndNothingIsStored(String transport) throws Exception {
        String registrationId = "node-" + transport + "-wrong";
        String otherKey = SymmetricKeys.deriveDeviceKey(GROUP_KEY, "someone-else");

        try (NodeSdk.Device device = NodeSdk.Device.start(gateway.caFile(), transport, GATEWAY, TestGateway.ID_SCOPE,
                registrationId, otherKey)) {
            JsonObject error = device.expect("error");
            assertThat(error.getString("during")).isEqualTo("register");
            assertThat(device.exitCode()).isEqualTo(1);
        }
        assertThat(gateway.gateway().deviceRegistry().find(HUB, registrationId).toCompletionStage().toCompletableFuture()
                .get(10, TimeUnit.SECONDS)).isEmpty();
    }
}
