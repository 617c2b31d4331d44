package io.onramp.gateway.it;

import static io.onramp.gateway.support.RawHub.assertHubError;
import static org.assertj.core.api.Assertions.assertThat;

import io.onramp.gateway.support.RawHub;
import io.onramp.gateway.support.TestGateway;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The hub registry REST API over real HTTPS, with hand-made requests: the flows, and every kind of bad input. */
class HubRegistryApiIT {

    static final String HUB = "127.0.0.22";
    static final String OWNER_KEY = "SHViQU93bmVyS2V5Rm9yVGVzdHNPbmx5MDAwMDAwMDA=";
    static final String OTHER_KEY = "T3RoZXJLZXlGb3JUZXN0VmVjdG9yc09ubHkwMDAwMDA=";
    static final String KEY = "S2V5Rm9yVGVzdFZlY3RvcnNPbmx5MDAwMDAwMDAwMDA=";

    @TempDir
    static Path dataDir;
    static TestGateway gateway;
    static RawHub hub;
    static String token;

    @BeforeAll
    static void start() {
        gateway = TestGateway.start(HUB, dataDir, """
            hubs: [ { name: line-a, hostName: %s, ownerKey: %s } ]
            """.formatted(HUB, OWNER_KEY));
        hub = new RawHub(gateway.endpoint(), gateway.caFile());
        token = RawHub.token(HUB, OWNER_KEY, RawHub.OWNER);
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @Test
    void aDeviceIsCreatedReadUpdatedAndDeleted() throws Exception {
        // given no device: a create without keys
        HttpResponse<String> created = send("PUT", "/devices/press-1", "{\"deviceId\":\"press-1\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
        JsonObject device = new JsonObject(created.body());
        assertThat(device.getString("status")).isEqualTo("enabled");
        assertThat(device.getString("connectionState")).isEqualTo("Disconnected");
        assertThat(device.getString("lastActivityTime")).isEqualTo("0001-01-01T00:00:00Z");
        assertThat(device.getJsonObject("authentication").getString("type")).isEqualTo("sas");
        assertThat(device.getJsonObject("authentication").getJsonObject("symmetricKey").getString("primaryKey")).hasSize(44);

        // a second create is a conflict
        assertHubError(send("PUT", "/devices/press-1", "{\"deviceId\":\"press-1\"}"), 409, "DeviceAlreadyExists");

        // an update needs the current etag (quoted, as Node sends it)
        assertHubError(send("PUT", "/devices/press-1", "{\"status\":\"disabled\"}", "If-Match", "\"stale\""),
                412, "PreconditionFailed");
        HttpResponse<String> updated = send("PUT", "/devices/press-1", "{\"status\":\"disabled\",\"statusReason\":\"jam\"}",
                "If-Match", "\"" + device.getString("etag") + "\"");
        JsonObject disabled = new JsonObject(updated.body());
        assertThat(disabled.getString("status")).isEqualTo("disabled");
        assertThat(disabled.getString("statusUpdatedTime")).startsWith("20");
        // as IoT Hub writes times: seven fraction digits, never the nanoseconds of Java's Instant
        assertThat(disabled.getString("createdTime")).matches(".*T\\d\\d:\\d\\d:\\d\\d\\.\\d{7}Z");
        assertThat(disabled.getJsonObject("authentication")).isEqualTo(device.getJsonObject("authentication"));
        assertThat(new JsonObject(send("GET", "/devices/press-1", null).body()).getString("etag"))
                .isEqualTo(disabled.getString("etag"));

        // a delete with an old etag is refused, with the current one it goes (Java sends it unquoted)
        assertHubError(send("DELETE", "/devices/press-1", null, "If-Match", device.getString("etag")), 412, "PreconditionFailed");
        assertThat(send("DELETE", "/devices/press-1", null, "If-Match", disabled.getString("etag")).statusCode()).isEqualTo(204);
        assertHubError(send("GET", "/devices/press-1", null), 404, "DeviceNotFound");
        assertHubError(send("GET", "/twins/press-1", null), 404, "DeviceNotFound");
    }

    @Test
    void aTwinIsReadPatchedAndReplacedWithEtags() throws Exception {
        send("PUT", "/devices/press-2", "{}");
        JsonObject twin = new JsonObject(send("GET", "/twins/press-2", null).body());
        assertThat(twin.getString("etag")).isEqualTo("AAAAAAAAAAE=");
        assertThat(twin.getLong("version")).isEqualTo(1);
        assertThat(twin.getJsonObject("tags")).isEmpty();
        assertThat(twin.getJsonObject("properties").getJsonObject("desired").getLong("$version")).isEqualTo(1);

        HttpResponse<String> patched = send("PATCH", "/twins/press-2",
                "{\"tags\":{\"site\":\"north\"},\"properties\":{\"desired\":{\"pid\":{\"p\":1,\"i\":2}}}}",
                "If-Match", "\"AAAAAAAAAAE=\"");
        JsonObject afterPatch = new JsonObject(patched.body());
        assertThat(afterPatch.getString("etag")).isEqualTo("AAAAAAAAAAI=");
        JsonObject desired = afterPatch.getJsonObject("properties").getJsonObject("desired");
        assertThat(desired.getJsonObject("pid")).isEqualTo(new JsonObject("{\"p\":1,\"i\":2}"));
        assertThat(desired.getLong("$version")).isEqualTo(2);
        assertThat(desired.getJsonObject("$metadata").getJsonObject("pid").getJsonObject("i").getString("$lastUpdated"))
                .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
        assertThat(desired.getJsonObject("$metadata").getJsonObject("pid").getLong("$lastUpdatedVersion")).isEqualTo(2);

        assertHubError(send("PATCH", "/twins/press-2", "{\"tags\":{\"a\":1}}", "If-Match", "\"AAAAAAAAAAE=\""),
                412, "PreconditionFailed");
        // the Java SDK's PATCH: POST with X-HTTP-Method-Override
        HttpResponse<String> overridden = send("POST", "/twins/press-2", "{\"properties\":{\"desired\":{\"pid\":{\"i\":null}}}}",
                "X-HTTP-Method-Override", "PATCH");
        assertThat(new JsonObject(overridden.body()).getJsonObject("properties").getJsonObject("desired").getJsonObject("pid"))
                .isEqualTo(new JsonObject("{\"p\":1}"));

        HttpResponse<String> replaced = send("PUT", "/twins/press-2",
                "{\"tags\":{\"line\":\"7\"},\"properties\":{\"desired\":{\"mode\":\"eco\"}}}", "If-Match", "*");
        JsonObject afterReplace = new JsonObject(replaced.body());
        assertThat(afterReplace.getJsonObject("tags")).isEqualTo(new JsonObject("{\"line\":\"7\"}"));
        assertThat(afterReplace.getJsonObject("properties").getJsonObject("desired").getLong("$version")).isEqualTo(4);
        assertThat(afterReplace.getJsonObject("properties").getJsonObject("desired").containsKey("pid")).isFalse();
        assertThat(afterReplace.getLong("version")).isEqualTo(4);
        JsonObject deviceView = gateway.gateway().deviceRegistry().deviceView(HUB, "press-2")
                .toCompletionStage().toCompletableFuture().get();
        assertThat(deviceView).isEqualTo(new JsonObject("{\"desired\":{\"mode\":\"eco\",\"$version\":4},\"reported\":{\"$version\":1}}"));
    }

    @Test
    void theQueryPagesThroughAllTwins() throws Exception {
        for (int i = 0; i < 5; i++) {
            send("PUT", "/devices/q-" + i, "{}");
        }
        List<String> seen = new ArrayList<>();
        String continuation = null;
        int pages = 0;
        do {
            HttpResponse<String> page = continuation == null
                    ? send("POST", "/devices/query", "{\"query\":\"select *  from devices\"}", "x-ms-max-item-count", "2")
                    : send("POST", "/devices/query", "{\"query\":\"SELECT * FROM devices\"}", "x-ms-max-item-count", "2",
                            "x-ms-continuation", continuation);
            assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
            assertThat(page.headers().firstValue("x-ms-item-type")).hasValue("Twin");
            JsonArray twins = new JsonArray(page.body());
            assertThat(twins.size()).isLessThanOrEqualTo(2);
            twins.forEach(t -> seen.add(((JsonObject) t).getString("deviceId")));
            continuation = page.headers().firstValue("x-ms-continuation").orElse(null);
            pages++;
        } while (continuation != null && pages < 20);

        assertThat(seen).containsSubsequence("q-0", "q-1", "q-2", "q-3", "q-4").doesNotHaveDuplicates();
        assertHubError(send("POST", "/devices/query", "{\"query\":\"SELECT * FROM devices WHERE tags.x = 1\"}"),
                400, "ArgumentInvalid");
        assertHubError(send("POST", "/devices/query", "{\"query\":\"SELECT * FROM devices\"}", "x-ms-continuation", "!!"),
                400, "ArgumentInvalid");
    }

    @Test
    void theDeviceListPagesWithContinuationTokensBeyondIotHub() throws Exception {
        for (int i = 0; i < 5; i++) {
            send("PUT", "/devices/l-" + i, "{}");
        }
        List<String> seen = new ArrayList<>();
        String continuation = null;
        int pages = 0;
        do {
            HttpResponse<String> page = continuation == null ? send("GET", "/devices?top=2", null)
                    : send("GET", "/devices?top=2", null, "x-ms-continuation", continuation);
            assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
            JsonArray devices = new JsonArray(page.body());
            assertThat(devices.size()).isLessThanOrEqualTo(2);
            devices.forEach(d -> seen.add(((JsonObject) d).getString("deviceId")));
            continuation = page.headers().firstValue("x-ms-continuation").orElse(null);
            pages++;
        } while (continuation != null && pages < 20);

        assertThat(seen).containsSubsequence("l-0", "l-1", "l-2", "l-3", "l-4").doesNotHaveDuplicates();
        // a page that holds every device says nothing more, as IoT Hub's own answer
        HttpResponse<String> whole = send("GET", "/devices", null);
        assertThat(whole.headers().firstValue("x-ms-continuation")).isEmpty();
        assertThat(new JsonArray(whole.body()).size()).isEqualTo(seen.size());
        assertHubError(send("GET", "/devices?top=2", null, "x-ms-continuation", "!!"), 400, "ArgumentInvalid");
        assertHubError(send("GET", "/devices?top=1001", null), 400, "ArgumentInvalid");
    }

    @Test
    void unauthenticatedAndWrongPolicyRequestsAreRefused() throws Exception {
        assertHubError(hub.send("GET", "/devices", null, null), 401, "IotHubUnauthorizedAccess");
        assertHubError(hub.send("GET", "/devices", "garbage", null), 401, "IotHubUnauthorizedAccess");
        assertHubError(hub.send("GET", "/twins/x", RawHub.token(HUB, OWNER_KEY, "registryRead"), null),
                401, "IotHubUnauthorizedAccess");
        assertHubError(hub.send("GET", "/devices", RawHub.token(HUB, OTHER_KEY, RawHub.OWNER), null),
                401, "IotHubUnauthorizedAccess");
        assertHubError(hub.send("PUT", "/devices/x", RawHub.token("127.0.0.99", OWNER_KEY, RawHub.OWNER), "{}"),
                401, "IotHubUnauthorizedAccess");
        assertThat(gateway.gateway().deviceRegistry().find(HUB, "x").toCompletionStage().toCompletableFuture().get()).isEmpty();
    }

    @Test
    void malformedBodiesAndBadDevicesAreBadRequests() throws Exception {
        for (String body : List.of("{\"deviceId\":", "[1,2]", "", "\"text\"")) {
            assertHubError(send("PUT", "/devices/bad-1", body), 400, "ArgumentInvalid");
        }
        assertHubError(send("PUT", "/devices/bad-1", "{\"deviceId\":\"bad-2\"}"), 400, "ArgumentInvalid");
        assertHubError(send("PUT", "/devices/" + "x".repeat(129), "{}"), 400, "ArgumentInvalid");
        assertHubError(send("PUT", "/devices/bad-1", "{\"status\":\"paused\"}"), 400, "ArgumentInvalid");
        assertHubError(send("PUT", "/devices/bad-1", "{\"authentication\":{\"type\":\"kerberos\"}}"), 400, "ArgumentInvalid");
        assertHubError(send("PUT", "/devices/bad-1", "{\"authentication\":{\"symmetricKey\":{\"primaryKey\":\"c2hvcnQ=\"}}}"),
                400, "ArgumentInvalid");
        assertHubError(send("PUT", "/devices/bad-1", "{\"authentication\":{\"symmetricKey\":{\"primaryKey\":\"not base64!\"}}}"),
                400, "ArgumentInvalid");
        assertHubError(send("PUT", "/devices/bad-1", "{\"authentication\":{\"type\":\"selfSigned\"}}"), 400, "ArgumentInvalid");
        assertHubError(send("PUT", "/devices/bad-1", "{\"authentication\":{\"x509Thumbprint\":{\"primaryThumbprint\":\"xyz\"}}}"),
                400, "ArgumentInvalid");
        assertHubError(send("PUT", "/devices/bad-1", "{\"capabilities\":{\"iotEdge\":\"yes\"}}"), 400, "ArgumentInvalid");
        assertHubError(send("GET", "/devices/bad-1", null), 404, "DeviceNotFound");
    }

    @Test
    void aSelfSignedDeviceKeepsItsThumbprintsAndHasNoKeys() throws Exception {
        String thumbprint = "A1".repeat(20);
        JsonObject device = new JsonObject(send("PUT", "/devices/cam-1",
                "{\"authentication\":{\"x509Thumbprint\":{\"primaryThumbprint\":\"" + thumbprint + "\"}}}").body());

        assertThat(device.getJsonObject("authentication").getString("type")).isEqualTo("selfSigned");
        assertThat(device.getJsonObject("authentication").getJsonObject("x509Thumbprint").getString("primaryThumbprint"))
                .isEqualTo(thumbprint);
        assertThat(device.getJsonObject("authentication").getJsonObject("symmetricKey").getString("primaryKey")).isNull();
    }

    @Test
    void badTwinPatchesAreRefusedAndChangeNothing() throws Exception {
        send("PUT", "/devices/twin-bad", "{}");
        StringBuilder deep = new StringBuilder();
        // the desired root and eleven objects below it: one level too deep
        for (int i = 0; i < 12; i++) {
            deep.append("{\"l").append(i).append("\":");
        }
        deep.append("1").append("}".repeat(12));
        List<String> bad = List.of(
                "{\"properties\":{\"desired\":{\"a.b\":1}}}",
                "{\"properties\":{\"desired\":{\"$x\":1}}}",
                "{\"tags\":{\"a b\":1}}",
                "{\"properties\":{\"desired\":" + deep + "}}",
                "{\"properties\":{\"desired\":{\"s\":\"" + "x".repeat(4097) + "\"}}}",
                "{\"properties\":{\"desired\":{\"n\":9007199254740993}}}",
                "{\"properties\":{\"desired\":[1]}}",
                "{\"properties\":{\"reported\":{\"fw\":\"2\"}}}",
                "{\"tags\":{\"t\":\"" + "x".repeat(4000) + "\",\"u\":\"" + "x".repeat(4000) + "\",\"v\":\"" + "x".repeat(400) + "\"}}",
                "{\"tags\":",
                "[]");
        for (String body : bad) {
            assertHubError(send("PATCH", "/twins/twin-bad", body), 400, "ArgumentInvalid");
        }
        assertHubError(send("PATCH", "/twins/nobody", "{\"tags\":{}}"), 404, "DeviceNotFound");
        assertHubError(send("POST", "/twins/twin-bad", "{\"tags\":{}}"), 405, "MethodNotAllowed");
        JsonObject twin = new JsonObject(send("GET", "/twins/twin-bad", null).body());
        assertThat(twin.getLong("version")).isEqualTo(1);
    }

    @Test
    void badMethodCallsAreRefusedBeforeTheDeviceIsAsked() throws Exception {
        send("PUT", "/devices/m-1", "{}");
        for (String body : List.of("{}", "{\"methodName\":\"\"}", "{\"methodName\":\"a/b\"}", "{\"methodName\":\"a b\"}",
                "{\"methodName\":\"x\",\"responseTimeoutInSeconds\":4}", "{\"methodName\":\"x\",\"responseTimeoutInSeconds\":301}",
                "{\"methodName\":\"x\",\"connectTimeoutInSeconds\":-1}", "{\"methodName\":\"x\",\"responseTimeoutInSeconds\":\"5\"}")) {
            assertHubError(send("POST", "/twins/m-1/methods", body), 400, "ArgumentInvalid");
        }
        // no device listener here: the device is not online
        assertHubError(send("POST", "/twins/m-1/methods", "{\"methodName\":\"reboot\"}"), 404, "DeviceNotOnline");
    }

    @Test
    void oversizedBodiesAndUnknownPathsGetTheHubErrorBody() throws Exception {
        assertHubError(send("PUT", "/devices/big", "{\"x\":\"" + "x".repeat(300 * 1024) + "\"}"), 413, "MessageTooLarge");
        assertHubError(send("GET", "/devices/a/b/c", null), 404, "NotFound");
        assertHubError(send("PATCH", "/devices/a", "{}"), 405, "MethodNotAllowed");
    }

    @Test
    void anOwnerTokenMadeForOneDeviceOpensThatDeviceOnly() throws Exception {
        assertThat(send("PUT", "/devices/scoped-1", "{\"deviceId\":\"scoped-1\"}").statusCode()).isEqualTo(200);
        assertThat(send("PUT", "/devices/scoped-2", "{\"deviceId\":\"scoped-2\"}").statusCode()).isEqualTo(200);
        // the spec 2.1 form a device may be given: sr = {hub}/devices/{id}
        String scoped = io.onramp.certs.sas.SasTokenSigner.sign(HUB + "/devices/scoped-1",
                java.time.Instant.now().getEpochSecond() + 600, io.onramp.certs.sas.SymmetricKeys.decode(OWNER_KEY), RawHub.OWNER);

        assertThat(hub.send("GET", "/devices/scoped-1", scoped, null).statusCode()).isEqualTo(200);
        assertThat(hub.send("GET", "/twins/scoped-1", scoped, null).statusCode()).as("not under its sr").isEqualTo(401);
        assertThat(hub.send("GET", "/devices/scoped-2", scoped, null).statusCode()).isEqualTo(401);
        assertThat(hub.send("GET", "/devices/scoped-10", scoped, null).statusCode()).as("a prefix by segments").isEqualTo(401);
        assertThat(hub.send("GET", "/devices", scoped, null).statusCode()).as("the whole registry").isEqualTo(401);
    }

    private static HttpResponse<String> send(String method, String path, String body, String... headers) throws Exception {
        return hub.send(method, path, token, body, headers);
    }
}
