package io.onramp.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.onramp.broker.registry.DeviceIdentity;
import io.onramp.certs.sas.SasTokenSigner;
import io.onramp.certs.sas.SymmetricKeys;
import io.onramp.gateway.support.RawDps;
import io.onramp.gateway.support.TestGateway;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every kind of bad request gets its status and the Azure error body, and nothing is stored. */
class HttpsBadInputIT {

    static final String GROUP_KEY = "R3JvdXBLZXlGb3JUZXN0VmVjdG9yc09ubHkwMDAwMDA=";
    static final String DISABLED_GROUP_KEY = "RGlzYWJsZWRHcm91cEtleUZvclRlc3RzMDAwMDAwMDA=";
    static final String DEVICE_KEY = "S2V5Rm9yVGVzdFZlY3RvcnNPbmx5MDAwMDAwMDAwMDA=";
    static final String OTHER_KEY = "T3RoZXJLZXlGb3JUZXN0VmVjdG9yc09ubHkwMDAwMDA=";

    @TempDir
    static Path dataDir;
    static TestGateway gateway;
    static RawDps dps;

    @BeforeAll
    static void startGateway() {
        gateway = TestGateway.start("127.0.0.11", dataDir, """
            hubs: [ { name: line-a, hostName: 127.0.0.2, ownerKey: SHViQU93bmVyS2V5Rm9yVGVzdHNPbmx5MDAwMDAwMDA= } ]
            enrollmentGroups:
              - enrollmentGroupId: sensors
                attestation: { type: symmetricKey, symmetricKey: { primaryKey: %s } }
              - enrollmentGroupId: retired
                attestation: { type: symmetricKey, symmetricKey: { primaryKey: %s } }
                provisioningStatus: disabled
            individualEnrollments:
              - registrationId: press-7
                attestation: { type: symmetricKey, symmetricKey: { primaryKey: %s } }
              - registrationId: press-8
                attestation: { type: symmetricKey, symmetricKey: { primaryKey: %s } }
                provisioningStatus: disabled
            """.formatted(GROUP_KEY, DISABLED_GROUP_KEY, DEVICE_KEY, DEVICE_KEY));
        dps = new RawDps(gateway);
    }

    @AfterAll
    static void stopGateway() {
        gateway.close();
    }

    /** Whatever a test threw at it, the gateway still serves a good device afterwards. */
    @AfterEach
    void gatewayStillServesGoodDevices() throws Exception {
        JsonObject result = dps.registerAndPoll("press-7", RawDps.token("press-7", DEVICE_KEY));
        assertThat(result.getString("status")).isEqualTo("assigned");
    }

    static String register(String id) {
        return "/" + TestGateway.ID_SCOPE + "/registrations/" + id + "/register?" + RawDps.API;
    }

    static String body(String id) {
        return new JsonObject().put("registrationId", id).encode();
    }

    @Test
    void missingTokenIsUnauthorized() throws Exception {
        assertError(dps.register(register("press-7"), null, body("press-7")), 401, 401002);
    }

    @Test
    void malformedTokensAreUnauthorized() throws Exception {
        for (String token : List.of("garbage", "SharedAccessSignature ", "SharedAccessSignature sr=a&sig=b",
                "SharedAccessSignature sr=" + TestGateway.ID_SCOPE + "/registrations/press-7&sig=%ZZ&se=abc",
                "Bearer eyJhbGciOiJIUzI1NiJ9.e30.x")) {
            assertError(dps.register(register("press-7"), token, body("press-7")), 401, 401002);
        }
    }

    @Test
    void expiredTokenIsUnauthorized() throws Exception {
        // Expired an hour ago: beyond the five minutes of allowed clock skew.
        String expired = RawDps.token(TestGateway.ID_SCOPE, "press-7", DEVICE_KEY, -3600);
        assertError(dps.register(register("press-7"), expired, body("press-7")), 401, 401002);
    }

    @Test
    void aNullTpmMemberIsAnAbsentOne() throws Exception {
        String sensor = "sensor-null-tpm";
        HttpResponse<String> accepted = dps.register(register(sensor),
                RawDps.token(sensor, SymmetricKeys.deriveDeviceKey(GROUP_KEY, sensor)),
                "{\"registrationId\":\"" + sensor + "\",\"tpm\":null}");
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
    }

    @Test
    void tokenSignedWithAnotherKeyIsUnauthorized() throws Exception {
        assertError(dps.register(register("press-7"), RawDps.token("press-7", OTHER_KEY), body("press-7")), 401, 401002);
    }

    @Test
    void tokenForAnotherRegistrationIsUnauthorized() throws Exception {
        String forPress8 = RawDps.token("press-8", DEVICE_KEY);
        assertError(dps.register(register("press-7"), forPress8, body("press-7")), 401, 401002);
    }

    @Test
    void unknownRegistrationIdAndWrongScopeLookTheSame() throws Exception {
        HttpResponse<String> unknown = dps.register(register("nobody-1"), RawDps.token("nobody-1", OTHER_KEY),
                body("nobody-1"));
        String wrongScopePath = "/0ne99999999/registrations/press-7/register?" + RawDps.API;
        HttpResponse<String> wrongScope = dps.register(wrongScopePath,
                RawDps.token("0ne99999999", "press-7", DEVICE_KEY, 3600), body("press-7"));

        assertError(unknown, 401, 401002);
        assertError(wrongScope, 401, 401002);
        assertThat(new JsonObject(unknown.body()).getString("message"))
                .isEqualTo(new JsonObject(wrongScope.body()).getString("message"));
        assertNoDevice("nobody-1");
    }

    @Test
    void registrationIdInBodyMustMatchThePath() throws Exception {
        assertError(dps.register(register("press-7"), RawDps.token("press-7", DEVICE_KEY), body("press-8")), 400, 400004);
    }

    @Test
    void invalidRegistrationIdIsABadRequest() throws Exception {
        String id = "bad.";
        assertError(dps.register(register(id), RawDps.token(id, DEVICE_KEY), body(id)), 400, 400004);
        String tooLong = "x".repeat(129);
        assertError(dps.register(register(tooLong), RawDps.token(tooLong, DEVICE_KEY), body(tooLong)), 400, 400004);
    }

    @Test
    void malformedJsonIsABadRequest() throws Exception {
        String token = RawDps.token("press-7", DEVICE_KEY);
        for (String bad : List.of("{\"registrationId\":", "[1,2]", "", "\"text\"", "{\"registrationId\":7}")) {
            assertError(dps.register(register("press-7"), token, bad), 400, 400004);
        }
    }

    @Test
    void oversizedBodyIsRefused() throws Exception {
        String huge = new JsonObject().put("registrationId", "press-7").put("payload", "x".repeat(64 * 1024)).encode();
        assertError(dps.register(register("press-7"), RawDps.token("press-7", DEVICE_KEY), huge), 413, 413001);
    }

    @Test
    void unsupportedOrMissingApiVersionIsABadRequest() throws Exception {
        String token = RawDps.token("press-7", DEVICE_KEY);
        String base = "/" + TestGateway.ID_SCOPE + "/registrations/press-7/register";
        assertError(dps.register(base + "?api-version=1999-01-01", token, body("press-7")), 400, 400004);
        assertError(dps.register(base, token, body("press-7")), 400, 400004);
    }

    @Test
    void unknownOperationIsNotFound() throws Exception {
        String token = RawDps.token("press-7", DEVICE_KEY);
        HttpResponse<String> response = dps.send("GET", "/" + TestGateway.ID_SCOPE
                + "/registrations/press-7/operations/4.0000000000000000.00000000-0000-4000-8000-000000000000?" + RawDps.API,
                token, null);
        assertError(response, 404, 404203);
    }

    @Test
    void pollingSomeoneElsesOperationIsRefused() throws Exception {
        String sensor = "sensor-9";
        String sensorToken = RawDps.token(sensor, SymmetricKeys.deriveDeviceKey(GROUP_KEY, sensor));
        HttpResponse<String> accepted = dps.register(register(sensor), sensorToken, body(sensor));
        String operationId = new JsonObject(accepted.body()).getString("operationId");

        // press-7 authenticates fine, but the operation belongs to sensor-9
        HttpResponse<String> stolen = dps.send("GET", "/" + TestGateway.ID_SCOPE + "/registrations/press-7/operations/"
                + operationId + "?" + RawDps.API, RawDps.token("press-7", DEVICE_KEY), null);
        assertError(stolen, 404, 404203);
        // and a wrong token on the right path is unauthorized
        HttpResponse<String> forged = dps.send("GET", "/" + TestGateway.ID_SCOPE + "/registrations/" + sensor
                + "/operations/" + operationId + "?" + RawDps.API, RawDps.token(sensor, OTHER_KEY), null);
        assertError(forged, 401, 401002);
    }

    @Test
    void disabledIndividualEnrollmentEndsDisabled() throws Exception {
        JsonObject result = dps.registerAndPoll("press-8", RawDps.token("press-8", DEVICE_KEY));

        assertThat(result.getString("status")).isEqualTo("disabled");
        JsonObject state = result.getJsonObject("registrationState");
        assertThat(state.getString("status")).isEqualTo("disabled");
        assertThat(state.getInteger("errorCode")).isEqualTo(401002);
        assertThat(state.containsKey("assignedHub")).isFalse();
        assertNoDevice("press-8");
    }

    @Test
    void disabledGroupEndsDisabled() throws Exception {
        String id = "old-sensor-1";
        JsonObject result = dps.registerAndPoll(id, RawDps.token(id, SymmetricKeys.deriveDeviceKey(DISABLED_GROUP_KEY, id)));

        assertThat(result.getString("status")).isEqualTo("disabled");
        assertNoDevice(id);
    }

    @Test
    void unknownPathAndMethodGetAnErrorBody() throws Exception {
        assertError(dps.send("GET", "/nothing/here", null, null), 404, 404001);
        assertError(dps.send("DELETE", register("press-7"), null, null), 405, 405001);
    }

    /** A reserved character sent percent-encoded in the path is decoded: the route templates, not the plain-path split. */
    @Test
    void aPercentEncodedRegistrationIdIsTheSameDevice() throws Exception {
        String id = "line-3:sensor-9";
        String token = RawDps.token(id, SymmetricKeys.deriveDeviceKey(GROUP_KEY, id));
        HttpResponse<String> accepted = dps.register(register("line-3%3Asensor-9"), token, body(id));
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        String operationId = new JsonObject(accepted.body()).getString("operationId");

        JsonObject encodedPoll = dps.poll("line-3%3asensor-9", operationId, token);
        JsonObject plainPoll = dps.poll(id, operationId, token);
        assertThat(encodedPoll.getJsonObject("registrationState").getString("registrationId")).isEqualTo(id);
        assertThat(encodedPoll.getString("status")).isEqualTo("assigned");
        assertThat(plainPoll).isEqualTo(encodedPoll);
    }

    @Test
    void registrationStateOfANeverRegisteredDeviceIsNotFound() throws Exception {
        String id = "sensor-never";
        HttpResponse<String> response = dps.send("POST", "/" + TestGateway.ID_SCOPE + "/registrations/" + id + "?"
                + RawDps.API, RawDps.token(id, SymmetricKeys.deriveDeviceKey(GROUP_KEY, id)), body(id));
        assertError(response, 404, 404202);
    }

    @Test
    void tokenWithUnencodedResourceAndAnyFieldOrderVerifies() throws Exception {
        // Python and C# encode sr with %2F, C with %2f, Node puts skn before se: all must verify.
        String id = "sensor-order";
        byte[] key = SymmetricKeys.decode(SymmetricKeys.deriveDeviceKey(GROUP_KEY, id));
        long se = Instant.now().getEpochSecond() + 600;
        String sr = TestGateway.ID_SCOPE + "%2fregistrations%2f" + id;
        String sig = java.net.URLEncoder.encode(SasTokenSigner.signature(key, sr + "\n" + se), "UTF-8");
        String token = "SharedAccessSignature skn=registration&se=" + se + "&sig=" + sig + "&sr=" + sr;

        assertThat(dps.registerAndPoll(id, token).getString("status")).isEqualTo("assigned");
    }

    static void assertError(HttpResponse<String> response, int status, int errorCode) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("content-type")).hasValueSatisfying(
                v -> assertThat(v).startsWith("application/json"));
        JsonObject body = new JsonObject(response.body());
        assertThat(body.getInteger("errorCode")).isEqualTo(errorCode);
        assertThat(body.getString("trackingId")).isNotBlank();
        assertThat(body.getString("message")).isNotBlank();
        assertThat(Instant.parse(body.getString("timestampUtc"))).isBefore(Instant.now().plusSeconds(1));
        // Azure's times have at most 7 fractional digits, and parsers (.NET's, Python's) count on it
        assertThat(body.getString("timestampUtc")).matches(".*T\\d\\d:\\d\\d:\\d\\d(\\.\\d{1,7})?Z");
    }

    private static void assertNoDevice(String deviceId) throws Exception {
        List<DeviceIdentity> devices = gateway.gateway().deviceRegistry().list(null, 1000)
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertThat(devices).extracting(DeviceIdentity::deviceId).doesNotContain(deviceId);
    }
}
