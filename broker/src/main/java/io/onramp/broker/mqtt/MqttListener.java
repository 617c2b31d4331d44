package io.onramp.broker.mqtt;

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
        MqttConnection connection = new MqttConnection(new TcpTransport(socket), limits, realm, deadlines);
        MqttPipeline.add(socket.channelHandlerContext().pipeline(), "handler", limits, connection);
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
