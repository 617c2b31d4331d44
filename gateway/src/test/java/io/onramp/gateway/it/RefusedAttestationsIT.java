package io.onramp.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.onramp.certs.ca.CaMaterial;
import io.onramp.certs.ca.CertificateBuilder;
import io.onramp.certs.sas.SymmetricKeys;
import io.onramp.gateway.support.CapturedLog;
import io.onramp.gateway.support.RawAmqp;
import io.onramp.gateway.support.RawDps;
import io.onramp.gateway.support.RawMqtt;
import io.onramp.gateway.support.TestGateway;
import io.onramp.gateway.support.TestTls;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.apache.qpid.proton.engine.EndpointState;
import org.apache.qpid.proton.engine.Sasl;
import org.apache.qpid.proton.engine.Sender;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code refusedAttestations}: a client address whose credentials keep failing is answered 429001 (HTTPS, with
 * Retry-After), CONNACK 0x03 (MQTT), SASL {@code sys-temp} or a link refused as a resource limit (AMQP, token or
 * certificate) without being checked, even with a good credential, until it earns an attempt back; devices at other
 * addresses provision meanwhile. Each test floods from an address of its own (a throttle is per address). A flood
 * is told of by one WARN; its unchecked attempts are not logged one by one at INFO.
 */
class RefusedAttestationsIT {

    static final String GATEWAY = "127.0.0.140";
    static final String HUB = "127.0.0.141";
    static final String OWNER = "UmVmdXNlZEF0dGVzdGF0aW9uc093bmVyS2V5VGVzdHM=";
    static final String GROUP_KEY = "UmVmdXNlZEF0dGVzdGF0aW9uc0dyb3VwS2V5VGVzdHM=";
    static final String WRONG_KEY = "V3JvbmdXcm9uZ1dyb25nV3JvbmdXcm9uZ1dyb25nV3Jvbmc=";
    static final int BURST = 3;
    static final CaMaterial X509_DEVICE = CertificateBuilder.selfSignedDevice("x509-device").issue();

    @TempDir
    static Path dataDir;
    static TestGateway gateway;
    static CapturedLog log;

    @BeforeAll
    static void start() throws Exception {
        log = CapturedLog.all();
        gateway = TestGateway.startOnStandardPorts(GATEWAY, List.of(HUB), dataDir, """
            refusedAttestations: { burst: %d, perSecond: 1 }
            hubs: [ { name: refusals-hub, hostName: %s, ownerKey: %s } ]
            enrollmentGroups:
              - enrollmentGroupId: floor
                attestation: { type: symmetricKey, symmetricKey: { primaryKey: %s } }
            individualEnrollments:
              - registrationId: x509-device
                attestation: { type: x509, x509: { clientCertificates: { primary: { certificate: "%s" } } } }
            """.formatted(BURST, HUB, OWNER, GROUP_KEY,
                Base64.getEncoder().encodeToString(X509_DEVICE.certificate().getEncoded())));
    }

    @AfterAll
    static void stop() {
        gateway.close();
        log.close();
    }

    @Test
    void overHttpsAnAddressRefusedTooOftenGets429UntilItEarnsAnAttemptBack() throws Exception {
        String flooder = "127.0.0.142";
        String id = "https-device";
        String good = token(id, GROUP_KEY);
        // GIVEN an address whose tokens were refused as often as its budget allows
        for (int i = 0; i < BURST; i++) {
            assertThat(registerFrom(flooder, id, token(id, WRONG_KEY)).status()).as("refusal %d", i + 1).isEqualTo(401);
        }

        // WHEN it sends a good token, THEN 429001 with Retry-After and the Azure error body, unchecked
        Answer throttled = registerFrom(flooder, id, good);
        assertThat(throttled.status()).as(throttled.body()).isEqualTo(429);
        assertThat(throttled.headers()).containsEntry("retry-after", "3");
        JsonObject error = new JsonObject(throttled.body());
        assertThat(error.getInteger("errorCode")).isEqualTo(429001);
        assertThat(error.getString("trackingId")).isNotBlank();

        // AND a device at another address provisions meanwhile
        RawDps dps = new RawDps(gateway);
        JsonObject elsewhere = dps.registerAndPoll("https-neighbour", token("https-neighbour", GROUP_KEY));
        assertThat(elsewhere.getString("status")).isEqualTo("assigned");
        // AND the operator sees it
        assertThat(dps.send("GET", "/metrics", null, null).body())
                .containsPattern("(?m)^onramp_attestations_throttled_total [1-9]");

        // AND a second later the address has one attempt back: the good token registers
        Thread.sleep(1_100);
        Answer earned = registerFrom(flooder, id, good);
        assertThat(earned.status()).as(earned.body()).isEqualTo(202);
        JsonObject assigned = dps.poll(id, new JsonObject(earned.body()).getString("operationId"), good);
        assertThat(assigned.getString("status")).isEqualTo("assigned");
        assertToldOnceAndThrottledQuietly(flooder);
    }

    @Test
    void overMqttAThrottledAddressGetsServerUnavailable() throws Exception {
        String flooder = "127.0.0.143";
        String id = "mqtt-device";
        String user = TestGateway.ID_SCOPE + "/registrations/" + id + "/api-version=2019-03-31";
        long refusedBefore = metric("onramp_registration_refusals_total{error_code=\"401002\"}");
        for (int i = 0; i < BURST; i++) {
            try (RawMqtt client = RawMqtt.openFrom(gateway, flooder, GATEWAY)) {
                assertThat(client.connect(id, user, token(id, WRONG_KEY), 60)).as("refusal %d", i + 1)
                        .isEqualTo(MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED);
            }
        }
        try (RawMqtt client = RawMqtt.openFrom(gateway, flooder, GATEWAY)) {
            assertThat(client.connect(id, user, token(id, GROUP_KEY), 60))
                    .isEqualTo(MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE);
        }
        assertThat(metric("onramp_registration_refusals_total{error_code=\"401002\"}"))
                .as("refused CONNECTs counted as refused registrations").isEqualTo(refusedBefore + BURST);
        try (RawMqtt client = RawMqtt.openFrom(gateway, "127.0.0.144", GATEWAY)) {
            assertThat(client.connect(id, user, token(id, GROUP_KEY), 60)).as("the same device from elsewhere")
                    .isEqualTo(MqttConnectReturnCode.CONNECTION_ACCEPTED);
        }
        assertToldOnceAndThrottledQuietly(flooder);
    }

    @Test
    void overAmqpAThrottledAddressGetsSaslSysTemp() throws Exception {
        String flooder = "127.0.0.145";
        String id = "amqp-device";
        String user = TestGateway.ID_SCOPE + "/registrations/" + id;
        for (int i = 0; i < BURST; i++) {
            try (RawAmqp amqp = RawAmqp.connectFrom(gateway, trusting(), flooder, user, token(id, WRONG_KEY))) {
                assertThat(amqp.saslOutcome()).as("refusal %d", i + 1).isEqualTo(Sasl.SaslOutcome.PN_SASL_AUTH);
            }
        }
        try (RawAmqp amqp = RawAmqp.connectFrom(gateway, trusting(), flooder, user, token(id, GROUP_KEY))) {
            assertThat(amqp.saslOutcome()).isEqualTo(Sasl.SaslOutcome.PN_SASL_TEMP);
        }
        try (RawAmqp amqp = RawAmqp.connectFrom(gateway, trusting(), "127.0.0.146", user, token(id, GROUP_KEY))) {
            assertThat(amqp.saslOutcome()).as("the same device from elsewhere").isEqualTo(Sasl.SaslOutcome.PN_SASL_OK);
        }
        assertToldOnceAndThrottledQuietly(flooder);
    }

    @Test
    void overAmqpAThrottledCertificateDeviceHasItsLinkRefusedAsAResourceLimit() throws Exception {
        String flooder = "127.0.0.147";
        SSLContext tls = TestTls.presenting(gateway.caFile(), X509_DEVICE.certificate(), X509_DEVICE.privateKey());
        // GIVEN an address whose certificate was refused for registrations it does not prove
        for (int i = 0; i < BURST; i++) {
            try (RawAmqp amqp = RawAmqp.connectFrom(gateway, tls, flooder, null, null)) {
                amqp.sender("/" + TestGateway.ID_SCOPE + "/registrations/someone-else-" + i);
                assertThat(amqp.closedWith().getCondition().toString()).as("refusal %d", i + 1)
                        .isEqualTo("amqp:unauthorized-access");
            }
        }
        // WHEN it opens a link to its own registration, THEN throttled; from elsewhere the link attaches
        try (RawAmqp amqp = RawAmqp.connectFrom(gateway, tls, flooder, null, null)) {
            amqp.sender("/" + TestGateway.ID_SCOPE + "/registrations/x509-device");
            assertThat(amqp.closedWith().getCondition().toString()).isEqualTo("amqp:resource-limit-exceeded");
        }
        try (RawAmqp amqp = RawAmqp.connectFrom(gateway, tls, "127.0.0.148", null, null)) {
            Sender own = amqp.sender("/" + TestGateway.ID_SCOPE + "/registrations/x509-device");
            assertThat(own.getRemoteState()).isEqualTo(EndpointState.ACTIVE);
        }
        assertToldOnceAndThrottledQuietly(flooder);
    }

    /** One WARN names the flooding address; its unchecked attempts have no line at INFO or above (DEBUG only). */
    private static void assertToldOnceAndThrottledQuietly(String flooder) {
        List<ILoggingEvent> lines = log.lines();
        assertThat(lines).filteredOn(e -> e.getLevel() == Level.WARN && e.getFormattedMessage().startsWith(flooder + ":"))
                .as("the flood told of once").hasSize(1);
        assertThat(lines).filteredOn(e -> e.getLevel().isGreaterOrEqual(Level.INFO))
                .extracting(ILoggingEvent::getFormattedMessage)
                .as("unchecked attempts not logged one by one").noneMatch(line -> line.contains("refusal budget of " + flooder));
    }

    /** A sample of /metrics by its name and labels as written there; 0 when absent. */
    private static long metric(String sample) throws Exception {
        for (String line : new RawDps(gateway).send("GET", "/metrics", null, null).body().split("\n")) {
            if (line.startsWith(sample + " ")) {
                return Long.parseLong(line.substring(sample.length() + 1).trim());
            }
        }
        return 0;
    }

    private static SSLContext trusting() {
        return TestTls.trusting(gateway.caFile());
    }

    private static String token(String registrationId, String groupKey) {
        return RawDps.token(registrationId, SymmetricKeys.deriveDeviceKey(groupKey, registrationId));
    }

    /** An HTTP answer as it came: status, headers by lower-case name, body. */
    record Answer(int status, Map<String, String> headers, String body) {}

    /** A register request from {@code source} on a connection of its own (java.net.http cannot bind one on Java 17). */
    private static Answer registerFrom(String source, String registrationId, String token) throws IOException {
        String body = new JsonObject().put("registrationId", registrationId).encode();
        String request = "PUT /" + TestGateway.ID_SCOPE + "/registrations/" + registrationId + "/register?"
                + RawDps.API + " HTTP/1.1\r\nHost: " + GATEWAY + "\r\nAuthorization: " + token
                + "\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: "
                + body.getBytes(StandardCharsets.UTF_8).length + "\r\nConnection: close\r\n\r\n" + body;
        try (SSLSocket socket = TestTls.connectFrom(TestTls.trusting(gateway.caFile()), source, GATEWAY,
                TestGateway.STANDARD_HTTPS_PORT)) {
            socket.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
            String answer = readAll(socket.getInputStream());
            int headEnd = answer.indexOf("\r\n\r\n");
            String[] head = answer.substring(0, headEnd).split("\r\n");
            Map<String, String> headers = new TreeMap<>();
            for (int i = 1; i < head.length; i++) {
                int colon = head[i].indexOf(':');
                headers.put(head[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                        head[i].substring(colon + 1).trim());
            }
            return new Answer(Integer.parseInt(head[0].split(" ")[1]), headers, answer.substring(headEnd + 4));
        }
    }

    private static String readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        in.transferTo(out);
        return out.toString(StandardCharsets.UTF_8);
    }
}
