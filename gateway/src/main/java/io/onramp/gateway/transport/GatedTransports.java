package io.onramp.gateway.transport;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.EventLoopGroup;
import io.vertx.core.impl.transports.NioTransport;
import io.vertx.core.impl.transports.TransportInternal;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.transport.Transport;
import java.util.concurrent.ThreadFactory;

/** The transport a gateway's Vert.x runs on: epoll where it loads (lean, see {@link LeanEpollTransport}), else NIO; both gated, both accepting on the event loops ({@link AcceptOnEventLoops}). */
public final class GatedTransports {

    private GatedTransports() {
    }

    public static Transport transport(AcceptGate gate) {
        Transport epoll = LeanEpollTransport.nativeTransport(gate);
        return epoll != null ? epoll : nio(gate);
    }

    /** The NIO transport, gated: where epoll does not load (and for tests). */
    static Transport nio(AcceptGate gate) {
        return new TransportInternal("nio", true, null, new GatedNio(gate));
    }

    /** Vert.x's NIO transport with the gate on every server it binds. */
    private static final class GatedNio extends NioTransport {

        private final AcceptGate gate;
        private final AcceptOnEventLoops acceptOnEventLoops = new AcceptOnEventLoops();

        GatedNio(AcceptGate gate) {
            this.gate = gate;
        }

        @Override
        public EventLoopGroup eventLoopGroup(int type, int nThreads, ThreadFactory threadFactory, int ioRatio) {
            return acceptOnEventLoops.eventLoopGroup(type, () -> super.eventLoopGroup(type, nThreads, threadFactory, ioRatio));
        }

        @Override
        public void configure(NetServerOptions options, boolean domainSocket, ServerBootstrap bootstrap) {
            super.configure(options, domainSocket, bootstrap);
            bootstrap.handler(gate);
        }
    }
}
