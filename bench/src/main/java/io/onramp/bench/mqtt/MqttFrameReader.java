package io.onramp.bench.mqtt;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.DecoderException;
import java.util.List;

/**
 * The load client's inbound side: splits the byte stream into MQTT packets and reports only what
 * the bench needs (CONNACK code, PUBLISH QoS, packet ID and payload size, PUBACK and SUBACK), without building
 * message objects or decoding topics, so that reading costs the client as little as writing.
 */
final class MqttFrameReader extends ByteToMessageDecoder {

    /** What a packet means to the bench. Called on the connection's event loop. */
    interface Packets {
        void connAck(int returnCode);

        void publish(int qos, int packetId, int payloadBytes);

        void pubAck(int packetId);

        void subAck(int grantedQos);
    }

    private static final int CONNACK = 2;
    private static final int PUBLISH = 3;
    private static final int PUBACK = 4;
    private static final int SUBACK = 9;

    private final Packets packets;

    MqttFrameReader(Packets packets) {
        this.packets = packets;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (true) {
            int start = in.readerIndex();
            int readable = in.readableBytes();
            int length = 0;
            int at = 1;
            int digit;
            do {
                if (at >= readable) {
                    return;
                }
                if (at > 4) {
                    throw new DecoderException("malformed remaining length");
                }
                digit = in.getUnsignedByte(start + at);
                length |= (digit & 0x7F) << 7 * (at - 1);
                at++;
            } while ((digit & 0x80) != 0);
            if (readable < at + length) {
                return;
            }
            dispatch(in.getUnsignedByte(start), in, start + at, length);
            in.readerIndex(start + at + length);
        }
    }

    private void dispatch(int header, ByteBuf in, int body, int length) {
        switch (header >> 4) {
            case CONNACK -> packets.connAck(in.getUnsignedByte(body + 1));
            case PUBLISH -> {
                int qos = header >> 1 & 3;
                int topicBytes = in.getUnsignedShort(body);
                int packetId = qos == 0 ? 0 : in.getUnsignedShort(body + 2 + topicBytes);
                packets.publish(qos, packetId, length - 2 - topicBytes - (qos == 0 ? 0 : 2));
            }
            case PUBACK -> packets.pubAck(in.getUnsignedShort(body));
            case SUBACK -> packets.subAck(length > 2 ? in.getUnsignedByte(body + 2) : 0x80);
            default -> { } // PINGRESP and whatever else the bench never asks for
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
        super.channelReadComplete(ctx);
        // Acknowledgements and publishes written while reading go out in one flush.
        ctx.channel().flush();
    }
}
