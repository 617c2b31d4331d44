package io.onramp.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.onramp.certs.sas.SasTokenSigner;
import io.onramp.certs.sas.SymmetricKeys;
import io.onramp.gateway.support.RawDps;
import io.onramp.gateway.support.TestGateway;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service API with hand-made requests: every kind of bad input gets its status and Azure error
 * body, and leaves what is stored as it was; plus the wire details the SDKs rely on (Node's path
 * spelling and token form, paging headers).
 */
class ServiceApiBadInputIT {

    static final String ADDRESS = "127.0.0.31";
    static final String OWNER_KEY = "QmFkSW5wdXRPd25lcktleUZvclRlc3RzT25seTAwMDA=";
    static final String READER_KEY = "QmFkSW5wdXRSZWFkZXJLZXlGb3JUZXN0c09ubHkwMDA=";
    static final String API = "?api-version=2019-03-31";
    static final String VALID_KEY = "S2V5Rm9yVGVzdFZlY3RvcnNPbmx5MDAwMDAwMDAwMDA=";

    @TempDir
    static Path dataDir;
    static TestGateway gateway;
    static RawDps http;
    String existingEtag;

    @BeforeAll
    static void start() {
        gateway = TestGateway.start(ADDRESS, dataDir, """
            accessPolicies:
              - { name: provisioningserviceowner, primaryKey: %s, rights: [EnrollmentWrite, RegistrationStatusWrite] }
              - { name: reader, primaryKey: %s, rights: [EnrollmentRead] }
            hubs: [ { name: line-a, hostName: 127.0.0.185, ownerKey: %s } ]
            """.formatted(OWNER_KEY, READER_KEY, VALID_KEY));
        http = new RawDps(gateway);
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @BeforeEach
    void anExistingEnrollment() throws Exception {
        HttpResponse<String> put = send("PUT", "/enrollments/existing-1", owner(), symmetric("existing-1", VALID_KEY));
        assertThat(put.statusCode()).isEqualTo(200);
        existingEtag = new JsonObject(put.body()).getString("etag");
    }

    @Test
    void malformedJsonIsAFormatError() throws Exception {
        assertError(send("PUT", "/enrollments/existing-1", owner(), "{\"registrationId\": \"existing-1\", "), 400, 400006);
        assertError(send("PUT", "/enrollments/new-1", owner(), "[1, 2]"), 400, 400006);
        // Read as strictly as a device's body: nothing after the value, no field twice (the last would win silently).
        assertError(send("PUT", "/enrollments/new-1", owner(), symmetric("new-1", VALID_KEY) + " garbage"), 400, 400006);
        HttpResponse<String> twice = send("PUT", "/enrollments/new-1", owner(),
                "{\"registrationId\":\"new-1\"," + symmetric("new-1", VALID_KEY).substring(1));
        assertError(twice, 400, 400006);
        assertThat(new JsonObject(twice.body()).getString("message")).contains("'registrationId' twice");
        assertUnchanged();
        assertAbsent("new-1");
    }

    @Test
    void unknownFieldsAreRefused() throws Exception {
        JsonObject body = new JsonObject(symmetric("existing-1", VALID_KEY)).put("colour", "red");
        HttpResponse<String> response = send("PUT", "/enrollments/existing-1", owner(), body.encode());
        assertError(response, 400, 400004);
        assertThat(response.body()).contains("colour");
        assertUnchanged();
    }

    @Test
    void invalidKeysAreRefused() throws Exception {
        assertError(send("PUT", "/enrollments/existing-1", owner(), symmetric("existing-1", "not base64!")), 400, 400004);
        // valid Base64, but 8 bytes: keys are 16 to 64 bytes
        assertError(send("PUT", "/enrollments/existing-1", owner(), symmetric("existing-1", "c2hvcnRrZXk=")), 400, 400004);
        assertError(send("PUT", "/enrollments/existing-1", owner(), new JsonObject(symmetric("existing-1", VALID_KEY))
                .put("attestation", new JsonObject().put("type", "symmetricKey")
                        .put("symmetricKey", new JsonObject().put("primaryKey", new JsonObject().put("file", "/etc/passwd"))))
                .encode()), 400, 400004);
        assertUnchanged();
    }

    @Test
    void invalidCertificatesAreRefused() throws Exception {
        for (String certificate : new String[] {"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----",
            "bm90IGEgY2VydGlmaWNhdGU=", "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----"}) {
            JsonObject body = new JsonObject().put("registrationId", "x509-bad").put("attestation", new JsonObject()
                    .put("type", "x509").put("x509", new JsonObject().put("clientCertificates",
                            new JsonObject().put("primary", new JsonObject().put("certificate", certificate)))));
            assertError(send("PUT", "/enrollments/x509-bad", owner(), body.encode()), 400, 400004);
        }
        assertAbsent("x509-bad");
    }

    @Test
    void endorsementKeysThatAreNotRsaStorageKeysAreRefused() throws Exception {
        // not Base64; Base64 of text; an ECC EK's first bytes (type 0x0023)
        for (String ek : new String[] {"not base64!", "bm90IGFuIEVL", "AHoAIwALAAMAsgAg"}) {
            JsonObject body = new JsonObject().put("registrationId", "tpm-bad").put("attestation", new JsonObject()
                    .put("type", "tpm").put("tpm", new JsonObject().put("endorsementKey", ek)));
            HttpResponse<String> refused = send("PUT", "/enrollments/tpm-bad", owner(), body.encode());
            assertError(refused, 400, 400004);
            assertThat(refused.body()).contains("endorsementKey");
        }
        assertAbsent("tpm-bad");
    }

    @Test
    void malformedDeviceInformationAndWebhooksAreRefusedNamingTheField() throws Exception {
        // given an enrollment that has both members
        JsonObject webhook = new JsonObject().put("webhookUrl", "https://alloc.plant1.example/api").put("apiVersion", "2021-10-01");
        JsonObject valid = new JsonObject(symmetric("custom-1", VALID_KEY)).put("allocationPolicy", "custom")
                .put("customAllocationDefinition", webhook).put("optionalDeviceInformation", new JsonObject().put("model", "TS-400"));
        assertThat(send("PUT", "/enrollments/custom-1", owner(), valid.encode()).statusCode()).isEqualTo(200);
        String before = send("GET", "/enrollments/custom-1", owner(), null).body();

        List<BadMember> badMembers = List.of(
                new BadMember("optionalDeviceInformation", new JsonObject().put("optionalDeviceInformation", "TS-400")),
                new BadMember("optionalDeviceInformation", new JsonObject().put("optionalDeviceInformation", new JsonArray().add(1))),
                new BadMember("customAllocationDefinition", new JsonObject().put("customAllocationDefinition", "https://a.example")),
                new BadMember("customAllocationDefinition.webhookUrl", definition(webhook.copy().putNull("webhookUrl"))),
                new BadMember("customAllocationDefinition.webhookUrl", definition(webhook.copy().put("webhookUrl", ""))),
                new BadMember("customAllocationDefinition.webhookUrl", definition(webhook.copy().put("webhookUrl", 443))),
                new BadMember("customAllocationDefinition.webhookUrl", definition(webhook.copy().put("webhookUrl", "/api/assign"))),
                new BadMember("customAllocationDefinition.webhookUrl",
                        definition(webhook.copy().put("webhookUrl", "ftp://alloc.plant1.example/api"))),
                new BadMember("customAllocationDefinition.apiVersion", definition(webhook.copy().putNull("apiVersion"))),
                new BadMember("customAllocationDefinition.apiVersion", definition(webhook.copy().put("apiVersion", ""))),
                new BadMember("customAllocationDefinition.apiVersion", definition(webhook.copy().put("apiVersion", 20211001))),
                new BadMember("customAllocationDefinition", new JsonObject().put("allocationPolicy", "custom")));

        for (BadMember bad : badMembers) {
            // when an existing enrollment, a new one and a new group are written with the bad member
            JsonObject update = valid.copy();
            update.remove("customAllocationDefinition");
            update.remove("allocationPolicy");
            update.mergeIn(bad.members());
            HttpResponse<String> refused = send("PUT", "/enrollments/custom-1", owner(), update.encode());
            JsonObject fresh = update.copy().put("registrationId", "custom-new");
            HttpResponse<String> refusedNew = send("PUT", "/enrollments/custom-new", owner(), fresh.encode());

            // then each is a 400 that names the field
            String field = bad.field();
            for (HttpResponse<String> response : List.of(refused, refusedNew)) {
                assertError(response, 400, 400004);
                assertThat(new JsonObject(response.body()).getString("message")).as(field).contains(field + ":");
            }
            if (!field.startsWith("optionalDeviceInformation")) {
                JsonObject group = fresh.copy().put("enrollmentGroupId", "group-new");
                group.remove("registrationId");
                group.remove("optionalDeviceInformation");
                HttpResponse<String> refusedGroup = send("PUT", "/enrollmentGroups/group-new", owner(), group.encode());
                assertError(refusedGroup, 400, 400004);
                assertThat(new JsonObject(refusedGroup.body()).getString("message")).as(field).contains(field + ":");
            }
        }

        // and nothing stored changed
        assertThat(send("GET", "/enrollments/custom-1", owner(), null).body()).isEqualTo(before);
        assertAbsent("custom-new");
        assertThat(send("GET", "/enrollmentGroups/group-new", owner(), null).statusCode()).isEqualTo(404);
        assertUnchanged();
    }

    /** Members that make a valid enrollment invalid, and the field the 400 must name. */
    record BadMember(String field, JsonObject members) {}

    private static JsonObject definition(JsonObject definition) {
        return new JsonObject().put("customAllocationDefinition", definition);
    }

    @Test
    void groupsHaveNoDeviceInformationAndABulkItemWithABadWebhookFailsAlone() throws Exception {
        JsonObject group = new JsonObject().put("enrollmentGroupId", "group-info")
                .put("attestation", new JsonObject().put("type", "symmetricKey"))
                .put("optionalDeviceInformation", new JsonObject().put("model", "TS-400"));
        HttpResponse<String> refused = send("PUT", "/enrollmentGroups/group-info", owner(), group.encode());
        assertError(refused, 400, 400004);
        assertThat(refused.body()).contains("optionalDeviceInformation: unknown field");
        assertThat(send("GET", "/enrollmentGroups/group-info", owner(), null).statusCode()).isEqualTo(404);

        JsonArray items = new JsonArray()
                .add(new JsonObject(symmetric("bulk-webhook-ok", VALID_KEY)).put("allocationPolicy", "custom")
                        .put("customAllocationDefinition", new JsonObject().put("webhookUrl", "https://alloc.plant1.example/api")
                                .put("apiVersion", "2021-10-01")))
                .add(new JsonObject(symmetric("bulk-webhook-bad", VALID_KEY)).put("allocationPolicy", "custom"));
        assertThat(bulkErrors("create", items)).containsOnlyKeys("bulk-webhook-bad").containsEntry("bulk-webhook-bad", 400004);
        JsonObject stored = new JsonObject(send("GET", "/enrollments/bulk-webhook-ok", owner(), null).body());
        assertThat(stored.getJsonObject("customAllocationDefinition").getString("webhookUrl")).isEqualTo("https://alloc.plant1.example/api");
        assertAbsent("bulk-webhook-bad");
    }

    @Test
    void badRegistrationIdsAreRefused() throws Exception {
        assertError(send("PUT", "/enrollments/bad%21id", owner(), symmetric("bad!id", VALID_KEY)), 400, 400004);
        String tooLong = "a".repeat(129);
        assertError(send("PUT", "/enrollments/" + tooLong, owner(), symmetric(tooLong, VALID_KEY)), 400, 400004);
        // the body's id must be the path's
        assertError(send("PUT", "/enrollments/existing-1", owner(), symmetric("someone-else", VALID_KEY)), 400, 400004);
        assertUnchanged();
        assertAbsent("someone-else");
    }

    @Test
    void aBulkOperationOverTheItemLimitAppliesNothing() throws Exception {
        JsonArray items = new JsonArray();
        for (int i = 0; i < 11; i++) {
            items.add(new JsonObject(symmetric("bulk-" + i, VALID_KEY)));
        }
        HttpResponse<String> response = send("POST", "/enrollments", owner(),
                new JsonObject().put("mode", "create").put("enrollments", items).encode());
        assertError(response, 400, 400004);
        for (int i = 0; i < 11; i++) {
            assertAbsent("bulk-" + i);
        }
    }

    @Test
    void aBulkOperationReportsEachItemAndModeIgnoresCase() throws Exception {
        JsonArray conditional = new JsonArray()
                .add(new JsonObject(symmetric("existing-1", VALID_KEY)).put("etag", "\"stale\""))
                .add(new JsonObject(symmetric("bulk-absent", VALID_KEY)).put("etag", "\"any\""))
                .add(new JsonObject(symmetric("bulk-no-etag", VALID_KEY)));
        assertThat(bulkErrors("updateIfMatchEtag", conditional)).containsEntry("existing-1", 412001)
                .containsEntry("bulk-absent", 404201).containsEntry("bulk-no-etag", 400004).hasSize(3);

        JsonArray mixed = new JsonArray().add(new JsonObject(symmetric("bulk-ok", VALID_KEY)))
                .add(new JsonObject(symmetric("bulk-badkey", "c2hvcnRrZXk=")));
        assertThat(bulkErrors("Update", mixed)).containsOnlyKeys("bulk-badkey").containsEntry("bulk-badkey", 400004);
        assertThat(send("GET", "/enrollments/bulk-ok", owner(), null).statusCode()).isEqualTo(200);
        assertAbsent("bulk-badkey");
        assertAbsent("bulk-absent");
        assertUnchanged();
    }

    private static Map<String, Integer> bulkErrors(String mode, JsonArray items) throws Exception {
        HttpResponse<String> response = send("POST", "/enrollments", owner(),
                new JsonObject().put("mode", mode).put("enrollments", items).encode());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonObject result = new JsonObject(response.body());
        Map<String, Integer> codes = new java.util.HashMap<>();
        result.getJsonArray("errors").forEach(e -> codes.put(((JsonObject) e).getString("registrationId"),
                ((JsonObject) e).getInteger("errorCode")));
        assertThat(result.getBoolean("isSuccessful")).isEqualTo(codes.isEmpty());
        return codes;
    }

    @Test
    void aPolicyWithoutTheRightAndBadTokensAreUnauthorized() throws Exception {
        assertError(send("PUT", "/enrollments/reader-made", reader(), symmetric("reader-made", VALID_KEY)), 401, 401002);
        assertError(send("DELETE", "/enrollments/existing-1", reader(), null), 401, 401002);
        String expired = SasTokenSigner.sign(ADDRESS, Instant.now().getEpochSecond() - 3600,
                SymmetricKeys.decode(OWNER_KEY), "provisioningserviceowner");
        assertError(send("DELETE", "/enrollments/existing-1", expired, null), 401, 401002);
        String wrongKey = SasTokenSigner.sign(ADDRESS, Instant.now().getEpochSecond() + 3600,
                SymmetricKeys.decode(READER_KEY), "provisioningserviceowner");
        assertError(send("DELETE", "/enrollments/existing-1", wrongKey, null), 401, 401002);
        String otherHost = SasTokenSigner.sign("dps.elsewhere.example", Instant.now().getEpochSecond() + 3600,
                SymmetricKeys.decode(OWNER_KEY), "provisioningserviceowner");
        assertError(send("DELETE", "/enrollments/existing-1", otherHost, null), 401, 401002);
        assertError(send("DELETE", "/enrollments/existing-1", null, null), 401, 401002);
        assertUnchanged();
        assertAbsent("reader-made");
    }

    @Test
    void etagMismatchIsAPreconditionFailure() throws Exception {
        assertError(send("PUT", "/enrollments/existing-1", owner(), symmetric("existing-1", VALID_KEY), "\"stale\""), 412, 412001);
        assertError(send("DELETE", "/enrollments/existing-1", owner(), null, "\"stale\""), 412, 412001);
        assertError(send("PUT", "/enrollments/absent-1", owner(), symmetric("absent-1", VALID_KEY), "\"stale\""), 412, 412001);
        assertError(send("DELETE", "/enrollments/absent-1", owner(), null), 404, 404201);
        assertUnchanged();
        HttpResponse<String> matching = send("PUT", "/enrollments/existing-1", owner(), symmetric("existing-1", VALID_KEY),
                existingEtag);
        assertThat(matching.statusCode()).isEqualTo(200);
    }

    @Test
    void hubsTheGatewayDoesNotHaveAreRefusedNamingTheFieldAndTheHubs() throws Exception {
        String group = "{\"enrollmentGroupId\":\"g1\",\"attestation\":{\"type\":\"symmetricKey\"},\"iotHubs\":[\"127.0.0.99\"]}";
        HttpResponse<String> unknown = send("PUT", "/enrollmentGroups/g1", owner(), group);
        assertError(unknown, 400, 400004);
        assertThat(new JsonObject(unknown.body()).getString("message"))
                .contains("iotHubs: '127.0.0.99' is not a hub of this gateway; give one of the host names 127.0.0.185");
        HttpResponse<String> byName = send("PUT", "/enrollments/hub-by-name", owner(),
                new JsonObject(symmetric("hub-by-name", VALID_KEY)).put("iotHubHostName", "line-a").encode());
        assertError(byName, 400, 400004);
        assertThat(new JsonObject(byName.body()).getString("message"))
                .contains("iotHubHostName: 'line-a' is a hub name; give its host name, 127.0.0.185");
        assertThat(send("GET", "/enrollmentGroups/g1", owner(), null).statusCode()).isEqualTo(404);
        assertAbsent("hub-by-name");

        HttpResponse<String> known = send("PUT", "/enrollments/hub-known", owner(),
                new JsonObject(symmetric("hub-known", VALID_KEY)).put("iotHubs", new JsonArray().add("127.0.0.185")).encode());
        assertThat(known.statusCode()).as(known.body()).isEqualTo(200);
        send("DELETE", "/enrollments/hub-known", owner(), null);
    }

    @Test
    void ifNoneMatchStarCreatesButNeverReplaces() throws Exception {
        Map<String, String> createOnly = Map.of("If-None-Match", "*");
        assertError(send("PUT", "/enrollments/existing-1", owner(), symmetric("existing-1", VALID_KEY), createOnly), 412, 412001);
        assertUnchanged();
        assertError(send("PUT", "/enrollments/new-2", owner(), symmetric("new-2", VALID_KEY), Map.of("If-None-Match", "\"x\"")),
                400, 400004);
        assertAbsent("new-2");
        String group = new JsonObject().put("enrollmentGroupId", "create-only-g")
                .put("attestation", new JsonObject().put("type", "symmetricKey")).encode();
        assertThat(send("PUT", "/enrollmentGroups/create-only-g", owner(), group, createOnly).statusCode()).isEqualTo(200);
        assertError(send("PUT", "/enrollmentGroups/create-only-g", owner(), group, createOnly), 412, 412001);

        // Racing creates of one ID: exactly one wins, whatever the interleaving.
        List<java.util.concurrent.CompletableFuture<Integer>> racing = new java.util.ArrayList<>();
        for (int i = 0; i < 8; i++) {
            racing.add(java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    return send("PUT", "/enrollments/raced-1", owner(), symmetric("raced-1", null), createOnly).statusCode();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        assertThat(racing.stream().map(java.util.concurrent.CompletableFuture::join).toList())
                .containsOnly(200, 412).filteredOn(status -> status == 200).hasSize(1);
        send("DELETE", "/enrollments/raced-1", owner(), null);
        send("DELETE", "/enrollmentGroups/create-only-g", owner(), null);
    }

    @Test
    void missingApiVersionOversizedBodiesAndUnknownPaths() throws Exception {
        assertError(http.send("GET", "/enrollments/existing-1", owner(), null), 400, 400004);
        String huge = new JsonObject(symmetric("existing-1", VALID_KEY)).put("deviceId", "x".repeat(100_000)).encode();
        assertThat(send("PUT", "/enrollments/existing-1", owner(), huge).statusCode()).isEqualTo(413);
        assertError(send("PATCH", "/enrollments/existing-1", owner(), "{}"), 405, 405001);
        assertError(send("GET", "/enrollments/existing-1/keys", owner(), null), 404, 404001);
        assertUnchanged();
    }

    @Test
    void nodeSpellingsAndTokenFormWork() throws Exception {
        // Node: lower-case "enrollmentgroups", no body, host-as-written sr, skn before se, api-version 2021-10-01
        long se = Instant.now().getEpochSecond() + 3600;
        String sig = SasTokenSigner.signature(SymmetricKeys.decode(OWNER_KEY), ADDRESS + "\n" + se);
        String nodeToken = "SharedAccessSignature sr=" + ADDRESS + "&sig=" + java.net.URLEncoder.encode(sig, java.nio.charset.StandardCharsets.UTF_8)
                + "&skn=provisioningserviceowner&se=" + se;
        JsonObject group = new JsonObject().put("enrollmentGroupId", "node-group")
                .put("attestation", new JsonObject().put("type", "symmetricKey"));
        assertThat(http.send("PUT", "/enrollmentGroups/node-group?api-version=2021-10-01", nodeToken, group.encode())
                .statusCode()).isEqualTo(200);
        HttpResponse<String> keys = http.send("POST", "/enrollmentgroups/node-group/attestationmechanism?api-version=2021-10-01",
                nodeToken, null);
        assertThat(keys.statusCode()).isEqualTo(200);
        assertThat(new JsonObject(keys.body()).getJsonObject("symmetricKey").getString("primaryKey")).isNotBlank();
        HttpResponse<String> read = http.send("GET", "/enrollmentGroups/node-group?api-version=2021-10-01", nodeToken, null);
        assertThat(new JsonObject(read.body()).getJsonObject("attestation").containsKey("symmetricKey")).isFalse();
        assertThat(read.headers().firstValue("etag")).isPresent();
    }

    @Test
    void queriesPageWithContinuationOnlyWhileMoreRemain() throws Exception {
        for (int i = 0; i < 3; i++) {
            send("PUT", "/enrollments/page-" + i, owner(), symmetric("page-" + i, VALID_KEY));
        }
        String query = new JsonObject().put("query", "SELECT * FROM enrollments").encode();
        String continuation = null;
        int seen = 0;
        do {
            java.net.http.HttpRequest.Builder request = java.net.http.HttpRequest.newBuilder(
                            java.net.URI.create("https://" + gateway.endpoint() + "/enrollments/query" + API))
                    .header("Authorization", owner()).header("x-ms-max-item-count", "2")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString(query));
            if (continuation != null) {
                request.header("x-ms-continuation", continuation);
            }
            HttpResponse<String> page = java.net.http.HttpClient.newBuilder()
                    .sslContext(io.onramp.gateway.support.TestTls.trusting(gateway.caFile())).build()
                    .send(request.build(), HttpResponse.BodyHandlers.ofString());
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.headers().firstValue("x-ms-item-type")).hasValue("enrollment");
            JsonArray items = new JsonArray(page.body());
            assertThat(items.size()).isLessThanOrEqualTo(2);
            items.forEach(item -> assertThat(((JsonObject) item).getJsonObject("attestation").containsKey("symmetricKey")).isFalse());
            seen += items.size();
            continuation = page.headers().firstValue("x-ms-continuation").orElse(null);
        } while (continuation != null);
        assertThat(seen).isGreaterThanOrEqualTo(4);

        assertError(send("POST", "/enrollments/query", owner(), new JsonObject().put("query", "SELECT * FROM enrollments WHERE x = 1")
                .encode()), 400, 400004);
    }

    // --- helpers

    private static String symmetric(String id, String key) {
        return new JsonObject().put("registrationId", id).put("attestation", new JsonObject().put("type", "symmetricKey")
                .put("symmetricKey", new JsonObject().put("primaryKey", key))).encode();
    }

    private static String owner() {
        return token(OWNER_KEY, "provisioningserviceowner");
    }

    private static String reader() {
        return token(READER_KEY, "reader");
    }

    /** As Java 2.0.2 signs: sr = the lower-cased, URL-encoded host; sr, sig, se, skn. */
    private static String token(String key, String policy) {
        return SasTokenSigner.sign(ADDRESS, Instant.now().getEpochSecond() + 3600, SymmetricKeys.decode(key), policy);
    }

    private static HttpResponse<String> send(String method, String path, String authorization, String body) throws Exception {
        return http.send(method, path + API, authorization, body);
    }

    private static HttpResponse<String> send(String method, String path, String authorization, String body, String ifMatch)
            throws Exception {
        return send(method, path, authorization, body, Map.of("If-Match", ifMatch));
    }

    private static HttpResponse<String> send(String method, String path, String authorization, String body,
            Map<String, String> headers) throws Exception {
        java.net.http.HttpRequest.Builder request = java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("https://" + gateway.endpoint() + path + API))
                .header("Authorization", authorization)
                .method(method, body == null ? java.net.http.HttpRequest.BodyPublishers.noBody()
                        : java.net.http.HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        return java.net.http.HttpClient.newBuilder().sslContext(io.onramp.gateway.support.TestTls.trusting(gateway.caFile()))
                .build().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void assertError(HttpResponse<String> response, int status, int errorCode) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        JsonObject body = new JsonObject(response.body());
        assertThat(body.getInteger("errorCode")).isEqualTo(errorCode);
        assertThat(body.getString("trackingId")).isNotBlank();
        assertThat(body.getString("message")).isNotBlank();
        assertThat(response.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).contains("application/json"));
    }

    private void assertUnchanged() throws Exception {
        HttpResponse<String> read = send("GET", "/enrollments/existing-1", owner(), null);
        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(new JsonObject(read.body()).getString("etag")).isEqualTo(existingEtag);
        HttpResponse<String> keys = send("POST", "/enrollments/existing-1/attestationmechanism", owner(), "{}");
        assertThat(new JsonObject(keys.body()).getJsonObject("symmetricKey").getString("primaryKey")).isEqualTo(VALID_KEY);
    }

    private static void assertAbsent(String id) throws Exception {
        assertThat(send("GET", "/enrollments/" + id, owner(), null).statusCode()).isEqualTo(404);
    }
}
