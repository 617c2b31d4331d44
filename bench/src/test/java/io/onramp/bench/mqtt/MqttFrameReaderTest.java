package io.onramp.bench.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttQoS;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MqttFrameReaderTest {

    private final List<String> seen = new ArrayList<>();
    private final MqttFrameReader.Packets recorder = new MqttFrameReader.Packets() {
        @Override
        public void connAck(int returnCode) {
            seen.add("connack " + returnCode);
        }

        @Override
        public void publish(int qos, int packetId, int payloadBytes) {
            seen.add("publish qos" + qos + " id " + packetId + " " + payloadBytes + " B");
        }

        @Override
        public void pubAck(int packetId) {
            seen.add("puback " + packetId);
        }

        @Override
        public void subAck(int grantedQos) {
            seen.add("suback " + grantedQos);
        }
    };

    @Test
    void reportsWhatTheBenchNeedsFromNettysOwnEncoding() {
        ByteBuf stream = Unpooled.buffer();
        for (MqttMessage message : List.of(
                MqttMessageBuilders.connAck().returnCode(MqttConnectReturnCode.CONNECTION_ACCEPTED).build(),
                MqttMessageBuilders.subAck().addGrantedQos(MqttQoS.AT_LEAST_ONCE).packetId(1).build(),
                MqttMessageBuilders.publish().topicName("devices/d/messages/events/").qos(MqttQoS.AT_MOST_ONCE)
                        .payload(Unpooled.wrappedBuffer(new byte[100])).build(),
                MqttMessageBuilders.publish().topicName("devices/d/messages/events/a=b").qos(MqttQoS.AT_LEAST_ONCE)
                        .messageId(4242).payload(Unpooled.wrappedBuffer(new byte[300])).build(),
                MqttMessageBuilders.pubAck().packetId(77).build())) {
            stream.writeBytes(encode(message));
        }
        // Delivered in awkward pieces, as TCP may cut it.
        EmbeddedChannel channel = new EmbeddedChannel(new MqttFrameReader(recorder));
        while (stream.isReadable()) {
            channel.writeInbound(stream.readRetainedSlice(Math.min(7, stream.readableBytes())));
        }
        assertThat(seen).containsExactly("connack 0", "suback 1", "publish qos0 id 0 100 B", "publish qos1 id 4242 300 B", "puback 77");
        channel.finishAndReleaseAll();
    }

    @Test
    void refusalsAndFailedSubscriptionsAreReported() {
        EmbeddedChannel channel = new EmbeddedChannel(new MqttFrameReader(recorder));
        channel.writeInbound(encode(MqttMessageBuilders.connAck()
                .returnCode(MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USER_NAME_OR_PASSWORD).build()));
        channel.writeInbound(encode(MqttMessageBuilders.subAck().addGrantedQos(MqttQoS.FAILURE).packetId(1).build()));
        assertThat(seen).containsExactly("connack 4", "suback 128");
        channel.finishAndReleaseAll();
    }

    private static ByteBuf encode(MqttMessage message) {
        EmbeddedChannel encoder = new EmbeddedChannel(MqttEncoder.INSTANCE);
        encoder.writeOutbound(message);
        ByteBuf bytes = Unpooled.buffer();
        for (ByteBuf part; (part = encoder.readOutbound()) != null; part.release()) {
            bytes.writeBytes(part);
        }
        encoder.finishAndReleaseAll();
        return bytes;
    }
}
