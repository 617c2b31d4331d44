package io.onramp.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import io.onramp.certs.sas.SymmetricKeys;
import io.onramp.gateway.support.CapturedLog;
import io.onramp.gateway.support.RawDps;
import io.onramp.gateway.support.RawHttps;
import io.onramp.gateway.support.RawHttps.Answer;
import io.onramp.gateway.support.RawHub;
import io.onramp.gateway.support.TestGateway;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seeded random requests to every API of the HTTPS listener (the DPS device and service APIs, the hub's), signed and
 * not, with bodies, queries and framing no SDK sends: none is answered 5xx, each refusal carries its API's error
 * body, nothing is logged at WARN or above, and afterwards a good device still registers and the configured group is
 * as it was. The seed is fixed, so a failure repeats; {@code -Donramp.randomRequests.seed=N} tries another sequence.
 * A run of such requests found four kinds of framing answered outside the APIs' shapes and a 500 of the service API
 * (2026-11-29); this keeps them, and their like, found.
 */
class HttpsRandomRequestsIT {

    private static final long SEED = Long.getLong("onramp.randomRequests.seed", 20261129L);
    private static final int REQUESTS = Integer.getInteger("onramp.randomRequests.count", 300);
    private static final String GROUP_KEY = "UmFuZG9tUmVxdWVzdHNHcm91cEtleTAwMDAwMDAwMDA=";
    private static final String SERVICE_KEY = "UmFuZG9tUmVxdWVzdHNTZXJ2aWNlS2V5MDAwMDAwMDA=";
    private static final String HUB = "127.0.0.2";
    private static final String HUB_KEY = "UmFuZG9tUmVxdWVzdHNIdWJLZXkwMDAwMDAwMDAwMDA=";
    private static final String SCOPE = TestGateway.ID_SCOPE;

    @TempDir
    static Path dataDir;
    static TestGateway gateway;

    @BeforeAll
    static void startGateway() {
        // No throttle: hundreds of refusals from one address would otherwise turn into 429s, the good device's too.
        gateway = TestGateway.start("127.0.0.78", dataDir, """
            refusedAttestations: { burst: 0 }
            accessPolicies:
              - { name: owner, primaryKey: %s, rights: [ServiceConfig, EnrollmentRead, EnrollmentWrite, RegistrationStatusRead, RegistrationStatusWrite] }
            hubs: [ { name: line-a, hostName: %s, ownerKey: %s } ]
            enrollmentGroups:
              - enrollmentGroupId: sensors
                attestation: { type: symmetricKey, symmetricKey: { primaryKey: %s } }
            """.formatted(SERVICE_KEY, HUB, HUB_KEY, GROUP_KEY));
    }

    @AfterAll
    static void stopGateway() {
        gateway.close();
    }

    @Test
    void randomRequestsGetTheirApisAnswersAndChangeNothingTheyMayNot() throws Exception {
        Random random = new Random(SEED);
        try (CapturedLog log = CapturedLog.all()) {
            for (int i = 0; i < REQUESTS; i++) {
                byte[] request = request(random);
                Answer answer = RawHttps.exchange(gateway, request, false);
                String what = "request " + i + " of seed " + SEED + ":\n"
                        + new String(request, 0, Math.min(request.length, 600), StandardCharsets.UTF_8)
                        + "\nanswer:\n" + answer.head() + "\n" + answer.body();
                assertThat(answer.status()).as(what).isLessThan(500);
                if (answer.status() >= 400 && !answer.body().isEmpty()) {
                    JsonObject error = new JsonObject(answer.body());
                    assertThat(error.containsKey("errorCode") || error.containsKey("Message")).as(what).isTrue();
                } else if (answer.status() < 0) {
                    assertThat(answer.closed()).as(what + "\nneither answered nor closed").isTrue();
                }
            }
            assertThat(log.lines()).filteredOn(line -> line.getLevel().isGreaterOrEqual(Level.WARN))
                    .extracting(ILoggingEvent::getFormattedMessage).isEmpty();
        }
        String id = "after-random-requests";
        assertThat(new RawDps(gateway).registerAndPoll(id, RawDps.token(id, SymmetricKeys.deriveDeviceKey(GROUP_KEY, id)))
                .getString("status")).isEqualTo("assigned");
        Answer group = RawHttps.exchange(gateway, signed("GET", "/enrollmentGroups/sensors?api-version=2021-10-01",
                serviceToken(), gateway.address(), null));
        assertThat(group.status()).isEqualTo(200);
        assertThat(new JsonObject(group.body()).getJsonObject("attestation").getString("type")).isEqualTo("symmetricKey");
    }

    /** One request: an API's path, a method, a query, a credential, a body and its framing, each drawn at random. */
    private static byte[] request(Random random) {
        String id = pick(random, "dev-" + random.nextInt(20), "sensors", "", "x".repeat(129), "%00", "a%20b", "..",
                "%C3%A9", "dev%2F1");
        String path = pick(random,
                "/" + SCOPE + "/registrations/" + id + "/register",
                "/" + SCOPE + "/registrations/" + id + "/operations/" + pick(random, "4.1.2", "", "x".repeat(300)),
                "/" + SCOPE + "/registrations/" + id,
                "/" + pick(random, "0ne00000000", "", "%zz") + "/registrations/" + id + "/register",
                "/enrollments/" + id, "/enrollmentGroups/" + id, "/registrations/" + id, "/enrollments",
                "/enrollments/query", "/enrollmentGroups/query", "/registrations/sensors/query",
                "/certificates/" + id, "/certificates/" + id + "/generateVerificationCode", "/admin/backup",
                "/devices/" + id, "/twins/" + id, "/twins/" + id + "/methods", "/devices/" + id + "/messages/deviceBound",
                "/devices/query", "/statistics/devices", "/health", "/", "//", "/%2e%2e/x");
        String query = pick(random, "?api-version=2019-03-31", "?api-version=2021-10-01", "?api-version=2021-04-12",
                "?api-version=1999-01-01", "", "?%zz", "?api-version=2021-10-01&api-version=2019-03-31", "?a=%",
                "?api-version=" + "x".repeat(random.nextInt(5000)));
        String method = pick(random, "PUT", "GET", "POST", "DELETE", "PATCH", "HEAD", "OPTIONS", "BREW");
        String host = gateway.address();
        String authorization = null;
        switch (random.nextInt(6)) {
            case 0 -> authorization = RawDps.token(id, SymmetricKeys.deriveDeviceKey(GROUP_KEY, id));
            case 1 -> authorization = serviceToken();
            case 2 -> {
                host = HUB;
                authorization = RawHub.token(HUB, HUB_KEY, RawHub.OWNER);
            }
            case 3 -> authorization = pick(random, "SharedAccessSignature ", "Bearer x", "SharedAccessSignature sr=&sig=&se=",
                    "SharedAccessSignature sr=a&sig=%ZZ&se=99999999999999999999", "SharedAccessSignature sr=" + SCOPE);
            default -> { }
        }
        byte[] body = body(random, id);
        StringBuilder head = new StringBuilder(method + " " + path + query + " HTTP/1.1\r\nHost: " + host + "\r\n");
        if (authorization != null) {
            head.append("Authorization: ").append(authorization).append("\r\n");
        }
        head.append(pick(random, "Content-Type: application/json\r\n", "Content-Type: text/plain\r\n",
                "Content-Type: application/x-www-form-urlencoded\r\n", ""));
        if (random.nextInt(4) == 0) {
            head.append(pick(random, "If-Match: *\r\n", "If-Match: \"x\"\r\n", "If-Match: garbage\r\n",
                    "x-ms-max-item-count: -1\r\n", "x-ms-continuation: %00\r\n", "Expect: 100-continue\r\n"));
        }
        if (random.nextInt(30) == 0) {
            head.append("X-Big: ").append("y".repeat(9000)).append("\r\n");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (random.nextInt(8) == 0) {
            head.append("Transfer-Encoding: chunked\r\n\r\n");
            out.writeBytes(head.toString().getBytes(StandardCharsets.UTF_8));
            out.writeBytes(random.nextInt(4) == 0 ? "zz\r\n".getBytes(StandardCharsets.US_ASCII)
                    : (Integer.toHexString(body.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.writeBytes(body);
            out.writeBytes("\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        } else {
            // Never longer than the body: the gateway would wait for bytes that do not come.
            int length = random.nextInt(20) == 0 ? random.nextInt(body.length + 1) : body.length;
            head.append("Content-Length: ").append(length).append("\r\n\r\n");
            out.writeBytes(head.toString().getBytes(StandardCharsets.UTF_8));
            out.writeBytes(body);
        }
        return out.toByteArray();
    }

    private static byte[] body(Random random, String id) {
        return switch (random.nextInt(9)) {
            case 0 -> new byte[0];
            case 1 -> randomBytes(random, 1 + random.nextInt(64));
            case 2 -> "{".repeat(random.nextInt(2000)).getBytes(StandardCharsets.UTF_8);
            case 3 -> ("{\"registrationId\":\"" + id + "\",\"payload\":" + "[".repeat(600) + "]}")
                    .getBytes(StandardCharsets.UTF_8);
            case 4 -> new byte[] {'{', '"', 'r', '"', ':', '"', (byte) 0xFF, (byte) 0xFE, '"', '}'};
            default -> Json.encode(value(random, 0, id)).getBytes(StandardCharsets.UTF_8);
        };
    }

    /** JSON of the APIs' member names with values of every type, some of them absurd. */
    private static Object value(Random random, int depth, String id) {
        int kind = random.nextInt(depth > 3 ? 6 : 9);
        return switch (kind) {
            case 0 -> null;
            case 1 -> pick(random, 0, -1, 1.5e308, Long.MAX_VALUE, true, false);
            case 2 -> pick(random, "", id, "x".repeat(300), "\u00e9\u4e2d", "a\"b\\c", "\u0000",
                    "symmetricKey", "tpm", "x509", "enabled", "disabled", "hashed", "static", "*", HUB, GROUP_KEY);
            case 3, 4, 5 -> id;
            case 6 -> new JsonArray(List.of(value(random, depth + 1, id) == null ? 0 : id, id));
            default -> {
                JsonObject object = new JsonObject();
                for (int n = random.nextInt(5); n > 0; n--) {
                    object.put(pick(random, "registrationId", "enrollmentGroupId", "deviceId", "payload", "tpm",
                            "attestation", "type", "symmetricKey", "primaryKey", "x509", "initialTwin", "tags",
                            "properties", "desired", "iotHubs", "iotHubHostName", "provisioningStatus",
                            "allocationPolicy", "etag", "mode", "enrollments", "query", "certificate", "status",
                            "authentication", "methodName", "responseTimeoutInSeconds", "capabilities", "$version"),
                            value(random, depth + 1, id));
                }
                yield object;
            }
        };
    }

    private static String serviceToken() {
        return RawHub.token(gateway.address(), SERVICE_KEY, "owner");
    }

    private static String signed(String method, String pathAndQuery, String token, String host, String body) {
        return method + " " + pathAndQuery + " HTTP/1.1\r\nHost: " + host + "\r\nAuthorization: " + token
                + "\r\nContent-Length: " + (body == null ? 0 : body.length()) + "\r\n\r\n" + (body == null ? "" : body);
    }

    private static byte[] randomBytes(Random random, int count) {
        byte[] bytes = new byte[count];
        random.nextBytes(bytes);
        return bytes;
    }

    @SafeVarargs
    private static <T> T pick(Random random, T... choices) {
        return choices[random.nextInt(choices.length)];
    }
}
