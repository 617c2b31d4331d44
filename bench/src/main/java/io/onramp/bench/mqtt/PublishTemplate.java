package io.onramp.bench.mqtt;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.mqtt.MqttQoS;
import java.nio.charset.StandardCharsets;

/**
 * One publisher's PUBLISH packet, encoded once: each message is a copy of these bytes with its
 * packet ID patched in (QoS 1), so sending costs the load client no encoder and no topic encoding.
 */
final class PublishTemplate {

    private final byte[] packet;
    private final int packetIdOffset;

    PublishTemplate(String topic, MqttQoS qos, byte[] payload) {
        if (qos != MqttQoS.AT_MOST_ONCE && qos != MqttQoS.AT_LEAST_ONCE) {
            throw new IllegalArgumentException("QoS 0 or 1 only, not " + qos);
        }
        byte[] topicBytes = topic.getBytes(StandardCharsets.UTF_8);
        int idBytes = qos == MqttQoS.AT_LEAST_ONCE ? 2 : 0;
        int remaining = 2 + topicBytes.length + idBytes + payload.length;
        byte[] length = remainingLength(remaining);
        packet = new byte[1 + length.length + remaining];
        int at = 0;
        packet[at++] = (byte) (0x30 | qos.value() << 1);
        System.arraycopy(length, 0, packet, at, length.length);
        at += length.length;
        packet[at++] = (byte) (topicBytes.length >> 8);
        packet[at++] = (byte) topicBytes.length;
        System.arraycopy(topicBytes, 0, packet, at, topicBytes.length);
        at += topicBytes.length;
        packetIdOffset = idBytes == 0 ? -1 : at;
        at += idBytes;
        System.arraycopy(payload, 0, packet, at, payload.length);
    }

    /** The packet with {@code packetId} (1..65535; ignored at QoS 0), in a buffer the channel releases once written. */
    ByteBuf encode(ByteBufAllocator alloc, int packetId) {
        ByteBuf buffer = alloc.directBuffer(packet.length).writeBytes(packet);
        if (packetIdOffset >= 0) {
            buffer.setShort(packetIdOffset, packetId);
        }
        return buffer;
    }

    int size() {
        return packet.length;
    }

    /** MQTT's variable-length integer: 7 bits a byte, least significant first. */
    static byte[] remainingLength(int value) {
        if (value < 0 || value > 268_435_455) {
            throw new IllegalArgumentException("remaining length out of range: " + value);
        }
        byte[] bytes = new byte[value < 128 ? 1 : value < 16_384 ? 2 : value < 2_097_152 ? 3 : 4];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (value & 0x7F | (i < bytes.length - 1 ? 0x80 : 0));
            value >>>= 7;
        }
        return bytes;
    }
}
