package io.onramp.broker.mqtt;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;

/**
 * One instance of an MQTT 3.1.1 listener (plain or TLS, as the options say). Deploy one instance
 * per event loop: they share the port and Vert.x spreads connections over them.
 */
public final class MqttListener extends VerticleBase {

    /** How often connect and keep-alive deadlines are checked: a deadline is kept within this much. */
    static final long SWEEP_MILLIS = 500;
    /** Client ids longer than this are refused by the decoder; Azure allows 128-character device ids plus a module id. */
    private static final int MAX_CLIENT_ID = 512;

    private final NetServerOptions options;
    private final MqttLimits limits;
    private final MqttConnectHandler realm;
    private final Deadlines deadlines = new Deadlines();
    private NetServer server;
    private long sweep;

    public MqttListener(NetServerOptions options, MqttLimits limits, MqttConnectHandler realm) {
        this.options = options;
        this.limits = limits;
        this.realm = realm;
    }

    @Override
    public Future<?> start() {
        sweep = vertx.setPeriodic(SWEEP_MILLIS, id -> deadlines.sweep(System.nanoTime()));
        server = vertx.createNetServer(options).connectHandler(socket -> accept((NetSocketInternal) socket));
        return server.listen();
    }

    @Override
    public Future<?> stop() {
        vertx.cancelTimer(sweep);
        return server.close();
    }

    private void accept(NetSocketInternal socket) {
        DirectSocketWrites.apply(socket);
        ChannelPipeline pipeline = socket.channelHandlerContext().pipeline();
        // Many small writes per read batch (acks, fan-out) leave in one flush.
        pipeline.addBefore("handler", "mqttFlush", new FlushConsolidationHandler(256, false));
        pipeline.addBefore("handler", "mqttEncoder", MqttEncoder.INSTANCE);
        pipeline.addBefore("handler", "mqttDecoder", new MqttDecoder(limits.maxPacketBytes(), MAX_CLIENT_ID));
        MqttConnection connection = new MqttConnection(socket, limits, realm, deadlines);
        // Our writes go to the Netty channel, not through the Vert.x socket, whose drain handler would
        // only fire after its own write queue filled up: the writability events come straight from Netty.
        pipeline.addBefore("handler", "mqttWritable", new ChannelInboundHandlerAdapter() {
            @Override
            public void channelWritabilityChanged(ChannelHandlerContext ctx) {
                if (ctx.channel().isWritable()) {
                    connection.onWritable();
                }
                ctx.fireChannelWritabilityChanged();
            }
        });
        socket.messageHandler(connection::handle);
        socket.closeHandler(v -> connection.onClosed());
        socket.exceptionHandler(e -> socket.close());
    }

    /** Re-reads the certificate and key files the options name: for new connections; open ones keep theirs. */
    public Future<Boolean> reloadTls() {
        return server.updateSSLOptions(options.getSslOptions(), true);
    }

    public int actualPort() {
        return server.actualPort();
    }
}
