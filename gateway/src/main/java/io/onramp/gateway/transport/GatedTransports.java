package io.onramp.gateway.transport;

import io.netty.bootstrap.ServerBootstrap;
import io.vertx.core.impl.transports.NioTransport;
import io.vertx.core.impl.transports.TransportInternal;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.transport.Transport;

/** The transport a gateway's Vert.x runs on: epoll where it loads (lean, see {@link LeanEpollTransport}), else NIO; both gated. */
public final class GatedTransports {

    private GatedTransports() {
    }

    public static Transport transport(AcceptGate gate) {
        Transport epoll = LeanEpollTransport.nativeTransport(gate);
        return epoll != null ? epoll : new TransportInternal("nio", true, null, new GatedNio(gate));
    }

    /** Vert.x's NIO transport with the gate on every server it binds. */
    private static final class GatedNio extends NioTransport {

        private final AcceptGate gate;

        GatedNio(AcceptGate gate) {
            this.gate = gate;
        }

        @Override
        public void configure(NetServerOptions options, boolean domainSocket, ServerBootstrap bootstrap) {
            super.configure(options, domainSocket, bootstrap);
            bootstrap.handler(gate);
        }
    }
}
