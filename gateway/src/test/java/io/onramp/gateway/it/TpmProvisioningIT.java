package io.onramp.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.onramp.gateway.support.AdminApi;
import io.onramp.gateway.support.RawDps;
import io.onramp.gateway.support.RawHub;
import io.onramp.gateway.support.RawMqtt;
import io.onramp.gateway.support.TelemetryConsumer;
import io.onramp.gateway.support.TestGateway;
import io.onramp.gateway.support.TpmDevice;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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

    static final String HUB = "127.0.0.71";
    static final String OWNER_KEY = "VHBtSHViT3duZXJLZXlGb3JUZXN0c09ubHkwMDAwMDA=";
    static final String SERVICE_KEY = "VHBtU2VydmljZUtleUZvclRlc3RzT25seTAwMDAwMDA=";

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
        gateway = TestGateway.startWithMqtt("127.0.0.70", List.of(HUB), Files.createDirectories(dir.resolve("gateway")),
                """
                hubs: [ { name: line-t, hostName: %s, ownerKey: %s } ]
                accessPolicies:
                  - { name: provisioningserviceowner, primaryKey: %s, rights: [EnrollmentWrite, RegistrationStatusWrite] }
                individualEnrollments:
                  - attestation: { type: tpm, tpm: { endorsementKey: %s } }
                  - registrationId: tpm-retired
                    attestation: { type: tpm, tpm: { endorsementKey: %s } }
                    provisioningStatus: disabled
                """.formatted(HUB, OWNER_KEY, SERVICE_KEY, device.endorsementKey(), other.endorsementKey()));
        dps = new RawDps(gateway);
        service = new AdminApi(gateway, "provisioningserviceowner", SERVICE_KEY);
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
        if (device != null) {
            device.close();
        }
        if (other != null) {
            other.close();
        }
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
        assertThat(finalKey).isNotEqualTo(authenticationKey);

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

        // AND its token is not a way in once its challenge is used: a replay is challenged again
        String etag = registration(id).getString("etag");
        assertChallenge(dps.register(register(id), secondToken, device.registerBody(id)));
        assertThat(registration(id).getString("etag")).isEqualTo(etag);
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

    static JsonObject hubDevice(String id) throws Exception {
        RawHub hub = new RawHub(HUB + ":" + gateway.httpsPort(), gateway.caFile());
        HttpResponse<String> response = hub.send("GET", "/devices/" + id, RawHub.token(HUB, OWNER_KEY, RawHub.OWNER), null);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return new JsonObject(response.body());
    }
}
