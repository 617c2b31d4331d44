package io.onramp.bench.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class PublishTemplateTest {

    private static final String TOPIC = "devices/mqtt-bench-7/messages/events/";

    @Test
    void qos1PacketsDecodeWithTheirOwnPacketIds() {
        byte[] payload = new byte[100];
        Arrays.fill(payload, (byte) 'x');
        PublishTemplate template = new PublishTemplate(TOPIC, MqttQoS.AT_LEAST_ONCE, payload);
        MqttPublishMessage first = decode(template.encode(UnpooledByteBufAllocator.DEFAULT, 1));
        MqttPublishMessage last = decode(template.encode(UnpooledByteBufAllocator.DEFAULT, 65535));
        assertThat(first.variableHeader().topicName()).isEqualTo(TOPIC);
        assertThat(first.fixedHeader().qosLevel()).isEqualTo(MqttQoS.AT_LEAST_ONCE);
        assertThat(first.variableHeader().packetId()).isEqualTo(1);
        assertThat(last.variableHeader().packetId()).isEqualTo(65535);
        assertThat(ByteBufUtil.getBytes(first.payload())).isEqualTo(payload);
        first.release();
        last.release();
    }

    @Test
    void qos0PacketsHaveNoPacketId() {
        PublishTemplate template = new PublishTemplate(TOPIC, MqttQoS.AT_MOST_ONCE, "hi".getBytes(StandardCharsets.UTF_8));
        MqttPublishMessage message = decode(template.encode(UnpooledByteBufAllocator.DEFAULT, 0));
        assertThat(message.fixedHeader().qosLevel()).isEqualTo(MqttQoS.AT_MOST_ONCE);
        assertThat(message.payload().toString(StandardCharsets.UTF_8)).isEqualTo("hi");
        assertThat(template.size()).isEqualTo(2 + 2 + TOPIC.length() + 2);
        message.release();
    }

    @Test
    void remainingLengthUsesAsFewBytesAsMqttAllows() {
        assertThat(PublishTemplate.remainingLength(127)).containsExactly(0x7F);
        assertThat(PublishTemplate.remainingLength(128)).containsExactly(0x80, 0x01);
        assertThat(PublishTemplate.remainingLength(16_383)).containsExactly(0xFF, 0x7F);
        assertThat(PublishTemplate.remainingLength(16_384)).containsExactly(0x80, 0x80, 0x01);
        assertThat(PublishTemplate.remainingLength(268_435_455)).containsExactly(0xFF, 0xFF, 0xFF, 0x7F);
        assertThatThrownBy(() -> new PublishTemplate(TOPIC, MqttQoS.EXACTLY_ONCE, new byte[1]))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void largePayloadsGetALongerLengthField() {
        PublishTemplate template = new PublishTemplate(TOPIC, MqttQoS.AT_LEAST_ONCE, new byte[20_000]);
        MqttPublishMessage message = decode(template.encode(UnpooledByteBufAllocator.DEFAULT, 9));
        assertThat(message.payload().readableBytes()).isEqualTo(20_000);
        assertThat(message.variableHeader().packetId()).isEqualTo(9);
        message.release();
    }

    private static MqttPublishMessage decode(ByteBuf packet) {
        EmbeddedChannel channel = new EmbeddedChannel(new MqttDecoder(1024 * 1024));
        channel.writeInbound(packet);
        MqttPublishMessage message = channel.readInbound();
        assertThat(message.decoderResult().isSuccess()).as("%s", message.decoderResult()).isTrue();
        channel.finishAndReleaseAll();
        return message;
    }
}
