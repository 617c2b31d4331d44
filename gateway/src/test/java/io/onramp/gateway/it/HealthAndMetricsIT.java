package io.onramp.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.onramp.certs.sas.SymmetricKeys;
import io.onramp.gateway.support.RawDps;
import io.onramp.gateway.support.RawMqtt;
import io.onramp.gateway.support.TestGateway;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /health} and {@code GET /metrics} on the HTTPS listener, as a load balancer and Prometheus read them:
 * the counts move with what devices really did (registrations, refusals, connections, telemetry).
 */
class HealthAndMetricsIT {

    static final String GATEWAY = "127.0.0.234";
    static final String HUB = "127.0.0.235";
    static final String GROUP_KEY = "SGVhbHRoTWV0cmljc0dyb3VwS2V5Rm9yVGVzdHMwMDA=";
    static final String OWNER = "SGVhbHRoTWV0cmljc093bmVyS2V5Rm9yVGVzdHMwMDA=";
    static final String HUB_LABELS = "hub=\"line-m\",host=\"" + HUB + "\"";
    /** A sample line of the text format: a name, labels perhaps, a value. */
    static final Pattern SAMPLE = Pattern.compile("[a-z_]+(\\{[a-z_]+=\"[^\"]*\"(,[a-z_]+=\"[^\"]*\")*})? -?\\d+");

    @TempDir
    static Path dataDir;
    static TestGateway gateway;
    static RawDps dps;

    @BeforeAll
    static void start() {
        gateway = TestGateway.startWithMqtt(GATEWAY, List.of(HUB), dataDir, """
            hubs: [ { name: line-m, hostName: %s, ownerKey: %s } ]
            enrollmentGroups:
              - enrollmentGroupId: meters
                attestation: { type: symmetricKey, symmetricKey: { primaryKey: %s } }
            """.formatted(HUB, OWNER, GROUP_KEY));
        dps = new RawDps(gateway);
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @Test
    void healthSaysUpWhileTheStoreTakesWrites() throws Exception {
        HttpResponse<String> health = dps.send("GET", "/health", null, null);

        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        assertThat(new JsonObject(health.body())).isEqualTo(new JsonObject().put("status", "up"));
    }

    @Test
    void metricsCountWhatDevicesDid() throws Exception {
        // GIVEN two devices registered, one refused for a wrong key (its register and its status read), and one
        // connected that sent three messages
        for (String id : List.of("meter-1", "meter-2")) {
            assertThat(dps.registerAndPoll(id, RawDps.token(id, key(id))).getString("status")).isEqualTo("assigned");
        }
        HttpResponse<String> refused = dps.register("/" + TestGateway.ID_SCOPE + "/registrations/meter-3/register?"
                + RawDps.API, RawDps.token("meter-3", SymmetricKeys.generate()), "{\"registrationId\":\"meter-3\"}");
        assertThat(refused.statusCode()).isEqualTo(401);
        HttpResponse<String> refusedRead = dps.send("POST", "/" + TestGateway.ID_SCOPE + "/registrations/meter-3?"
                + RawDps.API, RawDps.token("meter-3", SymmetricKeys.generate()), "{\"registrationId\":\"meter-3\"}");
        assertThat(refusedRead.statusCode()).isEqualTo(401);
        try (RawMqtt device = RawMqtt.open(gateway, HUB)) {
            assertThat(device.connectDevice(HUB, "meter-1", key("meter-1"))).isEqualTo(MqttConnectReturnCode.CONNECTION_ACCEPTED);
            for (int i = 1; i <= 3; i++) {
                device.publish("devices/meter-1/messages/events/", MqttQoS.AT_LEAST_ONCE, "{}".getBytes(StandardCharsets.UTF_8), i);
                assertThat(RawMqtt.isPubAck(device.read(), i)).isTrue();
            }

            // WHEN Prometheus scrapes
            HttpResponse<String> scraped = dps.send("GET", "/metrics", null, null);

            // THEN the text format, with the counts of what happened (no consumer: the three were dropped)
            assertThat(scraped.statusCode()).isEqualTo(200);
            assertThat(scraped.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
            List<String> lines = Arrays.asList(scraped.body().split("\n"));
            assertThat(lines).filteredOn(l -> !l.startsWith("#")).allSatisfy(l -> assertThat(l).matches(SAMPLE));
            assertThat(lines).contains(
                    "onramp_registrations_total{status=\"assigned\"} 2",
                    "onramp_registrations_total{status=\"failed\"} 0",
                    "onramp_registration_refusals_total{error_code=\"401002\"} 2",
                    "onramp_hub_assigned_devices{" + HUB_LABELS + "} 2",
                    "onramp_hub_connected_devices{" + HUB_LABELS + "} 1",
                    "onramp_hub_telemetry_messages_total{" + HUB_LABELS + "} 3",
                    "onramp_hub_telemetry_dropped_total{" + HUB_LABELS + ",reason=\"no_consumer\"} 3",
                    "onramp_store_up 1",
                    "onramp_store_failed_commits_total 0",
                    "# TYPE onramp_registrations_total counter");
            assertThat(scraped.body()).doesNotContain("meter-1").doesNotContain(GROUP_KEY);
        }
    }

    @Test
    void neitherAnswersAnotherMethod() throws Exception {
        assertThat(dps.send("POST", "/health", null, "{}").statusCode()).isEqualTo(405);
        assertThat(dps.send("DELETE", "/metrics", null, null).statusCode()).isEqualTo(405);
    }

    static String key(String registrationId) {
        return SymmetricKeys.deriveDeviceKey(GROUP_KEY, registrationId);
    }
}
