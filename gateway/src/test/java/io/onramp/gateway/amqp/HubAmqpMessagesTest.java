package io.onramp.gateway.amqp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import io.onramp.broker.topic.MessageProperties;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.qpid.proton.Proton;
import org.apache.qpid.proton.amqp.Binary;
import org.apache.qpid.proton.amqp.Symbol;
import org.apache.qpid.proton.amqp.messaging.AmqpSequence;
import org.apache.qpid.proton.amqp.messaging.AmqpValue;
import org.apache.qpid.proton.amqp.messaging.ApplicationProperties;
import org.apache.qpid.proton.amqp.messaging.Data;
import org.apache.qpid.proton.amqp.messaging.MessageAnnotations;
import org.apache.qpid.proton.amqp.messaging.Properties;
import org.apache.qpid.proton.message.Message;
import org.junit.jupiter.api.Test;

class HubAmqpMessagesTest {

    @Test
    void telemetryPropertiesAreTakenUnderTheirHubNames() {
        Message message = Proton.message();
        Properties properties = new Properties();
        UUID id = UUID.fromString("20822498-ab66-49fb-8a4d-8755e5cebc86");
        properties.setMessageId(id);
        properties.setCorrelationId("corr-1");
        properties.setUserId(new Binary("operator".getBytes(StandardCharsets.UTF_8)));
        properties.setContentType(Symbol.valueOf("application/json"));
        properties.setContentEncoding(Symbol.valueOf("utf-8"));
        properties.setAbsoluteExpiryTime(Date.from(Instant.parse("2026-11-30T09:00:00Z")));
        message.setProperties(properties);
        Map<String, Object> application = new LinkedHashMap<>();
        application.put("iothub-creation-time-utc", "2026-11-30T08:00:00Z");
        application.put("test-seq", 7);
        message.setApplicationProperties(new ApplicationProperties(application));
        message.setMessageAnnotations(new MessageAnnotations(Map.of(Symbol.valueOf("iothub-interface-id"), "dtmi:x;1",
                Symbol.valueOf("x-opt-other"), "ignored")));
        message.setBody(new Data(new Binary("{\"seq\":0}".getBytes(StandardCharsets.UTF_8))));

        HubAmqpMessages.Telemetry telemetry = HubAmqpMessages.telemetry(message);

        MessageProperties read = telemetry.properties();
        assertThat(read.system()).containsOnly(entry("message-id", id.toString()), entry("correlation-id", "corr-1"),
                entry("user-id", "operator"), entry("content-type", "application/json"), entry("content-encoding", "utf-8"),
                entry("absolute-expiry-time", "2026-11-30T09:00:00.000Z"),
                entry("iothub-creation-time-utc", "2026-11-30T08:00:00Z"), entry("iothub-interface-id", "dtmi:x;1"));
        assertThat(read.application()).containsExactly(entry("test-seq", "7"));
        assertThat(new String(telemetry.body(), StandardCharsets.UTF_8)).isEqualTo("{\"seq\":0}");
    }

    @Test
    void aBodyMayBeAStringOrBinaryValueButNotASequence() {
        Message text = Proton.message();
        text.setBody(new AmqpValue("hello"));
        assertThat(HubAmqpMessages.body(text)).isEqualTo("hello".getBytes(StandardCharsets.UTF_8));
        Message none = Proton.message();
        assertThat(HubAmqpMessages.body(none)).isEmpty();
        Message sequence = Proton.message();
        sequence.setBody(new AmqpSequence(List.of(1, 2)));
        assertThatThrownBy(() -> HubAmqpMessages.body(sequence)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aMethodRequestCarriesAUuidTheAnswerLeadsBackFrom() {
        Message request = HubAmqpMessages.methodRequest("reboot", "1f", "{\"delay\":5}");

        Object correlationId = request.getCorrelationId();
        assertThat(correlationId).as("Java does UUID.fromString on it").isInstanceOf(UUID.class);
        assertThat(request.getApplicationProperties().getValue()).containsEntry("IoThub-methodname", "reboot");
        assertThat(((Data) request.getBody()).getValue().toString()).isNotNull();
        assertThat(HubAmqpMessages.methodRequestId(correlationId)).isEqualTo("1f");
        assertThat(HubAmqpMessages.methodRequestId(correlationId.toString())).as("Node's string form").isEqualTo("1f");
        assertThat(HubAmqpMessages.methodRequestId(UUID.randomUUID())).as("not one of ours").isNull();
        assertThat(HubAmqpMessages.methodRequestId("not-a-uuid")).isNull();
        assertThat(HubAmqpMessages.methodRequestId(null)).isNull();
    }

    @Test
    void aTwinAnswerKeepsTheCorrelationIdsTypeWithAnIntStatusAndALongVersion() {
        UUID id = UUID.randomUUID();

        Message answer = HubAmqpMessages.twinResponse(id, 204, 3L, "");

        assertThat(answer.getCorrelationId()).isEqualTo(id);
        assertThat(answer.getMessageAnnotations().getValue()).containsEntry(Symbol.valueOf("status"), 204)
                .containsEntry(Symbol.valueOf("version"), 3L);
        assertThat(answer.getBody()).as("Java casts the body to Data").isInstanceOf(Data.class);
        Message desired = HubAmqpMessages.desiredPatch("{\"interval\":10,\"$version\":2}", 2);
        assertThat(desired.getProperties()).as("no correlation ID: how the SDKs tell a push from an answer").isNull();
        assertThat(desired.getMessageAnnotations().getValue()).containsEntry(Symbol.valueOf("version"), 2L);
    }

    @Test
    void aCloudToDeviceMessageHasItsPropertiesInTheirAmqpPlaces() {
        Map<String, String> system = new LinkedHashMap<>();
        system.put("message-id", "c2d-1");
        system.put("correlation-id", "corr-1");
        system.put("content-type", "text/plain");
        system.put("absolute-expiry-time", "2026-11-30T09:00:00Z");
        system.put("iothub-ack", "full");
        UUID lock = UUID.randomUUID();

        Message message = HubAmqpMessages.cloudToDevice("press-7", new MessageProperties(system, Map.of("valve", "open")),
                "open".getBytes(StandardCharsets.UTF_8), 42, lock);

        assertThat(message.getMessageId()).isEqualTo("c2d-1");
        assertThat(message.getCorrelationId()).isEqualTo("corr-1");
        assertThat(message.getProperties().getTo()).isEqualTo("/devices/press-7/messages/devicebound");
        assertThat(message.getContentType()).isEqualTo("text/plain");
        assertThat(message.getProperties().getAbsoluteExpiryTime()).isEqualTo(Date.from(Instant.parse("2026-11-30T09:00:00Z")));
        assertThat(message.getApplicationProperties().getValue()).containsEntry("valve", "open").containsEntry("iothub-ack", "full");
        assertThat(message.getMessageAnnotations().getValue()).containsEntry(Symbol.valueOf("x-opt-sequence-number"), 42L)
                .containsEntry(Symbol.valueOf("x-opt-lock-token"), lock);
    }
}
