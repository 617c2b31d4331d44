package io.onramp.gateway.it;

import static io.onramp.gateway.support.RawHub.assertHubError;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.onramp.gateway.error.HubHttpErrors;
import io.onramp.gateway.support.RawHub;
import io.onramp.gateway.support.RawMqtt;
import io.onramp.gateway.support.TestGateway;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * What a hub host answers over real HTTPS, whatever a client sends: bodies are bytes whatever their
 * Content-Type (curl's default is a form type), every error has IoT Hub's registry body, and the
 * statistics the service SDKs read count the hub's devices and connections.
 */
class HubHostHttpIT {

    static final String DPS = "127.0.0.215";
    static final String HUB = "127.0.0.216";
    /** A hub of its own for the statistics, so that the other tests' devices are not counted. */
    static final String COUNTED_HUB = "127.0.0.217";
    static final String OWNER_KEY = "SHViSG9zdE93bmVyS2V5Rm9yVGVzdHNPbmx5MDAwMDA=";
    static final String FORM = "application/x-www-form-urlencoded";

    @TempDir
    static Path dataDir;
    static TestGateway gateway;
    static RawHub hub;
    static String token;

    @BeforeAll
    static void start() {
        gateway = TestGateway.startWithMqtt(DPS, List.of(HUB, COUNTED_HUB), dataDir, """
            hubs:
              - { name: line-r, hostName: %s, ownerKey: %s }
              - { name: line-s, hostName: %s, ownerKey: %s }
            """.formatted(HUB, OWNER_KEY, COUNTED_HUB, OWNER_KEY));
        hub = new RawHub(HUB + ":" + gateway.httpsPort(), gateway.caFile());
        token = RawHub.token(HUB, OWNER_KEY, RawHub.OWNER);
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @Test
    void aCloudToDeviceMessageIsItsBytesWhateverItsContentType() throws Exception {
        assertThat(hub.send("PUT", "/devices/form-1", token, "{}").statusCode()).isEqualTo(200);

        HttpResponse<String> small = hub.send("POST", "/devices/form-1/messages/deviceBound", token, "a".repeat(4096),
                "Content-Type", FORM);
        assertThat(small.statusCode()).as(small.body()).isEqualTo(204);
        assertHubError(hub.send("POST", "/devices/form-1/messages/deviceBound", token, "a".repeat(70 * 1024),
                "Content-Type", FORM), 413, "MessageTooLarge");

        JsonObject device = new JsonObject(hub.send("GET", "/devices/form-1", token, null).body());
        assertThat(device.getInteger("cloudToDeviceMessageCount")).isEqualTo(1);
    }

    @Test
    void aFormTypedBodyOnAJsonRouteIsABadRequestNotAServerError() throws Exception {
        assertHubError(hub.send("PUT", "/devices/form-2", token, "a".repeat(70 * 1024), "Content-Type", FORM),
                400, "ArgumentInvalid");
        assertHubError(hub.send("POST", "/devices/query", token, "q=" + "a".repeat(8192), "Content-Type", FORM),
                400, "ArgumentInvalid");

        RawHub dps = new RawHub(gateway.endpoint(), gateway.caFile());
        HttpResponse<String> register = dps.send("PUT", "/" + TestGateway.ID_SCOPE + "/registrations/form-3/register?api-version=2019-03-31",
                null, "a".repeat(8192), "Content-Type", FORM);
        assertThat(register.statusCode()).as(register.body()).isEqualTo(400);
        assertThat(new JsonObject(register.body()).getInteger("errorCode")).isBetween(400000, 400999);
        HttpResponse<String> enrollment = dps.send("PUT", "/enrollments/form-4", null, "a".repeat(8192), "Content-Type", FORM);
        assertThat(enrollment.statusCode()).as(enrollment.body()).isIn(400, 401);
    }

    @Test
    void everyErrorOnTheHubHostHasTheRegistryBody() throws Exception {
        assertHubError(hub.send("GET", "/nothing/here", token, null), 404, "NotFound");
        assertHubError(hub.send("GET", "/statistics/nothing", token, null), 404, "NotFound");
        assertHubError(hub.send("DELETE", "/statistics/devices", token, null), 405, "MethodNotAllowed");
        assertHubError(hub.send("GET", "/statistics/devices", null, null), 401, "IotHubUnauthorizedAccess");
        assertHubError(hub.send("GET", "/statistics/service", "garbage", null), 401, "IotHubUnauthorizedAccess");

        // the DPS host name keeps the DPS body
        HttpResponse<String> dps = new RawHub(gateway.endpoint(), gateway.caFile()).send("GET", "/nothing/here", null, null);
        assertThat(dps.statusCode()).isEqualTo(404);
        assertThat(new JsonObject(dps.body()).getInteger("errorCode")).isEqualTo(404001);
    }

    @Test
    void statisticsCountTheHubsDevicesAndConnections() throws Exception {
        RawHub counted = new RawHub(COUNTED_HUB + ":" + gateway.httpsPort(), gateway.caFile());
        String countedToken = RawHub.token(COUNTED_HUB, OWNER_KEY, RawHub.OWNER);
        HttpResponse<String> created = counted.send("PUT", "/devices/stat-1", countedToken, "{}");
        String key = new JsonObject(created.body()).getJsonObject("authentication").getJsonObject("symmetricKey")
                .getString("primaryKey");
        counted.send("PUT", "/devices/stat-2", countedToken, "{}");
        counted.send("PUT", "/devices/stat-3", countedToken, "{\"status\":\"disabled\"}");

        HttpResponse<String> devices = counted.send("GET", "/statistics/devices", countedToken, null);
        assertThat(devices.statusCode()).as(devices.body()).isEqualTo(200);
        assertThat(new JsonObject(devices.body())).isEqualTo(new JsonObject()
                .put("totalDeviceCount", 3).put("enabledDeviceCount", 2).put("disabledDeviceCount", 1));
        assertThat(connectedCount(counted, countedToken)).isZero();

        try (RawMqtt device = RawMqtt.open(gateway, COUNTED_HUB)) {
            assertThat(device.connectDeviceClean(COUNTED_HUB, "stat-1", key)).isEqualTo(MqttConnectReturnCode.CONNECTION_ACCEPTED);
            assertThat(connectedCount(counted, countedToken)).isEqualTo(1);
            assertThat(connectedCount(hub, token)).as("another hub's devices").isZero();
        }
    }

    @Test
    void aMethodTheDeviceDoesNotAnswerIsAnInfoLineAndADisabledDevicesConnectionClosesWithOne() throws Exception {
        HttpResponse<String> created = hub.send("PUT", "/devices/quiet-1", token, "{}");
        String key = new JsonObject(created.body()).getJsonObject("authentication").getJsonObject("symmetricKey")
                .getString("primaryKey");
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        List<Logger> loggers = List.of((Logger) LoggerFactory.getLogger(HubHttpErrors.class),
                (Logger) LoggerFactory.getLogger("io.onramp.broker.hub.HubMessaging"));
        loggers.forEach(l -> l.addAppender(log));
        try (RawMqtt device = RawMqtt.open(gateway, HUB)) {
            assertThat(device.connectDeviceClean(HUB, "quiet-1", key)).isEqualTo(MqttConnectReturnCode.CONNECTION_ACCEPTED);
            assertThat(device.subscribe("$iothub/methods/POST/#", 1)).isEqualTo(1);

            assertHubError(hub.send("POST", "/twins/quiet-1/methods", token,
                    "{\"methodName\":\"reboot\",\"responseTimeoutInSeconds\":5}"), 504, "GatewayTimeout");
            assertThat(log.list).filteredOn(e -> e.getFormattedMessage().startsWith("POST /twins/quiet-1/methods from ")
                            && e.getFormattedMessage().contains(" -> 504"))
                    .singleElement().satisfies(e -> {
                        assertThat(e.getLevel()).isEqualTo(Level.INFO);
                        assertThat(e.getThrowableProxy()).isNull();
                    });

            String etag = new JsonObject(hub.send("GET", "/devices/quiet-1", token, null).body()).getString("etag");
            assertThat(hub.send("PUT", "/devices/quiet-1", token, "{\"status\":\"disabled\"}", "If-Match", "\"" + etag + "\"")
                    .statusCode()).isEqualTo(200);
            assertThat(device.closedWithin(5000)).isTrue();
            assertThat(log.list).filteredOn(e -> e.getLevel() == Level.INFO)
                    .anySatisfy(e -> assertThat(e.getFormattedMessage()).startsWith("closing quiet-1 on " + HUB + ": it was disabled"));
        } finally {
            loggers.forEach(l -> l.detachAppender(log));
        }
    }

    static int connectedCount(RawHub at, String token) throws Exception {
        HttpResponse<String> service = at.send("GET", "/statistics/service", token, null);
        assertThat(service.statusCode()).as(service.body()).isEqualTo(200);
        return new JsonObject(service.body()).getInteger("connectedDeviceCount");
    }
}
