package io.onramp.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.onramp.gateway.support.AdminApi;
import io.onramp.gateway.support.RawDps;
import io.onramp.gateway.support.Resources;
import io.onramp.gateway.support.RawHub;
import io.onramp.gateway.support.RawMqtt;
import io.onramp.gateway.support.TelemetryConsumer;
import io.onramp.gateway.support.TestGateway;
import io.onramp.gateway.support.TpmDevice;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TPM attestation over HTTPS against a real TPM 2.0: swtpm is the device's TPM and tpm2-tools its TPM software
 * (activate-credential, import, load, HMAC), as dps-device-protocol 5 and 6.5 describe. The device registers with
 * no shared secret, gets its identity key through the challenge, signs its DPS and hub tokens inside the TPM, and
 * sends telemetry a consumer receives.
 */
class TpmProvisioningIT {

    static final String HUB = "127.0.0.121";
    static final String OWNER_KEY = "VHBtSHViT3duZXJLZXlGb3JUZXN0c09ubHkwMDAwMDA=";
    static final String SERVICE_KEY = "VHBtU2VydmljZUtleUZvclRlc3RzT25seTAwMDAwMDA=";
    /** A key outside any TPM, for tokens the gateway must refuse. */
    static final String SOFTWARE_KEY = "Tm90VGhlVHBtS2V5Rm9yVGVzdHNPbmx5MDAwMDAwMDA=";

    @TempDir
    static Path dir;
    static TpmDevice device;
    static TpmDevice other;
    static TestGateway gateway;
    static RawDps dps;
    static AdminApi service;

    @BeforeAll
    static void start() throws Exception {
        device = TpmDevice.start(Files.createDirectories(dir.resolve("tpm-device")));
        other = TpmDevice.start(Files.createDirectories(dir.resolve("tpm-other")));
        // The device's enrollment gives no registrationId: it is the SDKs' derivation from the EK.
        gateway = TestGateway.startWithMqtt("127.0.0.120", List.of(HUB), Files.createDirectories(dir.resolve("gateway")),
                """
                hubs: [ { name: line-t, hostName: %s, ownerKey: %s } ]
                accessPolicies:
                  - { name: provisioningserviceowner, primaryKey: %s, rights: [EnrollmentWrite, RegistrationStatusWrite] }
                individualEnrollments:
                  - attestation: { type: tpm, tpm: { endorsementKey: %s } }
                  - registrationId: tpm-retired
                    attestation: { type: tpm, tpm: { endorsementKey: %s } }
                    provisioningStatus: disabled
                  - registrationId: tpm-mismatch
                    attestation: { type: tpm, tpm: { endorsementKey: %s } }
                """.formatted(HUB, OWNER_KEY, SERVICE_KEY, device.endorsementKey(), other.endorsementKey(),
                        other.endorsementKey()));
        dps = new RawDps(gateway);
        service = new AdminApi(gateway, "provisioningserviceowner", SERVICE_KEY);
    }

    @AfterAll
    static void stop() throws Exception {
        Resources.closeAll(gateway, device, other);
    }

    @Test
    void tpmDeviceProvisionsOverHttpsAndSignsItsHubTokensInItsTpm() throws Exception {
        String id = device.derivedRegistrationId();

        // WHEN the device registers with its EK and SRK and no token, THEN it is challenged
        HttpResponse<String> challenge = dps.register(register(id), null, device.registerBody(id));
        String authenticationKey = assertChallenge(challenge);
        assertNoRegistration(id);

        // WHEN its TPM activates the challenge and signs the repeated request
        device.activate(authenticationKey);
        String token = device.registrationToken(id);
        HttpResponse<String> accepted = dps.register(register(id), token, device.registerBody(id));

        // THEN it is accepted, and polls with the TPM-signed token end assigned with tpm.authenticationKey
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        JsonObject result = poll(id, new JsonObject(accepted.body()).getString("operationId"), token);
        assertThat(result.getString("status")).isEqualTo("assigned");
        JsonObject state = result.getJsonObject("registrationState");
        assertThat(state.getString("assignedHub")).isEqualTo(HUB);
        assertThat(state.getString("deviceId")).isEqualTo(id);
        assertThat(state.getString("substatus")).isEqualTo("initialAssignment");
        String finalKey = state.getJsonObject("tpm").getString("authenticationKey");
        // the challenge's blob again (same key, same SRK): no second pair of RSA encryptions
        assertThat(finalKey).isEqualTo(authenticationKey);

        // The SDKs import the final blob again: it holds the same key, so the TPM's signatures do not change.
        String before = device.sign("same key?");
        device.activate(finalKey);
        assertThat(device.sign("same key?")).isEqualTo(before);

        // The hub identity has that key as its primary key
        JsonObject identity = hubDevice(id);
        String primaryKey = identity.getJsonObject("authentication").getJsonObject("symmetricKey").getString("primaryKey");
        assertThat(io.onramp.certs.sas.SasTokenSigner.signature(java.util.Base64.getDecoder().decode(primaryKey),
                "same key?")).isEqualTo(before);

        // AND the device connects to its hub with a token signed in the TPM and sends telemetry
        try (TelemetryConsumer consumer = TelemetryConsumer.subscribe(gateway, HUB, OWNER_KEY, "devices/+/messages/events/#");
                RawMqtt mqtt = RawMqtt.open(gateway, HUB)) {
            assertThat(mqtt.connect(id, RawMqtt.deviceUser(HUB, id), device.hubToken(HUB, id), 60))
                    .isEqualTo(MqttConnectReturnCode.CONNECTION_ACCEPTED);
            mqtt.publish("devices/" + id + "/messages/events/sensor=tpm", MqttQoS.AT_LEAST_ONCE,
                    "{\"temperature\":19.5}".getBytes(StandardCharsets.UTF_8), 1);
            TelemetryConsumer.Received received = consumer.messages().poll(10, TimeUnit.SECONDS);
            assertThat(received).as("telemetry at the consumer").isNotNull();
            assertThat(received.topic()).startsWith("devices/" + id + "/messages/events/").contains("sensor=tpm");
            assertThat(received.body()).isEqualTo("{\"temperature\":19.5}");
        }

        // WHEN it registers again (a reboot): a new challenge with the same key, and the same hub key
        String again = assertChallenge(dps.register(register(id), null, device.registerBody(id)));
        device.activate(again);
        assertThat(device.sign("same key?")).isEqualTo(before);
        String secondToken = device.registrationToken(id);
        HttpResponse<String> reaccepted = dps.register(register(id), secondToken, device.registerBody(id));
        assertThat(reaccepted.statusCode()).as(reaccepted.body()).isEqualTo(202);
        JsonObject second = poll(id, new JsonObject(reaccepted.body()).getString("operationId"), secondToken);
        assertThat(second.getString("status")).isEqualTo("assigned");
        assertThat(second.getJsonObject("registrationState").getJsonObject("tpm").getString("authenticationKey"))
                .isNotBlank();
        assertThat(hubDevice(id).getJsonObject("authentication").getJsonObject("symmetricKey").getString("primaryKey"))
                .isEqualTo(primaryKey);

        // AND its token alone (no keys in the request) is checked with its identity key, as polls are: an
        // operation the gateway does not know is a 404 (after a restart, say), and its registration state reads
        String base = "/" + TestGateway.ID_SCOPE + "/registrations/" + id;
        HttpsBadInputIT.assertError(dps.send("GET", base + "/operations/5.0000000000000000.unknown?" + RawDps.API,
                secondToken, null), 404, 404203);
        HttpResponse<String> lookup = dps.send("POST", base + "?" + RawDps.API, secondToken,
                new JsonObject().put("registrationId", id).encode());
        assertThat(lookup.statusCode()).as(lookup.body()).isEqualTo(200);
        assertThat(new JsonObject(lookup.body()).getString("status")).isEqualTo("assigned");
        HttpsBadInputIT.assertError(dps.send("GET", base + "/operations/5.0000000000000000.unknown?" + RawDps.API,
                RawDps.token(id, SOFTWARE_KEY), null), 401, 401002);

        // AND its token is not a way in once its challenge is used: a replay is challenged again
        String etag = registration(id).getString("etag");
        assertChallenge(dps.register(register(id), secondToken, device.registerBody(id)));
        assertThat(registration(id).getString("etag")).isEqualTo(etag);
    }

    @Test
    void tpmDeviceEnrolledThroughTheServiceApiProvisionsAndATokenOfAnotherKeyIsRefused() throws Exception {
        String id = "tpm-api-1";
        enroll(id, other);
        String authenticationKey = assertChallenge(dps.register(register(id), null, other.registerBody(id)));

        // A token signed with any other key is refused, and nothing is recorded
        HttpResponse<String> forged = dps.register(register(id), RawDps.token(id, SOFTWARE_KEY), other.registerBody(id));
        HttpsBadInputIT.assertError(forged, 401, 401002);
        assertThat(new JsonObject(forged.body()).containsKey("authenticationKey")).isFalse();
        assertNoRegistration(id);

        // An expired token signed in the TPM is refused too
        other.activate(authenticationKey);
        String expired = other.registrationToken(TestGateway.ID_SCOPE, id, Instant.now().getEpochSecond() - 3600);
        HttpsBadInputIT.assertError(dps.register(register(id), expired, other.registerBody(id)), 401, 401002);
        assertNoRegistration(id);

        // The challenge outlives both: the TPM's own token still gets through, and polls need that key too
        String token = other.registrationToken(id);
        HttpResponse<String> accepted = dps.register(register(id), token, other.registerBody(id));
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        String operationId = new JsonObject(accepted.body()).getString("operationId");
        HttpsBadInputIT.assertError(dps.send("GET", "/" + TestGateway.ID_SCOPE + "/registrations/" + id + "/operations/"
                + operationId + "?" + RawDps.API, RawDps.token(id, SOFTWARE_KEY), null), 401, 401002);
        JsonObject result = poll(id, operationId, token);
        assertThat(result.getString("status")).isEqualTo("assigned");
        assertThat(result.getJsonObject("registrationState").getJsonObject("tpm").getString("authenticationKey"))
                .isNotBlank();
    }

    @Test
    void aTpmDeviceUnderCustomAllocationIsDescribedToTheWebhookByItsEndorsementKey() throws Exception {
        String id = "tpm-custom-1";
        Vertx webhookVertx = Vertx.vertx();
        java.util.concurrent.BlockingQueue<JsonObject> asked = new java.util.concurrent.LinkedBlockingQueue<>();
        try (TpmDevice tpm = TpmDevice.start(Files.createDirectories(dir.resolve("tpm-custom")))) {
            int port = webhookVertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
                asked.add(body.toJsonObject());
                request.response().end(new JsonObject().put("iotHubHostName", HUB).encode());
            })).listen(0, "127.0.0.165").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).actualPort();
            HttpResponse<String> enrolled = service.send("PUT", "/enrollments/" + id, new JsonObject()
                    .put("registrationId", id).put("attestation", new JsonObject().put("type", "tpm")
                            .put("tpm", new JsonObject().put("endorsementKey", tpm.endorsementKey())))
                    .put("allocationPolicy", "custom").put("customAllocationDefinition", new JsonObject()
                            .put("webhookUrl", "http://127.0.0.165:" + port + "/api/assign").put("apiVersion", "2021-10-01"))
                    .encode(), null);
            assertThat(enrolled.statusCode()).as(enrolled.body()).isEqualTo(200);

            // the challenge asks no webhook; the signed register does, once, and the device is placed as it says
            JsonObject state = provision(tpm, id);

            assertThat(state.getString("assignedHub")).isEqualTo(HUB);
            JsonObject call = asked.poll(5, TimeUnit.SECONDS);
            assertThat(call.getJsonObject("individualEnrollment").getString("registrationId")).isEqualTo(id);
            assertThat(call.getJsonObject("deviceRuntimeContext").getJsonObject("tpm").getString("endorsementKey"))
                    .isEqualTo(tpm.endorsementKey());
            assertThat(asked).isEmpty();
        } finally {
            webhookVertx.close();
        }
    }

    @Test
    void endorsementKeyOtherThanTheEnrolledOneIsUnauthorized() throws Exception {
        // tpm-mismatch's enrollment holds the other TPM's EK; this device is not that TPM
        String id = "tpm-mismatch";
        HttpResponse<String> response = dps.register(register(id), null, device.registerBody(id));

        HttpsBadInputIT.assertError(response, 401, 401002);
        assertNoRegistration(id);
    }

    @Test
    void unknownRegistrationIsUnauthorized() throws Exception {
        String id = other.derivedRegistrationId();
        HttpsBadInputIT.assertError(dps.register(register(id), null, other.registerBody(id)), 401, 401002);
        HttpsBadInputIT.assertError(dps.register(register("tpm-nobody"), null, other.registerBody("tpm-nobody")),
                401, 401002);
        assertNoRegistration(id);
        assertNoRegistration("tpm-nobody");
    }

    @Test
    void symmetricKeyTokenForATpmEnrollmentIsUnauthorized() throws Exception {
        String id = device.derivedRegistrationId();
        HttpResponse<String> response = dps.register(register(id), RawDps.token(id, SOFTWARE_KEY),
                new JsonObject().put("registrationId", id).encode());
        HttpsBadInputIT.assertError(response, 401, 401002);
    }

    @Test
    void keysThatAreNotRsaStorageKeysAreBadRequests() throws Exception {
        String id = device.derivedRegistrationId();
        byte[] srk = device.tpm().storageRootKey();
        byte[] notRestricted = srk.clone();
        notRestricted[7] &= ~0x01; // objectAttributes (bytes 6..9): clear restricted (0x00010000)
        byte[] truncatedEk = java.util.Arrays.copyOf(device.tpm().endorsementKey(), 100);
        other.tpm().tools().run("tpm2_createek", "-c", "ek-ecc.ctx", "-G", "ecc", "-u", "ek-ecc.pub");
        other.tpm().tools().flushTransients();
        byte[] eccEk = other.tpm().tools().read("ek-ecc.pub");

        // {EK, SRK, the field the answer names}
        for (String[] keys : List.of(
                new String[] {"not base64!", device.storageRootKey(), "tpm.endorsementKey"},
                new String[] {base64(truncatedEk), device.storageRootKey(), "tpm.endorsementKey"},
                new String[] {base64(eccEk), device.storageRootKey(), "tpm.endorsementKey"},
                new String[] {device.endorsementKey(), base64(notRestricted), "tpm.storageRootKey"},
                new String[] {device.endorsementKey(), "", "tpm.storageRootKey"})) {
            String body = new JsonObject().put("registrationId", id).put("tpm", new JsonObject()
                    .put("endorsementKey", keys[0]).put("storageRootKey", keys[1])).encode();
            HttpResponse<String> response = dps.register(register(id), null, body);
            HttpsBadInputIT.assertError(response, 400, 400004);
            assertThat(new JsonObject(response.body()).getString("message")).startsWith(keys[2]);
        }
        assertThat(eccEk[2] * 256 + eccEk[3]).as("the ECC EK's type").isEqualTo(0x0023);
        for (String body : List.of(
                "{\"registrationId\":\"" + id + "\",\"tpm\":\"text\"}",
                "{\"registrationId\":\"" + id + "\",\"tpm\":{\"endorsementKey\":\"" + device.endorsementKey() + "\"}}",
                device.registerBody("tpm-retired"))) {
            HttpsBadInputIT.assertError(dps.register(register(id), null, body), 400, 400004);
        }
    }

    @Test
    void disabledEnrollmentEndsDisabledAfterTheChallenge() throws Exception {
        String id = "tpm-retired";
        other.activate(assertChallenge(dps.register(register(id), null, other.registerBody(id))));
        String token = other.registrationToken(id);
        HttpResponse<String> accepted = dps.register(register(id), token, other.registerBody(id));
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);

        JsonObject result = poll(id, new JsonObject(accepted.body()).getString("operationId"), token);

        assertThat(result.getString("status")).isEqualTo("disabled");
        JsonObject state = result.getJsonObject("registrationState");
        assertThat(state.getInteger("errorCode")).isEqualTo(401002);
        assertThat(state.containsKey("assignedHub")).isFalse();
        assertThat(state.containsKey("tpm")).as("no key for a disabled device").isFalse();
        assertNoHubDevice(id);
    }

    @Test
    void identityKeyOutlivesARestartAndIsNotGivenToAnotherEk() throws Exception {
        String id = "tpm-swap";
        enroll(id, device);
        provision(device, id);
        String before = device.sign("which key?");

        // WHEN the gateway restarts, THEN the device's next challenge carries the key stored with its registration
        gateway.restart();
        device.activate(assertChallenge(dps.register(register(id), null, device.registerBody(id))));
        assertThat(device.sign("which key?")).isEqualTo(before);

        // WHEN the enrollment gets another TPM's EK, THEN that TPM gets a key of its own, and the hub takes it
        enroll(id, other);
        JsonObject state = provision(other, id);
        assertThat(other.sign("which key?")).isNotEqualTo(before);
        assertThat(state.getString("assignedHub")).isEqualTo(HUB);
        try (RawMqtt mqtt = RawMqtt.open(gateway, HUB)) {
            assertThat(mqtt.connect(id, RawMqtt.deviceUser(HUB, id), device.hubToken(HUB, id), 60))
                    .as("the replaced TPM's hub token").isEqualTo(MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED);
        }
        try (RawMqtt mqtt = RawMqtt.open(gateway, HUB)) {
            assertThat(mqtt.connect(id, RawMqtt.deviceUser(HUB, id), other.hubToken(HUB, id), 60))
                    .isEqualTo(MqttConnectReturnCode.CONNECTION_ACCEPTED);
        }
    }

    @Test
    void afterARestartATpmOperationIsNotAnsweredFromItsRecordWhichDoesNotKeepTheKeyBlob() throws Exception {
        String id = "tpm-restart-poll";
        enroll(id, device);
        device.activate(assertChallenge(dps.register(register(id), null, device.registerBody(id))));
        String token = device.registrationToken(id);
        HttpResponse<String> accepted = dps.register(register(id), token, device.registerBody(id));
        String operationId = new JsonObject(accepted.body()).getString("operationId");
        assertThat(poll(id, operationId, token).getString("status")).isEqualTo("assigned");

        gateway.restart();

        // THEN the device is told the operation is gone (and registers again for its blob), not "assigned" without it
        HttpResponse<String> after = dps.send("GET", "/" + TestGateway.ID_SCOPE + "/registrations/" + id + "/operations/"
                + operationId + "?" + RawDps.API, token, null);
        assertThat(after.statusCode()).as(after.body()).isEqualTo(404);
    }

    /** Creates or replaces an individual TPM enrollment through the service API. */
    static void enroll(String id, TpmDevice tpm) throws Exception {
        HttpResponse<String> existing = service.send("GET", "/enrollments/" + id, null, null);
        String etag = existing.statusCode() == 200 ? new JsonObject(existing.body()).getString("etag") : null;
        HttpResponse<String> enrolled = service.send("PUT", "/enrollments/" + id, new JsonObject()
                .put("registrationId", id).put("attestation", new JsonObject().put("type", "tpm")
                        .put("tpm", new JsonObject().put("endorsementKey", tpm.endorsementKey()))).encode(), etag);
        assertThat(enrolled.statusCode()).as(enrolled.body()).isEqualTo(200);
    }

    /** The whole TPM flow: challenge, activation, signed register, polls; returns the assigned registrationState. */
    static JsonObject provision(TpmDevice tpm, String id) throws Exception {
        tpm.activate(assertChallenge(dps.register(register(id), null, tpm.registerBody(id))));
        String token = tpm.registrationToken(id);
        HttpResponse<String> accepted = dps.register(register(id), token, tpm.registerBody(id));
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        JsonObject result = poll(id, new JsonObject(accepted.body()).getString("operationId"), token);
        assertThat(result.getString("status")).as(result.encode()).isEqualTo("assigned");
        JsonObject state = result.getJsonObject("registrationState");
        tpm.activate(state.getJsonObject("tpm").getString("authenticationKey"));
        return state;
    }

    static String base64(byte[] bytes) {
        return java.util.Base64.getEncoder().encodeToString(bytes);
    }

    static String register(String id) {
        return "/" + TestGateway.ID_SCOPE + "/registrations/" + id + "/register?" + RawDps.API;
    }

    static JsonObject poll(String id, String operationId, String token) throws Exception {
        return dps.poll(id, operationId, token);
    }

    /** A challenge per spec 6.6: 401, JSON, authenticationKey and keyName, and no status. */
    static String assertChallenge(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(401);
        assertThat(response.headers().firstValue("content-type")).hasValueSatisfying(
                v -> assertThat(v).startsWith("application/json"));
        JsonObject body = new JsonObject(response.body());
        assertThat(body.fieldNames()).containsExactlyInAnyOrder("authenticationKey", "keyName", "message");
        assertThat(body.getString("keyName")).isEqualTo("registration");
        return body.getString("authenticationKey");
    }

    static JsonObject registration(String id) throws Exception {
        HttpResponse<String> response = service.send("GET", "/registrations/" + id, null, null);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return new JsonObject(response.body());
    }

    static void assertNoRegistration(String id) throws Exception {
        HttpResponse<String> response = service.send("GET", "/registrations/" + id, null, null);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(404);
    }

    static void assertNoHubDevice(String id) throws Exception {
        HttpResponse<String> response = hubRegistry("/devices/" + id);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(404);
    }

    static JsonObject hubDevice(String id) throws Exception {
        HttpResponse<String> response = hubRegistry("/devices/" + id);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return new JsonObject(response.body());
    }

    static HttpResponse<String> hubRegistry(String path) throws Exception {
        RawHub hub = new RawHub(HUB + ":" + gateway.httpsPort(), gateway.caFile());
        return hub.send("GET", path, RawHub.token(HUB, OWNER_KEY, RawHub.OWNER), null);
    }
}
