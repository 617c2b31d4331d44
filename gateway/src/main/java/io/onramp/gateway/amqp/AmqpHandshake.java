package io.onramp.gateway.amqp;

import io.vertx.core.Vertx;
import io.vertx.core.net.SocketAddress;
import io.vertx.proton.ProtonConnection;

/**
 * What the SASL layer hands the connection through its attachments: the peer it authenticated, and the deadline
 * (armed at TCP accept) by which the AMQP open must have come, SASL included.
 */
final class AmqpHandshake {

    private final Vertx vertx;
    private final long deadlineTimer;
    private final SocketAddress remote;
    private DpsAmqpPeer peer;

    private AmqpHandshake(Vertx vertx, long deadlineTimer, SocketAddress remote) {
        this.vertx = vertx;
        this.deadlineTimer = deadlineTimer;
        this.remote = remote;
    }

    /** Arms the deadline: at it, a connection that has not opened is dropped. */
    static AmqpHandshake start(Vertx vertx, ProtonConnection connection, SocketAddress remote, Runnable drop,
            AmqpLimits limits) {
        AmqpHandshake handshake = new AmqpHandshake(vertx, vertx.setTimer(limits.handshake().toMillis(), t -> drop.run()),
                remote);
        connection.attachments().set(AmqpHandshake.class, AmqpHandshake.class, handshake);
        return handshake;
    }

    static AmqpHandshake of(ProtonConnection connection) {
        return connection.attachments().get(AmqpHandshake.class, AmqpHandshake.class);
    }

    /** The client's address, for the log lines that say who was refused. */
    String remote() {
        return String.valueOf(remote);
    }

    /** The client's IP address without its port, whose refusals are throttled; null when not known. */
    String clientAddress() {
        return remote == null ? null : remote.hostAddress();
    }

    void authenticated(DpsAmqpPeer peer) {
        this.peer = peer;
    }

    /** The peer, once SASL (or its absence) decided; the deadline no longer applies. */
    DpsAmqpPeer opened() {
        vertx.cancelTimer(deadlineTimer);
        return peer;
    }

    void closed() {
        vertx.cancelTimer(deadlineTimer);
    }
}
