package io.onramp.broker.hub;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.onramp.broker.topic.MessageProperties;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TelemetryMessageTest {

    @Test
    void theStampsJoinWhatTheDeviceSentWhenAForwarderAsks() {
        MessageProperties sent = new MessageProperties(Map.of("message-id", "m-1"), Map.of("temperatureAlert", "true"));
        TelemetryMessage message = new TelemetryMessage("127.0.0.2", "pump-7", null, "638000000000000001",
                HubStamps.authMethod(io.onramp.broker.registry.AuthType.SAS), "devices/pump-7/messages/events/x", sent,
                Unpooled.EMPTY_BUFFER, Instant.parse("2026-11-28T11:20:30.456Z"));

        MessageProperties stamped = message.properties();

        assertThat(stamped.application()).containsExactly(Map.entry("temperatureAlert", "true"));
        assertThat(stamped.system()).containsEntry("message-id", "m-1")
                .containsEntry(HubStamps.DEVICE_ID, "pump-7")
                .containsEntry(HubStamps.GENERATION_ID, "638000000000000001")
                .containsEntry(HubStamps.ENQUEUED_TIME, "2026-11-28T11:20:30.456Z")
                .containsKey(HubStamps.AUTH_METHOD);
        assertThat(message.sentProperties()).isSameAs(sent);
    }
}
