package io.onramp.broker.mqtt;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the protocol name and level of the first CONNECT before Netty's decoder does, and answers any level but
 * 4 (MQTT 3.1.1, the only one served) with a 3.1.1 CONNACK 0x01 and a close (MQTT 3.1.1 3.1.2.2). Netty would
 * read a level-5 CONNECT as MQTT 5: one without MQTT 5's properties waited for bytes that never came, until the
 * connect timeout, and a whole one got an MQTT 5 CONNACK with a code MQTT 5 does not have. Once the level is 4,
 * or the bytes are no CONNECT of MQTT or MQIsdp (the decoder and {@link MqttConnection} judge those), it steps
 * out of the pipeline and passes on what it read.
 */
final class ProtocolLevelGate extends ByteToMessageDecoder {

    private static final Logger LOG = LoggerFactory.getLogger(ProtocolLevelGate.class);
    private static final int CONNECT = 1;
    private static final int PROTOCOL_3_1_1 = 4;
    private static final byte[] CONNACK_UNACCEPTABLE_PROTOCOL_VERSION = {0x20, 2, 0, 1};
    private static final int LONGEST_NAME = "MQIsdp".length();
    /** What {@link #level} answers when it needs more bytes, or when the bytes are not for it to judge. */
    private static final int WAIT = -1;
    private static final int PASS = -2;

    private boolean refused;

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (refused) {
            in.skipBytes(in.readableBytes());
            return;
        }
        int level = level(in);
        if (level == WAIT) {
            return;
        }
        if (level == PASS || level == PROTOCOL_3_1_1) {
            ctx.pipeline().remove(this);
            return;
        }
        refused = true;
        in.skipBytes(in.readableBytes());
        LOG.info("CONNECT from {} refused (CONNECTION_REFUSED_UNACCEPTABLE_PROTOCOL_VERSION): protocol level {}",
                ctx.channel().remoteAddress(), level);
        ctx.writeAndFlush(Unpooled.wrappedBuffer(CONNACK_UNACCEPTABLE_PROTOCOL_VERSION))
                .addListener(ChannelFutureListener.CLOSE);
    }

    /** The CONNECT's protocol level, or WAIT for more bytes, or PASS when this is not one to judge here. */
    private static int level(ByteBuf in) {
        int at = in.readerIndex();
        if (in.readableBytes() < 1) {
            return WAIT;
        }
        if ((in.getUnsignedByte(at) >> 4) != CONNECT) {
            return PASS;
        }
        at++;
        for (int i = 0; ; i++) { // the remaining length: 1 to 4 bytes, the high bit says another follows
            if (at >= in.writerIndex()) {
                return WAIT;
            }
            if ((in.getUnsignedByte(at++) & 0x80) == 0) {
                break;
            }
            if (i == 3) {
                return PASS;
            }
        }
        if (in.writerIndex() - at < 2) {
            return WAIT;
        }
        int nameLength = in.getUnsignedShort(at);
        at += 2;
        if (nameLength > LONGEST_NAME) {
            return PASS;
        }
        if (in.writerIndex() - at < nameLength + 1) {
            return WAIT;
        }
        String name = in.toString(at, nameLength, StandardCharsets.UTF_8);
        return name.equals("MQTT") || name.equals("MQIsdp") ? in.getUnsignedByte(at + nameLength) : PASS;
    }
}
