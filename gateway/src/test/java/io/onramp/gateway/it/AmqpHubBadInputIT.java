package io.onramp.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.onramp.certs.sas.SasTokenSigner;
import io.onramp.certs.sas.SymmetricKeys;
import io.onramp.gateway.support.RawAmqp;
import io.onramp.gateway.support.RawHub;
import io.onramp.gateway.support.TelemetryConsumer;
import io.onramp.gateway.support.TestGateway;
import io.onramp.gateway.support.TestTls;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.qpid.proton.Proton;
import org.apache.qpid.proton.amqp.Binary;
import org.apache.qpid.proton.amqp.Symbol;
import org.apache.qpid.proton.amqp.messaging.Accepted;
import org.apache.qpid.proton.amqp.messaging.AmqpValue;
import org.apache.qpid.proton.amqp.messaging.ApplicationProperties;
import org.apache.qpid.proton.amqp.messaging.Data;
import org.apache.qpid.proton.amqp.messaging.MessageAnnotations;
import org.apache.qpid.proton.amqp.messaging.Properties;
import org.apache.qpid.proton.amqp.messaging.Rejected;
import org.apache.qpid.proton.amqp.transport.DeliveryState;
import org.apache.qpid.proton.amqp.transport.ErrorCondition;
import org.apache.qpid.proton.engine.Receiver;
import org.apache.qpid.proton.engine.Sender;
import org.apache.qpid.proton.message.Message;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What no SDK sends to a hub over AMQP, and what it must get back (hub-device-protocol.md 4): CBS answers with an int
 * status-code and the request's message ID as it came, links refused with the AMQP condition that says why, an
 * oversized message rejected while the connection and the next message go on, a twin request the hub does not know
 * answered with 400.
 */
class AmqpHubBadInputIT {

    static final String ADDRESS = "127.0.0.187";
    static final String HUB = "127.0.0.188";
    static final String OWNER = "QW1xcEh1YkJhZElucHV0T3duZXJLZXlGb3JUZXN0czA=";
    static final String KEY = "QW1xcEh1YkJhZElucHV0RGV2aWNlS2V5Rm9yVGVzdHM=";
    static final String DEVICE = "amqp-raw-1";
    static final String OTHER = "amqp-raw-2";

    @TempDir
    static Path dataDir;
    static TestGateway gateway;

    @BeforeAll
    static void startGateway() throws Exception {
        gateway = TestGateway.startOnStandardPorts(ADDRESS, List.of(HUB), dataDir, """
            hubs:
              - { name: line-r, hostName: %s, ownerKey: %s }
            """.formatted(HUB, OWNER));
        RawHub service = new RawHub(HUB + ":" + gateway.httpsPort(), gateway.caFile());
        String token = RawHub.token(HUB, OWNER, RawHub.OWNER);
        for (String device : List.of(DEVICE, OTHER)) {
            service.createSasDevice(token, device, KEY);
        }
    }

    @AfterAll
    static void stopGateway() {
        gateway.close();
    }

    private static RawAmqp connect() throws Exception {
        RawAmqp amqp = RawAmqp.connect(gateway, TestTls.trusting(gateway.caFile()), null, null);
        assertThat(amqp.opened()).isTrue();
        return amqp;
    }

    private static String token(String resource, String key, long expiry) {
        return SasTokenSigner.sign(resource, expiry, SymmetricKeys.decode(key), null);
    }

    private static String deviceToken(String device) {
        return token(HUB + "/devices/" + device, KEY, Instant.now().plusSeconds(3600).getEpochSecond());
    }

    /** The CBS exchange of spec 4.2 as Java sends it (message ID a uuid); answers the response. */
    private static Message putToken(RawAmqp amqp, Sender cbs, Receiver answers, String name, String type, Object id,
            String token) throws Exception {
        Message request = Proton.message();
        Properties properties = new Properties();
        properties.setMessageId(id);
        properties.setTo("$cbs");
        properties.setReplyTo("cbs");
        request.setProperties(properties);
        request.setApplicationProperties(new ApplicationProperties(Map.of("operation", "put-token", "type", type,
                "name", name)));
        request.setBody(new AmqpValue(token));
        assertThat(amqp.send(cbs, request)).isInstanceOf(Accepted.class);
        return amqp.receive(answers);
    }

    private static int status(Message answer) {
        Object status = answer.getApplicationProperties().getValue().get("status-code");
        assertThat(status).as("status-code is an AMQP int (Java checks instanceof Integer)").isInstanceOf(Integer.class);
        return (Integer) status;
    }

    @Test
    void putTokensAreAnsweredWithIntStatusAndTheRequestsIdAsItCame() throws Exception {
        try (RawAmqp amqp = connect()) {
            Sender cbs = amqp.sender("$cbs");
            Receiver answers = amqp.receiver("$cbs");
            String sastoken = "servicebus.windows.net:sastoken";
            UUID javaId = UUID.randomUUID();

            Message ok = putToken(amqp, cbs, answers, HUB + "/devices/" + DEVICE, sastoken, javaId, deviceToken(DEVICE));
            assertThat(status(ok)).isEqualTo(200);
            assertThat(ok.getCorrelationId()).as("same AMQP type: Java casts it to UUID").isEqualTo(javaId);

            // Node's form: a string ID, the name percent-encoded as its token's sr.
            Message node = putToken(amqp, cbs, answers, HUB + "%2Fdevices%2F" + OTHER, sastoken, "node-1",
                    deviceToken(OTHER));
            assertThat(status(node)).isEqualTo(200);
            assertThat(node.getCorrelationId()).isEqualTo("node-1");

            String wrongKey = token(HUB + "/devices/" + DEVICE, OWNER, Instant.now().plusSeconds(3600).getEpochSecond());
            assertThat(status(putToken(amqp, cbs, answers, HUB + "/devices/" + DEVICE, sastoken, "bad-1", wrongKey)))
                    .as("signed with another key").isEqualTo(401);
            String expired = token(HUB + "/devices/" + DEVICE, KEY, Instant.now().minusSeconds(3600).getEpochSecond());
            assertThat(status(putToken(amqp, cbs, answers, HUB + "/devices/" + DEVICE, sastoken, "bad-2", expired)))
                    .as("expired").isEqualTo(401);
            String elsewhere = token("127.0.0.250/devices/" + DEVICE, KEY, Instant.now().plusSeconds(3600).getEpochSecond());
            assertThat(status(putToken(amqp, cbs, answers, "127.0.0.250/devices/" + DEVICE, sastoken, "bad-3", elsewhere)))
                    .as("a hub not hosted here").isEqualTo(401);
            assertThat(status(putToken(amqp, cbs, answers, HUB + "/devices/" + OTHER, sastoken, "bad-4", deviceToken(DEVICE))))
                    .as("the name is not the token's audience").isEqualTo(401);
            assertThat(status(putToken(amqp, cbs, answers, HUB + "/devices/" + DEVICE, "jwt", "bad-5", deviceToken(DEVICE))))
                    .as("not a SAS token type").isEqualTo(400);
            assertThat(status(putToken(amqp, cbs, answers, HUB + "/devices/" + DEVICE, sastoken, "bad-6", "not a token")))
                    .as("garbage").isEqualTo(401);

            // Renewals for as long as the connection lasts: more put-tokens than the link's first credit.
            for (int i = 0; i < 70; i++) {
                assertThat(status(putToken(amqp, cbs, answers, HUB + "/devices/" + DEVICE, sastoken, "renewal-" + i,
                        deviceToken(DEVICE)))).as("renewal " + i).isEqualTo(200);
            }
        }
    }

    @Test
    void linksAreRefusedWithTheConditionThatSaysWhy() throws Exception {
        try (RawAmqp amqp = connect()) {
            ErrorCondition unproved = amqp.detachedWith(amqp.sender("/devices/" + DEVICE + "/messages/events"));
            assertThat(unproved.getCondition().toString()).isEqualTo("amqp:unauthorized-access");

            Message ok = putToken(amqp, amqp.sender("$cbs"), amqp.receiver("$cbs"), HUB + "/devices/" + DEVICE,
                    "servicebus.windows.net:sastoken", UUID.randomUUID(), deviceToken(DEVICE));
            assertThat(status(ok)).isEqualTo(200);

            Sender own = amqp.sender("/devices/" + DEVICE + "/messages/events");
            assertThat(amqp.detachedWith(own)).as("its own telemetry link stays").isNull();
            ErrorCondition another = amqp.detachedWith(amqp.sender("/devices/" + OTHER + "/messages/events"));
            assertThat(another.getCondition().toString()).as("another device's link").isEqualTo("amqp:unauthorized-access");
            ErrorCondition module = amqp.detachedWith(amqp.sender("/devices/" + DEVICE + "/modules/m1/messages/events"));
            assertThat(module.getCondition().toString()).isEqualTo("amqp:not-implemented");
            ErrorCondition unknown = amqp.detachedWith(amqp.sender("/devices/" + DEVICE + "/messages/outbox"));
            assertThat(unknown.getCondition().toString()).isEqualTo("amqp:not-found");
            ErrorCondition backwards = amqp.detachedWith(amqp.receiver("/devices/" + DEVICE + "/messages/events"));
            assertThat(backwards.getCondition().toString()).as("receiving on the telemetry link").isEqualTo("amqp:not-allowed");
            ErrorCondition dps = amqp.detachedWith(amqp.sender("/" + TestGateway.ID_SCOPE + "/registrations/" + DEVICE));
            assertThat(dps.getCondition().toString()).as("a DPS link on a hub connection").isEqualTo("amqp:unauthorized-access");
        }
    }

    @Test
    void aLegacyClientsSaslPlainProvesItsDeviceAsAPutTokenWould() throws Exception {
        try (RawAmqp amqp = RawAmqp.connect(gateway, TestTls.trusting(gateway.caFile()), DEVICE + "@sas.line-r",
                deviceToken(DEVICE))) {
            assertThat(amqp.opened()).isTrue();
            Sender telemetry = amqp.sender("/devices/" + DEVICE + "/messages/events");
            assertThat(amqp.send(telemetry, data("plain".getBytes(StandardCharsets.UTF_8)))).isInstanceOf(Accepted.class);
            ErrorCondition other = amqp.detachedWith(amqp.sender("/devices/" + OTHER + "/messages/events"));
            assertThat(other.getCondition().toString()).as("only the user's device").isEqualTo("amqp:unauthorized-access");
        }
        try (RawAmqp amqp = RawAmqp.connect(gateway, TestTls.trusting(gateway.caFile()), OTHER + "@sas.line-r",
                deviceToken(DEVICE))) {
            ErrorCondition closed = amqp.closedWith();
            assertThat(closed).as("a token for another device than the user").isNotNull();
            assertThat(closed.getCondition().toString()).isEqualTo("amqp:unauthorized-access");
        }
    }

    @Test
    void anOversizedMessageIsRejectedAndTheNextOneArrives() throws Exception {
        try (TelemetryConsumer consumer = TelemetryConsumer.subscribe(gateway, HUB, OWNER, "devices/" + DEVICE + "/#");
                RawAmqp amqp = connect()) {
            assertThat(status(putToken(amqp, amqp.sender("$cbs"), amqp.receiver("$cbs"), HUB + "/devices/" + DEVICE,
                    "servicebus.windows.net:sastoken", UUID.randomUUID(), deviceToken(DEVICE)))).isEqualTo(200);
            Sender telemetry = amqp.sender("/devices/" + DEVICE + "/messages/events");

            DeliveryState tooLarge = amqp.send(telemetry, data(new byte[300 * 1024]));
            assertThat(tooLarge).isInstanceOf(Rejected.class);
            assertThat(((Rejected) tooLarge).getError().getCondition().toString()).isEqualTo("amqp:link:message-size-exceeded");

            Message small = data("{\"after\":true}".getBytes(StandardCharsets.UTF_8));
            small.setApplicationProperties(new ApplicationProperties(Map.of("iothub-connection-device-id", OTHER, "k", "v")));
            assertThat(amqp.send(telemetry, small)).isInstanceOf(Accepted.class);
            TelemetryConsumer.Received received = consumer.messages().poll(10, TimeUnit.SECONDS);
            assertThat(received).as("the next message").isNotNull();
            assertThat(received.body()).isEqualTo("{\"after\":true}");
            assertThat(received.topic()).as("the hub's own stamp, not the device's").contains("k=v")
                    .contains("iothub-connection-device-id=" + DEVICE).doesNotContain(OTHER);
            assertThat(consumer.messages().poll(1, TimeUnit.SECONDS)).as("nothing of the oversized one").isNull();
        }
    }

    @Test
    void aTwinRequestTheHubDoesNotKnowIsAnswered400() throws Exception {
        try (RawAmqp amqp = connect()) {
            assertThat(status(putToken(amqp, amqp.sender("$cbs"), amqp.receiver("$cbs"), HUB + "/devices/" + DEVICE,
                    "servicebus.windows.net:sastoken", UUID.randomUUID(), deviceToken(DEVICE)))).isEqualTo(200);
            Receiver answers = amqp.receiver("/devices/" + DEVICE + "/twin");
            Sender requests = amqp.sender("/devices/" + DEVICE + "/twin");

            Message unknown = data(new byte[0]);
            Properties properties = new Properties();
            properties.setCorrelationId("req-1");
            unknown.setProperties(properties);
            unknown.setMessageAnnotations(new MessageAnnotations(Map.of(Symbol.valueOf("operation"), "DELETE",
                    Symbol.valueOf("resource"), "/properties/reported")));
            assertThat(amqp.send(requests, unknown)).isInstanceOf(Accepted.class);
            Message answer = amqp.receive(answers);
            assertThat(answer).as("an answer").isNotNull();
            assertThat(answer.getCorrelationId()).isEqualTo("req-1");
            assertThat(answer.getMessageAnnotations().getValue().get(Symbol.valueOf("status"))).isEqualTo(400);
            assertThat(new JsonObject(new String(((Data) answer.getBody()).getValue().getArray(), StandardCharsets.UTF_8))
                    .getString("message")).contains("GET");

            Message get = data(new byte[0]);
            Properties getProperties = new Properties();
            getProperties.setCorrelationId(UUID.randomUUID());
            get.setProperties(getProperties);
            get.setMessageAnnotations(new MessageAnnotations(Map.of(Symbol.valueOf("operation"), "GET")));
            assertThat(amqp.send(requests, get)).isInstanceOf(Accepted.class);
            Message twin = amqp.receive(answers);
            assertThat(twin.getMessageAnnotations().getValue().get(Symbol.valueOf("status"))).isEqualTo(200);
            assertThat(new String(((Data) twin.getBody()).getValue().getArray(), StandardCharsets.UTF_8)).contains("desired");
        }
    }

    private static Message data(byte[] body) {
        Message message = Proton.message();
        message.setBody(new Data(new Binary(body)));
        return message;
    }
}
