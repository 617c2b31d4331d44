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
    private final SocketAddress local;
    private final String serverName;
    private DpsAmqpPeer peer;

    private AmqpHandshake(Vertx vertx, long deadlineTimer, SocketAddress remote, SocketAddress local, String serverName) {
        this.vertx = vertx;
        this.deadlineTimer = deadlineTimer;
        this.remote = remote;
        this.local = local;
        this.serverName = serverName;
    }

    /**
     * Arms the deadline: at it, a connection that has not opened is dropped.
     *
     * @param local the address the client connected to, and {@code serverName} the host name it asked for in TLS
     *     (SNI, may be null): which hub an X.509 device is for, when its AMQP open does not say
     */
    static AmqpHandshake start(Vertx vertx, ProtonConnection connection, SocketAddress remote, SocketAddress local,
            String serverName, Runnable drop, AmqpLimits limits) {
        AmqpHandshake handshake = new AmqpHandshake(vertx, vertx.setTimer(limits.handshake().toMillis(), t -> drop.run()),
                remote, local, serverName);
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

    /** The names the client addressed this connection by, most telling first: the AMQP open's host name, SNI, the address. */
    java.util.List<String> addressedAs(String openHostName) {
        java.util.List<String> names = new java.util.ArrayList<>(3);
        for (String name : new String[] {openHostName, serverName, local == null ? null : local.hostAddress()}) {
            if (name != null && !name.isEmpty()) {
                names.add(name);
            }
        }
        return names;
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
