package io.onramp.gateway.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.channel.ChannelConfig;
import io.netty.channel.ChannelOption;
import io.netty.channel.epoll.EpollChannelOption;
import io.vertx.core.Vertx;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.transport.Transport;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The socket options of accepted connections, read back from the kernel, are what they were with Vert.x's own transport. */
class LeanEpollTransportTest {

    private static final String HOST = "127.0.0.150";

    private Vertx vertx;

    @BeforeEach
    void start() {
        Transport transport = LeanEpollTransport.nativeTransport(new AcceptGate(new ConnectionLimits(100, 100, "a test")));
        assumeTrue(transport != null, "epoll is not available here");
        vertx = Vertx.builder().withTransport(transport).build();
    }

    @AfterEach
    void stop() throws Exception {
        if (vertx != null) {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void acceptedSocketsKeepTheDefaultsWithoutSettingThem() throws Exception {
        assertThat(vertx.isNativeTransportEnabled()).isTrue();
        assertThat(acceptOne(new NetServerOptions())).isEqualTo(new SocketOptions(true, false, false));
    }

    @Test
    void optionsAskedForStillApply() throws Exception {
        assertThat(acceptOne(new NetServerOptions().setTcpNoDelay(false).setTcpKeepAlive(true).setTcpCork(true)))
                .isEqualTo(new SocketOptions(false, true, true));
    }

    /** What the kernel says of an accepted connection, asked on its event loop while it is open. */
    private record SocketOptions(boolean noDelay, boolean keepAlive, boolean cork) {}

    private SocketOptions acceptOne(NetServerOptions options) throws Exception {
        CompletableFuture<SocketOptions> read = new CompletableFuture<>();
        NetServer server = vertx.createNetServer(options.setHost(HOST).setPort(0)).connectHandler(socket -> {
            ChannelConfig config = ((NetSocketInternal) socket).channelHandlerContext().channel().config();
            read.complete(new SocketOptions(config.getOption(ChannelOption.TCP_NODELAY),
                    config.getOption(ChannelOption.SO_KEEPALIVE), config.getOption(EpollChannelOption.TCP_CORK)));
        });
        server.listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        try (Socket client = new Socket(HOST, server.actualPort())) {
            return read.get(10, TimeUnit.SECONDS);
        } finally {
            server.close();
        }
    }
}
