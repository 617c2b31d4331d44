package io.onramp.gateway.amqp;

import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.proton.ProtonServer;
import io.vertx.proton.ProtonServerOptions;

/**
 * One instance of the AMQP 1.0 listener (TLS, {@code listen.amqps}), serving the DPS device API (dps-device-protocol.md
 * 8) and IoT hub devices (hub-device-protocol.md 4); the HTTPS listener serves the same over WebSockets
 * ({@link AmqpWebSockets}). Deploy one instance per event loop: they share the port and Vert.x spreads connections
 * over them. Per connection: {@link DpsAmqpSasl} (who is it), {@link AmqpConnection} (which links may it have), then
 * {@link DpsAmqpLink} (requests to the provisioning core) or {@link HubAmqpConnection} (devices at their hub).
 */
public final class AmqpListener extends VerticleBase {

    private final ProtonServerOptions options;
    private final AmqpLimits limits;
    private final AmqpRealms realms;
    private ProtonServer server;

    public AmqpListener(ProtonServerOptions options, AmqpRealms realms) {
        this(options, AmqpLimits.DEFAULTS, realms);
    }

    AmqpListener(ProtonServerOptions options, AmqpLimits limits, AmqpRealms realms) {
        this.options = options;
        this.limits = limits;
        this.realms = realms;
    }

    /**
     * The server (not yet listening) that serves the DPS device API on each socket it is given: the one of this
     * listener, and the one {@link AmqpWebSockets} hands the WebSockets of the HTTPS listener.
     */
    static ProtonServer server(Vertx vertx, ProtonServerOptions options, AmqpLimits limits, AmqpRealms realms) {
        // Heartbeat: proton advertises twice it as the idle timeout, and closes a connection silent for longer.
        options.setMaxFrameSize(limits.maxFrameBytes()).setHeartbeat((int) limits.idleTimeout().toMillis() / 2);
        return ProtonServer.create(vertx, options)
                .saslAuthenticatorFactory(() -> new DpsAmqpSasl(vertx, realms.provisioning(), limits))
                .connectHandler(connection -> new AmqpConnection(vertx, realms.provisioning(), realms.hubs(), limits,
                        connection).start());
    }

    @Override
    public Future<?> start() {
        server = server(vertx, options, limits, realms);
        Promise<ProtonServer> listening = Promise.promise();
        server.listen(outcome -> complete(listening, outcome));
        return listening.future();
    }

    @Override
    public Future<?> stop() {
        Promise<Void> closed = Promise.promise();
        server.close(outcome -> complete(closed, outcome));
        return closed.future();
    }

    /** Re-reads the certificate and key files the options name: for new connections; open ones keep theirs. */
    public Future<Boolean> reloadTls() {
        Promise<ProtonServer> updated = Promise.promise();
        server.updateSSLOptions(options.getSslOptions(), true, outcome -> complete(updated, outcome));
        return updated.future().map(true);
    }

    private static <T> void complete(Promise<T> promise, AsyncResult<T> outcome) {
        if (outcome.succeeded()) {
            promise.complete(outcome.result());
        } else {
            promise.fail(outcome.cause());
        }
    }

    public int actualPort() {
        return server.actualPort();
    }
}
