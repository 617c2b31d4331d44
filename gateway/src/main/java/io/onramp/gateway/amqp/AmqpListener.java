package io.onramp.gateway.amqp;

import io.onramp.gateway.provisioning.ProvisioningService;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.proton.ProtonServer;
import io.vertx.proton.ProtonServerOptions;

/**
 * One instance of the AMQP 1.0 listener (TLS, {@code listen.amqps}), serving the DPS device API (dps-device-protocol.md
 * 8); the HTTPS listener serves the same over WebSockets ({@link AmqpWebSockets}). Deploy one instance per event
 * loop: they share the port and Vert.x spreads connections over them. Per connection: {@link DpsAmqpSasl} (who is
 * it), {@link DpsAmqpConnection} (which links may it have), {@link DpsAmqpLink} (requests to the core, answers
 * back), {@link DpsAmqpMessages} (the message format).
 */
public final class AmqpListener extends VerticleBase {

    private final ProtonServerOptions options;
    private final AmqpLimits limits;
    private final ProvisioningService provisioning;
    private ProtonServer server;

    public AmqpListener(ProtonServerOptions options, ProvisioningService provisioning) {
        this(options, AmqpLimits.DEFAULTS, provisioning);
    }

    AmqpListener(ProtonServerOptions options, AmqpLimits limits, ProvisioningService provisioning) {
        this.options = options;
        this.limits = limits;
        this.provisioning = provisioning;
    }

    /**
     * The server (not yet listening) that serves the DPS device API on each socket it is given: the one of this
     * listener, and the one {@link AmqpWebSockets} hands the WebSockets of the HTTPS listener.
     */
    static ProtonServer server(Vertx vertx, ProtonServerOptions options, AmqpLimits limits,
            ProvisioningService provisioning) {
        // Heartbeat: proton advertises twice it as the idle timeout, and closes a connection silent for longer.
        options.setMaxFrameSize(limits.maxFrameBytes()).setHeartbeat((int) limits.idleTimeout().toMillis() / 2);
        return ProtonServer.create(vertx, options)
                .saslAuthenticatorFactory(() -> new DpsAmqpSasl(vertx, provisioning, limits))
                .connectHandler(connection -> new DpsAmqpConnection(vertx, provisioning, limits, connection).start());
    }

    @Override
    public Future<?> start() {
        server = server(vertx, options, limits, provisioning);
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
