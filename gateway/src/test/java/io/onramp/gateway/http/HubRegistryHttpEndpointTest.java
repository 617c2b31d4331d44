package io.onramp.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.onramp.broker.hub.DevicePresence.Presence;
import io.onramp.broker.hub.HubException;
import io.onramp.broker.hub.MethodResult;
import io.onramp.certs.sas.SasTokenVerifier;
import io.onramp.gateway.config.GatewayConfig.HubConfig;
import io.onramp.gateway.store.Database;
import io.onramp.gateway.store.JdbcDeviceRegistry;
import io.onramp.gateway.support.RawHub;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The REST layer's calls into the broker (desired notifications, disconnects, methods, messages)
 * and the live fields it shows, with a recording stand-in for the broker, over plain HTTP.
 */
class HubRegistryHttpEndpointTest {

    static final String HUB = "127.0.0.1";
    static final String OWNER_KEY = "SHViQU93bmVyS2V5Rm9yVGVzdHNPbmx5MDAwMDAwMDA=";
    static final String KEY = "S2V5Rm9yVGVzdFZlY3RvcnNPbmx5MDAwMDAwMDAwMDA=";
    static final String OTHER_KEY = "T3RoZXJLZXlGb3JUZXN0VmVjdG9yc09ubHkwMDAwMDA=";

    @TempDir
    Path dir;
    Vertx vertx = Vertx.vertx();
    Database database;
    RecordingDevices devices = new RecordingDevices();
    RawHub hub;
    String token = RawHub.token(HUB, OWNER_KEY, RawHub.OWNER);

    @BeforeEach
    void start() throws Exception {
        database = Database.openH2(vertx, dir);
        HubServiceAuthenticator authenticator = new HubServiceAuthenticator(
                List.of(new HubConfig("a", HUB, 1, true, OWNER_KEY)), new SasTokenVerifier(Clock.systemUTC(), Duration.ofMinutes(5)));
        HubRegistryHttpEndpoint endpoint = new HubRegistryHttpEndpoint(authenticator,
                new JdbcDeviceRegistry(database, Clock.systemUTC()), devices, devices, null);
        HttpServer server = await(vertx.createHttpServer()
                .requestHandler(Routes.create(vertx, new DpsHttpEndpoint(null), endpoint)).listen(0, HUB));
        hub = RawHub.overHttp(HUB + ":" + server.actualPort());
    }

    @AfterEach
    void stop() throws Exception {
        database.close();
        await(vertx.close());
    }

    @Test
    void desiredChangesAreToldToTheDeviceAndTagsAreNot() throws Exception {
        create("pump-1");

        send("PATCH", "/twins/pump-1", "{\"properties\":{\"desired\":{\"setpoint\":21}}}");
        send("PATCH", "/twins/pump-1", "{\"tags\":{\"site\":\"north\"}}");
        send("PUT", "/twins/pump-1", "{\"tags\":{},\"properties\":{\"desired\":{\"mode\":\"eco\"}}}");

        assertThat(devices.desired).containsExactly(
                new RecordingDevices.Desired(HUB, "pump-1", new JsonObject("{\"setpoint\":21}"), 2),
                new RecordingDevices.Desired(HUB, "pump-1", new JsonObject("{\"mode\":\"eco\",\"setpoint\":null}"), 3));
    }

    @Test
    void disablingChangingKeysOrDeletingClosesTheDevicesConnections() throws Exception {
        String etag = create("pump-2").getString("etag");

        JsonObject renamed = put("pump-2", etag, "{\"deviceId\":\"pump-2\",\"statusReason\":\"spare\"}");
        JsonObject disabled = put("pump-2", renamed.getString("etag"), "{\"status\":\"disabled\"}");
        assertThat(devices.identityChanges).containsExactly("pump-2");
        JsonObject rekeyed = put("pump-2", disabled.getString("etag"), "{\"status\":\"enabled\",\"authentication\":"
                + "{\"type\":\"sas\",\"symmetricKey\":{\"primaryKey\":\"" + OTHER_KEY + "\",\"secondaryKey\":\"" + KEY + "\"}}}");
        assertThat(rekeyed.getJsonObject("authentication").getJsonObject("symmetricKey").getString("primaryKey")).isEqualTo(OTHER_KEY);
        assertThat(send("DELETE", "/devices/pump-2", null, "If-Match", "*").statusCode()).isEqualTo(204);

        assertThat(devices.identityChanges).containsExactly("pump-2", "pump-2", "pump-2");
    }

    @Test
    void aMethodCallReachesTheDeviceAndItsAnswerComesBack() throws Exception {
        create("pump-3");
        devices.methodAnswer = Future.succeededFuture(new MethodResult(201, "{\"accepted\":true}"));

        HttpResponse<String> response = send("POST", "/twins/pump-3/methods",
                "{\"methodName\":\"reboot\",\"payload\":{\"delay\":5},\"responseTimeoutInSeconds\":12}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(new JsonObject(response.body())).isEqualTo(new JsonObject("{\"status\":201,\"payload\":{\"accepted\":true}}"));
        assertThat(devices.methods).containsExactly(
                new RecordingDevices.Method(HUB, "pump-3", "reboot", "{\"delay\":5}", Duration.ofSeconds(12)));
    }

    @Test
    void aMethodWithoutPayloadSendsNullAndAnOfflineDeviceIsWaitedForUpToTheConnectTimeout() throws Exception {
        create("pump-4");
        devices.methodAnswer = Future.failedFuture(new HubException(404, "DeviceNotOnline", "Device pump-4 is not online."));
        long start = System.nanoTime();

        HttpResponse<String> response = send("POST", "/twins/pump-4/methods",
                "{\"methodName\":\"ping\",\"connectTimeoutInSeconds\":1}");

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThan(Duration.ofMillis(900));
        RawHub.assertHubError(response, 404, "DeviceNotOnline");
        assertThat(devices.methods).singleElement().satisfies(m -> {
            assertThat(m.payloadJson()).isEqualTo("null");
            assertThat(m.timeout()).isEqualTo(Duration.ofSeconds(30));
        });
    }

    @Test
    void aMethodForAnUnknownDeviceIsNotFoundWithoutBotheringTheBroker() throws Exception {
        RawHub.assertHubError(send("POST", "/twins/nobody/methods", "{\"methodName\":\"ping\"}"), 404, "DeviceNotFound");
        assertThat(devices.methods).isEmpty();
    }

    @Test
    void aCloudToDeviceMessageCarriesItsHeadersAsProperties() throws Exception {
        create("pump-5");
        String expiry = Instant.now().plusSeconds(600).toString();

        HttpResponse<String> response = send("POST", "/devices/pump-5/messages/deviceBound", "{\"valve\":\"open\"}",
                "iothub-messageid", "m-1", "iothub-correlationid", "c-1", "iothub-userid", "ops", "iothub-ack", "full",
                "content-encoding", "utf-8", "iothub-expiry", expiry, "iothub-app-valve", "open slowly");

        assertThat(response.statusCode()).isEqualTo(204);
        assertThat(response.headers().firstValue("iothub-messageid")).hasValue("m-1");
        assertThat(devices.messages).singleElement().satisfies(m -> {
            assertThat(new String(m.body(), StandardCharsets.UTF_8)).isEqualTo("{\"valve\":\"open\"}");
            assertThat(m.systemProperties()).containsAllEntriesOf(Map.of("message-id", "m-1", "correlation-id", "c-1",
                    "user-id", "ops", "iothub-ack", "full", "content-encoding", "utf-8",
                    "content-type", "application/json; charset=utf-8"));
            assertThat(m.applicationProperties()).isEqualTo(Map.of("valve", "open slowly"));
            assertThat(m.expiresAt()).isEqualTo(Instant.parse(expiry));
        });
    }

    @Test
    void aMessageWithoutIdGetsOneAndBadHeadersAreRefused() throws Exception {
        create("pump-6");

        HttpResponse<String> sent = send("POST", "/devices/pump-6/messages/deviceBound", "hello");
        assertThat(sent.headers().firstValue("iothub-messageid")).hasValueSatisfying(id -> assertThat(id).hasSize(36));
        RawHub.assertHubError(send("POST", "/devices/pump-6/messages/deviceBound", "x", "iothub-ack", "always"),
                400, "ArgumentInvalid");
        RawHub.assertHubError(send("POST", "/devices/pump-6/messages/deviceBound", "x", "iothub-expiry", "tomorrow"),
                400, "ArgumentInvalid");
        RawHub.assertHubError(send("POST", "/devices/pump-6/messages/deviceBound", "x".repeat(64 * 1024 + 1)),
                413, "MessageTooLarge");
        RawHub.assertHubError(send("POST", "/devices/nobody/messages/deviceBound", "x"), 404, "DeviceNotFound");
        assertThat(devices.messages).hasSize(1);
    }

    @Test
    void theLiveFieldsComeFromThePresenceOfTheDevice() throws Exception {
        create("pump-7");
        devices.presence = new Presence(true, Instant.parse("2026-01-15T10:20:00.1234567Z"), Instant.parse("2026-01-15T10:21:00Z"));
        devices.queued = 3;

        JsonObject identity = new JsonObject(send("GET", "/devices/pump-7", null).body());
        JsonObject twin = new JsonObject(send("GET", "/twins/pump-7", null).body());

        assertThat(identity.getString("connectionState")).isEqualTo("Connected");
        assertThat(identity.getString("connectionStateUpdatedTime")).isEqualTo("2026-01-15T10:20:00.1234567Z");
        assertThat(identity.getString("lastActivityTime")).isEqualTo("2026-01-15T10:21:00.0000000Z");
        assertThat(identity.getInteger("cloudToDeviceMessageCount")).isEqualTo(3);
        assertThat(twin.getString("connectionState")).isEqualTo("Connected");
        assertThat(twin.getInteger("cloudToDeviceMessageCount")).isEqualTo(3);
    }

    private JsonObject create(String deviceId) throws Exception {
        HttpResponse<String> response = send("PUT", "/devices/" + deviceId, "{\"deviceId\":\"" + deviceId + "\"}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return new JsonObject(response.body());
    }

    private JsonObject put(String deviceId, String etag, String body) throws Exception {
        HttpResponse<String> response = send("PUT", "/devices/" + deviceId, body, "If-Match", "\"" + etag + "\"");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return new JsonObject(response.body());
    }

    private HttpResponse<String> send(String method, String path, String body, String... headers) throws Exception {
        return hub.send(method, path, token, body, headers);
    }

    private static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
