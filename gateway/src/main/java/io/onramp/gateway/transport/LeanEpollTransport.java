package io.onramp.gateway.transport;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.EpollChannelOption;
import io.vertx.core.impl.transports.EpollTransport;
import io.vertx.core.impl.transports.TransportInternal;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.transport.Transport;
import java.util.concurrent.ThreadFactory;

/**
 * Vert.x's epoll transport, minus the socket options it sets on every accepted connection to the
 * value the socket already has: TCP_NODELAY on (Netty's epoll channel turns it on itself), keep-alive
 * and TCP_CORK off (a new socket's defaults). Each is a system call per connection, and a device
 * fleet reconnecting at once (a factory powering up) is a storm of new connections. Options set to
 * anything else still apply. It extends Vert.x's internal transport classes, so a Vert.x upgrade may
 * need it adjusted: {@code LeanEpollTransportTest} reads the options back from the kernel. Every server
 * it binds admits connections through the gate, and accepts them on an event loop
 * ({@link AcceptOnEventLoops}).
 */
final class LeanEpollTransport extends EpollTransport {

    private final AcceptGate gate;
    private final AcceptOnEventLoops acceptOnEventLoops = new AcceptOnEventLoops();

    private LeanEpollTransport(AcceptGate gate) {
        this.gate = gate;
    }

    /** The native transport with this change, or null where epoll is not available. */
    static Transport nativeTransport(AcceptGate gate) {
        Transport epoll = Transport.EPOLL;
        if (epoll == null || !epoll.available()) {
            return null;
        }
        return new TransportInternal(epoll.name(), true, null, new LeanEpollTransport(gate));
    }

    @Override
    public EventLoopGroup eventLoopGroup(int type, int nThreads, ThreadFactory threadFactory, int ioRatio) {
        return acceptOnEventLoops.eventLoopGroup(type, () -> super.eventLoopGroup(type, nThreads, threadFactory, ioRatio));
    }

    @Override
    public void configure(NetServerOptions options, boolean domainSocket, ServerBootstrap bootstrap) {
        super.configure(options, domainSocket, bootstrap);
        bootstrap.handler(gate);
        if (domainSocket) {
            return;
        }
        // A null value removes the option from the bootstrap.
        if (options.isTcpNoDelay()) {
            bootstrap.childOption(ChannelOption.TCP_NODELAY, null);
        }
        if (!options.isTcpKeepAlive()) {
            bootstrap.childOption(ChannelOption.SO_KEEPALIVE, null);
        }
        if (!options.isTcpCork()) {
            bootstrap.childOption(EpollChannelOption.TCP_CORK, null);
        }
    }
}
