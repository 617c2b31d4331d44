package io.onramp.gateway.it;

import static io.onramp.gateway.support.RawHub.assertHubError;
import static org.assertj.core.api.Assertions.assertThat;

import io.onramp.gateway.support.RawHub;
import io.onramp.gateway.support.TestGateway;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a hub host answers over real HTTPS, whatever a client sends: bodies are bytes whatever their
 * Content-Type (curl's default is a form type).
 */
class HubHostHttpIT {

    static final String DPS = "127.0.0.215";
    static final String HUB = "127.0.0.216";
    static final String OWNER_KEY = "SHViSG9zdE93bmVyS2V5Rm9yVGVzdHNPbmx5MDAwMDA=";
    static final String FORM = "application/x-www-form-urlencoded";

    @TempDir
    static Path dataDir;
    static TestGateway gateway;
    static RawHub hub;
    static String token;

    @BeforeAll
    static void start() {
        gateway = TestGateway.startWithMqtt(DPS, List.of(HUB), dataDir, """
            hubs: [ { name: line-r, hostName: %s, ownerKey: %s } ]
            """.formatted(HUB, OWNER_KEY));
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
}
