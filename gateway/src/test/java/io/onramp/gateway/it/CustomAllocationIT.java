package io.onramp.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import com.microsoft.azure.sdk.iot.provisioning.device.ProvisioningDeviceClientRegistrationResult;
import com.microsoft.azure.sdk.iot.provisioning.device.ProvisioningDeviceClientStatus;
import io.onramp.broker.registry.DeviceIdentity;
import io.onramp.broker.registry.DeviceStatus;
import io.onramp.broker.registry.DeviceTwin;
import io.onramp.certs.ca.CaMaterial;
import io.onramp.certs.ca.CertificateBuilder;
import io.onramp.certs.ca.LocalPki;
import io.onramp.certs.sas.SymmetricKeys;
import io.onramp.gateway.support.CapturedLog;
import io.onramp.gateway.support.RawDps;
import io.onramp.gateway.support.SdkDevice;
import io.onramp.gateway.support.TestGateway;
import io.onramp.gateway.support.X509Device;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemKeyCertOptions;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Custom allocation (dps-service-api 12.4): a real HTTPS webhook, with a CA of its own, chooses the hub of each
 * device registering under an enrollment whose allocation policy is custom, as an Azure Function would.
 */
class CustomAllocationIT {

    static final String WEBHOOK_ADDRESS = "127.0.0.161";
    static final String GROUP_KEY = "Q3VzdG9tQWxsb2NhdGlvbkdyb3VwS2V5Rm9yVGVzdHM=";
    static final String PRESS_KEY = "Q3VzdG9tQWxsb2NhdGlvblByZXNzS2V5Rm9yVGVzdHM=";
    static final String STEADY_KEY = "Q3VzdG9tQWxsb2NhdGlvblN0ZWFkeUtleUZvclRlc3Q=";
    /** An Azure Function's key travels in its URL: it must never reach a log line or a device. */
    static final String FUNCTION_KEY = "s3cret-function-key";
    static final CaMaterial X509_DEVICE = CertificateBuilder.selfSignedDevice("x509-custom").issue();

    @TempDir
    static Path dataDir;
    @TempDir
    static Path webhookTls;
    static Vertx webhookVertx;
    static HttpServer webhook;
    static TestGateway gateway;

    /** What the webhook answers, by registration ID: a status and a body, or no answer at all (null body, status 0). */
    record Reply(int status, String body) {
        static Reply choose(String hub) {
            return new Reply(200, new JsonObject().put("iotHubHostName", hub).encode());
        }
    }

    static final Map<String, Reply> replies = new ConcurrentHashMap<>();
    static final BlockingQueue<Received> received = new LinkedBlockingQueue<>();

    record Received(String uri, String contentType, JsonObject body) {}

    @BeforeAll
    static void start() throws Exception {
        LocalPki.Files tls = LocalPki.ensure(webhookTls, List.of(WEBHOOK_ADDRESS), Clock.systemUTC());
        webhookVertx = Vertx.vertx();
        webhook = webhookVertx.createHttpServer(new HttpServerOptions().setSsl(true).setKeyCertOptions(
                        new PemKeyCertOptions().setCertPath(tls.serverCertificateChain().toString())
                                .setKeyPath(tls.serverPrivateKey().toString())))
                .requestHandler(request -> request.body().onSuccess(body -> {
                    JsonObject json = body.toJsonObject();
                    received.add(new Received(request.uri(), request.getHeader("Content-Type"), json));
                    String id = json.getJsonObject("deviceRuntimeContext").getString("registrationId");
                    Reply reply = replies.getOrDefault(id, new Reply(404, "no reply set for " + id));
                    if (reply.status() != 0) {
                        request.response().setStatusCode(reply.status()).putHeader("Content-Type", "application/json")
                                .end(reply.body());
                    }
                }))
                .listen(0, WEBHOOK_ADDRESS).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        String url = "https://" + WEBHOOK_ADDRESS + ":" + webhook.actualPort() + "/api/assign?code=" + FUNCTION_KEY;
        // The standard ports (HTTPS 443, MQTT 8883, AMQP 5671): the SDKs' MQTT and AMQP clients take no other. MQTT
        // listens only with a hub address given (127.0.0.163, unused: no device here connects to its hub).
        gateway = TestGateway.startOnStandardPorts("127.0.0.160", List.of("127.0.0.163"), dataDir, """
            hubs:
              - { name: line-a, hostName: 127.0.0.2, ownerKey: SHViQU93bmVyS2V5Rm9yVGVzdHNPbmx5MDAwMDAwMDA= }
              - { name: line-b, hostName: 127.0.0.3, ownerKey: SHViQk93bmVyS2V5Rm9yVGVzdHNPbmx5MDAwMDAwMDA= }
              - { name: spare, hostName: 127.0.0.4, applyAllocationPolicy: false, ownerKey: U3BhcmVPd25lcktleUZvclRlc3RzT25seTAwMDAwMDA= }
            allocation:
              policy: hashed
              webhook: { timeoutSeconds: 2, caCertificate: %s }
            enrollmentGroups:
              - enrollmentGroupId: custom-sensors
                attestation: { type: symmetricKey, symmetricKey: { primaryKey: %s } }
                allocationPolicy: custom
                customAllocationDefinition: { webhookUrl: "%s", apiVersion: "2021-10-01" }
                initialTwin: { tags: { site: plant-1 }, properties: { desired: { interval: 30 } } }
            individualEnrollments:
              - registrationId: press-9
                attestation: { type: symmetricKey, symmetricKey: { primaryKey: %s } }
                allocationPolicy: custom
                customAllocationDefinition: { webhookUrl: "%s", apiVersion: "2021-10-01" }
                iotHubs: [line-a, spare]
              - registrationId: steady-1
                attestation: { type: symmetricKey, symmetricKey: { primaryKey: %s } }
                allocationPolicy: custom
                customAllocationDefinition: { webhookUrl: "%s", apiVersion: "2021-10-01" }
                reprovisionPolicy: { updateHubAssignment: false, migrateDeviceData: true }
              - registrationId: x509-custom
                attestation: { type: x509, x509: { clientCertificates: { primary: { certificate: "%s" } } } }
                allocationPolicy: custom
                customAllocationDefinition: { webhookUrl: "%s", apiVersion: "2021-10-01" }
            """.formatted(tls.caCertificate(), GROUP_KEY, url, PRESS_KEY, url, STEADY_KEY, url,
                Base64.getEncoder().encodeToString(X509_DEVICE.certificate().getEncoded()), url));
    }

    @AfterAll
    static void stop() {
        gateway.close();
        webhookVertx.close();
    }

    @BeforeEach
    void forgetCalls() {
        received.clear();
    }

    @Test
    void theWebhookChoosesTheHubTheTwinAndThePayloadOfADeviceOfTheSdk() throws Exception {
        replies.put("toaster-1", new Reply(200, """
            {"iotHubHostName": "127.0.0.3",
             "initialTwin": {"tags": {"kind": "toaster"}, "properties": {"desired": {"state": "ready"}}},
             "payload": {"topicPrefix": "plant1/toasters"}}"""));

        // WHEN a device of the group registers with the official SDK, with a payload
        ProvisioningDeviceClientRegistrationResult result = SdkDevice.registerOverHttps(gateway, "toaster-1",
                SymmetricKeys.deriveDeviceKey(GROUP_KEY, "toaster-1"), "{\"model\":\"TS-400\"}");

        // THEN it is on the hub the webhook chose, with the webhook's payload
        assertThat(result.getProvisioningDeviceClientStatus())
                .isEqualTo(ProvisioningDeviceClientStatus.PROVISIONING_DEVICE_STATUS_ASSIGNED);
        assertThat(result.getIothubUri()).isEqualTo("127.0.0.3");
        assertThat(new JsonObject(result.getProvisioningPayload()))
                .isEqualTo(new JsonObject().put("topicPrefix", "plant1/toasters"));
        // AND its twin there is the webhook's, in place of the enrollment's
        DeviceTwin twin = twin("127.0.0.3", "toaster-1");
        assertThat(twin.tags()).isEqualTo(Map.of("kind", "toaster"));
        assertThat(twin.desired()).isEqualTo(Map.of("state", "ready"));
        // AND the webhook was asked as DPS asks: the enrollment without its key, the device, the hubs it may choose
        Received call = received.poll(5, TimeUnit.SECONDS);
        assertThat(call.uri()).isEqualTo("/api/assign?code=" + FUNCTION_KEY);
        assertThat(call.contentType()).startsWith("application/json");
        JsonObject group = call.body().getJsonObject("enrollmentGroup");
        assertThat(group.getString("enrollmentGroupId")).isEqualTo("custom-sensors");
        assertThat(group.getString("allocationPolicy")).isEqualTo("custom");
        assertThat(group.getJsonObject("customAllocationDefinition").getString("webhookUrl"))
                .isEqualTo("https://" + WEBHOOK_ADDRESS + ":" + webhook.actualPort() + "/api/assign?****");
        assertThat(group.getJsonObject("attestation")).isEqualTo(new JsonObject().put("type", "symmetricKey"));
        assertThat(call.body().encode()).doesNotContain(GROUP_KEY, FUNCTION_KEY);
        assertThat(call.body().getJsonObject("deviceRuntimeContext")).isEqualTo(new JsonObject()
                .put("registrationId", "toaster-1").put("symmetricKey", new JsonObject())
                .put("payload", new JsonObject().put("model", "TS-400")));
        assertThat(call.body().getJsonArray("linkedHubs")).isEqualTo(new JsonArray().add("127.0.0.2").add("127.0.0.3"));
    }

    @Test
    void overMqttAndAmqpTheSameWebhookPlacesTheDevice() throws Exception {
        for (String id : List.of("mqtt-toaster", "amqp-toaster")) {
            replies.put(id, new Reply(200, "{\"iotHubHostName\":\"127.0.0.3\",\"payload\":{\"via\":\"" + id + "\"}}"));
            String key = SymmetricKeys.deriveDeviceKey(GROUP_KEY, id);

            ProvisioningDeviceClientRegistrationResult result = id.startsWith("mqtt")
                    ? SdkDevice.registerOverMqtt(gateway, id, key, "{\"model\":\"TS-400\"}")
                    : SdkDevice.registerOverAmqp(gateway, id, key, "{\"model\":\"TS-400\"}");

            assertThat(result.getIothubUri()).as(id).isEqualTo("127.0.0.3");
            assertThat(new JsonObject(result.getProvisioningPayload())).isEqualTo(new JsonObject().put("via", id));
        }
    }

    @Test
    void anAnswerWithoutTwinOrPayloadGivesTheEnrollmentsTwinAndNoPayload() throws Exception {
        replies.put("plain-1", Reply.choose("127.0.0.2"));

        ProvisioningDeviceClientRegistrationResult result = SdkDevice.registerOverHttps(gateway, "plain-1",
                SymmetricKeys.deriveDeviceKey(GROUP_KEY, "plain-1"), "{\"model\":\"TS-100\"}");

        assertThat(result.getIothubUri()).isEqualTo("127.0.0.2");
        assertThat(result.getProvisioningPayload()).isNull();
        DeviceTwin twin = twin("127.0.0.2", "plain-1");
        assertThat(twin.tags()).isEqualTo(Map.of("site", "plant-1"));
        assertThat(twin.desired()).isEqualTo(Map.of("interval", 30));
    }

    @Test
    void aDeviceRegisteringAgainIsAskedAboutWithWhereItIsAndMovesWhereTheWebhookSays() throws Exception {
        String key = SymmetricKeys.deriveDeviceKey(GROUP_KEY, "move-1");
        replies.put("move-1", Reply.choose("127.0.0.2"));
        assertThat(SdkDevice.registerOverHttps(gateway, "move-1", key, null).getIothubUri()).isEqualTo("127.0.0.2");
        received.clear();

        replies.put("move-1", Reply.choose("127.0.0.3"));
        ProvisioningDeviceClientRegistrationResult again = SdkDevice.registerOverHttps(gateway, "move-1", key, null);

        JsonObject context = received.poll(5, TimeUnit.SECONDS).body().getJsonObject("deviceRuntimeContext");
        assertThat(context.getString("currentIotHubHostName")).isEqualTo("127.0.0.2");
        assertThat(context.getString("currentDeviceId")).isEqualTo("move-1");
        assertThat(again.getIothubUri()).isEqualTo("127.0.0.3");
        assertThat(identity("127.0.0.3", "move-1")).isPresent();
        assertThat(identity("127.0.0.2", "move-1")).isEmpty();
    }

    @Test
    void anIndividualEnrollmentOffersOnlyItsHubsEvenOneExcludedFromWeighing() throws Exception {
        replies.put("press-9", Reply.choose("127.0.0.4"));

        JsonObject answer = new RawDps(gateway).registerAndPoll("press-9", RawDps.token("press-9", PRESS_KEY));

        assertThat(answer.getString("status")).as(answer.encode()).isEqualTo("assigned");
        assertThat(answer.getJsonObject("registrationState").getString("assignedHub")).isEqualTo("127.0.0.4");
        JsonObject call = received.poll(5, TimeUnit.SECONDS).body();
        assertThat(call.getJsonObject("individualEnrollment").getString("registrationId")).isEqualTo("press-9");
        assertThat(call.encode()).doesNotContain(PRESS_KEY);
        assertThat(call.getJsonArray("linkedHubs")).isEqualTo(new JsonArray().add("127.0.0.2").add("127.0.0.4"));
    }

    @Test
    void underNeverReprovisionTheWebhookIsStillAskedButOfferedOnlyTheDevicesHub() throws Exception {
        RawDps dps = new RawDps(gateway);
        String token = RawDps.token("steady-1", STEADY_KEY);
        replies.put("steady-1", new Reply(200, "{\"iotHubHostName\":\"127.0.0.2\",\"payload\":{\"n\":1}}"));
        assertThat(dps.registerAndPoll("steady-1", token).getJsonObject("registrationState").getString("assignedHub"))
                .isEqualTo("127.0.0.2");
        received.clear();

        // WHEN the device registers again: the webhook is offered its hub alone, and its fresh payload is returned
        replies.put("steady-1", new Reply(200, "{\"iotHubHostName\":\"127.0.0.2\",\"payload\":{\"n\":2}}"));
        JsonObject again = dps.registerAndPoll("steady-1", token);

        assertThat(received.poll(5, TimeUnit.SECONDS).body().getJsonArray("linkedHubs"))
                .isEqualTo(new JsonArray().add("127.0.0.2"));
        assertThat(again.getJsonObject("registrationState").getJsonObject("payload")).isEqualTo(new JsonObject().put("n", 2));
        // AND a webhook answering another hub cannot move it
        replies.put("steady-1", Reply.choose("127.0.0.3"));
        JsonObject refused = dps.registerAndPoll("steady-1", token);
        assertThat(refused.getString("status")).isEqualTo("failed");
        assertThat(identity("127.0.0.2", "steady-1")).isPresent();
        assertThat(identity("127.0.0.3", "steady-1")).isEmpty();
    }

    @Test
    void anX509DeviceIsDescribedToTheWebhookByItsCertificate() throws Exception {
        replies.put("x509-custom", Reply.choose("127.0.0.3"));

        ProvisioningDeviceClientRegistrationResult result = X509Device.registerOverHttps(gateway,
                new X509Device(List.of(X509_DEVICE.certificate()), X509_DEVICE.privateKey(), null));

        assertThat(result.getIothubUri()).isEqualTo("127.0.0.3");
        JsonObject context = received.poll(5, TimeUnit.SECONDS).body().getJsonObject("deviceRuntimeContext");
        assertThat(context.containsKey("symmetricKey")).isFalse();
        assertThat(context.getJsonObject("x509").getJsonObject("certificateInfo").getString("subjectName"))
                .contains("CN=x509-custom");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "an error status      | 500 | {\"error\":\"boom\"}                           | it answered HTTP 500",
        "no answer in time    | 0   |                                                | it did not answer within 2 s",
        "not JSON             | 200 | hello                                          | not valid JSON",
        "not an object        | 200 | [\"127.0.0.2\"]                                | not a JSON object",
        "no hub               | 200 | {\"payload\":{}}                               | names no hub",
        "a hub not offered    | 200 | {\"iotHubHostName\":\"127.0.0.4\"}             | '127.0.0.4', which is not one of the hubs offered",
        "a hub not linked     | 200 | {\"iotHubHostName\":\"hub-z.example\"}         | 'hub-z.example', which is not one of the hubs offered",
        "a twin IoT Hub refuses | 200 | {\"iotHubHostName\":\"127.0.0.2\",\"initialTwin\":{\"tags\":{\"$bad\":1}}} | initialTwin.tags.$bad"})
    void aWebhookThatGivesNoUsableHubFailsTheRegistrationSayingWhyAndTheDeviceKeepsItsHub(String what, int status,
            String body, String why) throws Exception {
        String id = "flaky-" + what.replace(' ', '-');
        String token = RawDps.token(id, SymmetricKeys.deriveDeviceKey(GROUP_KEY, id));
        RawDps dps = new RawDps(gateway);
        replies.put(id, Reply.choose("127.0.0.3"));
        assertThat(dps.registerAndPoll(id, token).getString("status")).isEqualTo("assigned");

        try (CapturedLog log = CapturedLog.all()) {
            // WHEN the webhook answers this way to the device's next registration
            replies.put(id, new Reply(status, body == null ? "" : body));
            long failedBefore = webhookCalls(dps, "failed");
            JsonObject answer = dps.registerAndPoll(id, token);
            // (a call at a time: this class's tests run one after the other)
            assertThat(webhookCalls(dps, "failed")).isEqualTo(failedBefore + 1);

            // THEN the registration fails with 400208 and why, never naming the webhook's key
            assertThat(answer.getString("status")).as(answer.encode()).isEqualTo("failed");
            JsonObject state = answer.getJsonObject("registrationState");
            assertThat(state.getInteger("errorCode")).isEqualTo(400208);
            assertThat(state.getString("errorMessage")).startsWith("The custom allocation webhook gave no hub: ")
                    .contains(why).doesNotContain(FUNCTION_KEY);
            assertThat(state.containsKey("payload")).isFalse();
            assertThat(log.lines()).anySatisfy(line -> {
                assertThat(line.getLevel()).isEqualTo(Level.WARN);
                assertThat(line.getFormattedMessage()).contains("custom allocation of " + id + " failed",
                        "group custom-sensors", why);
            });
            assertThat(log.lines()).noneSatisfy(line -> assertThat(line.getFormattedMessage()).contains(FUNCTION_KEY));
        }
        // AND the device keeps its identity at the hub it had
        assertThat(identity("127.0.0.3", id)).hasValueSatisfying(
                identity -> assertThat(identity.status()).isEqualTo(DeviceStatus.ENABLED));
    }

    @Test
    void anAnswerLargerThanTheLimitIsRefusedUnread() throws Exception {
        String id = "huge-1";
        replies.put(id, new Reply(200, "{\"iotHubHostName\":\"127.0.0.2\",\"payload\":{\"pad\":\""
                + "x".repeat(300 * 1024) + "\"}}"));

        String token = RawDps.token(id, SymmetricKeys.deriveDeviceKey(GROUP_KEY, id));
        JsonObject answer = new RawDps(gateway).registerAndPoll(id, token);

        assertThat(answer.getString("status")).isEqualTo("failed");
        assertThat(answer.getJsonObject("registrationState").getString("errorMessage"))
                .contains("its answer is larger than 256 KiB");
    }

    /** {@code onramp_allocation_webhook_calls_total{outcome}} from the gateway's /metrics. */
    private static long webhookCalls(RawDps dps, String outcome) throws Exception {
        String metrics = dps.send("GET", "/metrics", null, null).body();
        String sample = "onramp_allocation_webhook_calls_total{outcome=\"" + outcome + "\"} ";
        return metrics.lines().filter(line -> line.startsWith(sample))
                .mapToLong(line -> (long) Double.parseDouble(line.substring(sample.length()))).findFirst().orElseThrow();
    }

    private static DeviceTwin twin(String hub, String deviceId) throws Exception {
        return gateway.gateway().deviceRegistry().twin(hub, deviceId)
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).orElseThrow();
    }

    private static Optional<DeviceIdentity> identity(String hub, String deviceId) throws Exception {
        return gateway.gateway().deviceRegistry().find(hub, deviceId)
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
