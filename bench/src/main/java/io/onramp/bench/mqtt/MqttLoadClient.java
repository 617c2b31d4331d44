package io.onramp.bench.mqtt;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.OpenSslSessionContext;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A lean MQTT 3.1.1 client for load: few Netty event loops (threads {@code mqtt-client-N}) drive
 * every connection, CONNECT and SUBSCRIBE go through Netty's encoder, publishes are pre-encoded
 * and inbound packets are only counted ({@link MqttFrameReader}). TLS 1.2 with the same engine as
 * the brokers (OpenSSL), trusting only the given CA and checking the host name. It shares the
 * cores with the broker it measures, so it must cost far less.
 */
final class MqttLoadClient implements AutoCloseable {

    private final EventLoopGroup group;
    private final Class<? extends SocketChannel> channelType;
    private final SslContext tls;

    MqttLoadClient(int threads, File caFile) throws Exception {
        boolean epoll = Epoll.isAvailable();
        group = new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory("mqtt-client", true),
                epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        channelType = epoll ? EpollSocketChannel.class : NioSocketChannel.class;
        tls = SslContextBuilder.forClient().sslProvider(OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK)
                .trustManager(caFile).protocols("TLSv1.2").endpointIdentificationAlgorithm("HTTPS").build();
        // Each connection is a device booting (or reconnecting to a restarted broker): a full handshake,
        // never a session resumed from an earlier connection, with either broker. (Only the OpenSSL engine,
        // which loads wherever netty-tcnative does, can switch its client cache off.)
        if (tls.sessionContext() instanceof OpenSslSessionContext sessions) {
            sessions.setSessionCacheEnabled(false);
        }
    }

    /** Connects and sends CONNECT (clean session); completes with the connection once CONNACK 0 arrived. */
    CompletableFuture<LoadConnection> connect(String host, int port, boolean useTls, String clientId, String user,
            String password, int keepAliveSeconds) {
        CompletableFuture<LoadConnection> result = new CompletableFuture<>();
        Bootstrap bootstrap = new Bootstrap().group(group).channel(channelType)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 20_000)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        LoadConnection connection = new LoadConnection(channel);
                        connection.connected().whenComplete((c, e) -> {
                            if (e != null) {
                                result.completeExceptionally(e);
                            } else {
                                result.complete(c);
                            }
                        });
                        if (useTls) {
                            channel.pipeline().addLast(tls.newHandler(channel.alloc(), host, port));
                        }
                        channel.pipeline().addLast(new MqttFrameReader(connection), MqttEncoder.INSTANCE,
                                new Events(connection));
                    }
                });
        MqttMessageBuilders.ConnectBuilder connect = MqttMessageBuilders.connect().clientId(clientId)
                .protocolVersion(MqttVersion.MQTT_3_1_1).cleanSession(true).keepAlive(keepAliveSeconds);
        if (user != null) {
            connect.hasUser(true).username(user);
        }
        if (password != null) {
            connect.hasPassword(true).password(password.getBytes(StandardCharsets.UTF_8));
        }
        bootstrap.connect(host, port).addListener((io.netty.channel.ChannelFutureListener) f -> {
            if (f.isSuccess()) {
                f.channel().writeAndFlush(connect.build());
            } else {
                result.completeExceptionally(f.cause());
            }
        });
        return result;
    }

    /** Writability and failures: the only channel events the bench acts on besides packets. */
    private static final class Events extends ChannelInboundHandlerAdapter {
        private final LoadConnection connection;

        Events(LoadConnection connection) {
            this.connection = connection;
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            connection.writabilityChanged();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            connection.failed(cause);
        }
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
