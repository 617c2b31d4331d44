package io.onramp.broker.mqtt;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.flush.FlushConsolidationHandler;

/** The MQTT codec on a connection's Netty pipeline, the same whether the bytes come over TCP or in WebSocket frames. */
final class MqttPipeline {

    /** Client ids longer than this are refused by the decoder; Azure allows 128-character device ids plus a module id. */
    private static final int MAX_CLIENT_ID = 512;

    private MqttPipeline() {
    }

    /** Adds the codec in front of the handler named {@code before}, which gets the decoded packets. */
    static void add(ChannelPipeline pipeline, String before, MqttLimits limits, MqttConnection connection) {
        // Many small writes per read batch (acks, fan-out) leave in one flush.
        pipeline.addBefore(before, "mqttFlush", new FlushConsolidationHandler(256, false));
        pipeline.addBefore(before, "mqttEncoder", MqttEncoder.INSTANCE);
        // The CONNECT's protocol level is judged ahead of the decoder, which would wait for an MQTT 5 packet's rest.
        pipeline.addBefore(before, "mqttProtocolLevel", new ProtocolLevelGate());
        pipeline.addBefore(before, "mqttDecoder", new MqttDecoder(limits.maxPacketBytes(), MAX_CLIENT_ID));
        // Our writes go to the Netty channel, not through the Vert.x socket, whose drain handler would
        // only fire after its own write queue filled up: the writability events come straight from Netty.
        pipeline.addBefore(before, "mqttWritable", new ChannelInboundHandlerAdapter() {
            @Override
            public void channelWritabilityChanged(ChannelHandlerContext ctx) {
                if (ctx.channel().isWritable()) {
                    connection.onWritable();
                }
                ctx.fireChannelWritabilityChanged();
            }
        });
    }
}
