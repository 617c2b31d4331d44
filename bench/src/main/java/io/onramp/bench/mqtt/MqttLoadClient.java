package io.onramp.bench.mqtt;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntConsumer;

/**
 * A lean MQTT 3.1.1 client for load: one Netty event loop drives every connection, messages are
 * encoded by Netty's codec, nothing is logged. It must cost less than the broker it measures.
 */
final class MqttLoadClient implements AutoCloseable {

    private final EventLoopGroup group;
    private final Class<? extends SocketChannel> channelType;
    private final SslContext tls;

    MqttLoadClient(int threads, File caFile) throws Exception {
        boolean epoll = Epoll.isAvailable();
        group = new MultiThreadIoEventLoopGroup(threads, epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        channelType = epoll ? EpollSocketChannel.class : NioSocketChannel.class;
        tls = caFile == null ? null : SslContextBuilder.forClient().sslProvider(SslProvider.OPENSSL)
                .trustManager(caFile).protocols("TLSv1.2").build();
    }

    /** What a connection does with what the broker sends after CONNACK. */
    interface Listener {
        default void publishReceived(Connection connection, MqttPublishMessage publish) {}

        default void pubAckReceived(int packetId) {}

        default void subAckReceived() {}
    }

    /** One client connection. */
    static final class Connection {
        final Channel channel;
        private final CompletableFuture<Integer> connAck = new CompletableFuture<>();
        private volatile Listener listener = new Listener() {};

        Connection(Channel channel) {
            this.channel = channel;
        }

        void listen(Listener listener) {
            this.listener = listener;
        }

        void subscribe(String filter, MqttQoS qos) {
            channel.writeAndFlush(MqttMessageBuilders.subscribe().messageId(1).addSubscription(qos, filter).build());
        }

        void publish(String topic, MqttQoS qos, int packetId, ByteBuf payload, boolean flush) {
            MqttPublishMessage message = MqttMessageBuilders.publish().topicName(topic).qos(qos).messageId(packetId)
                    .payload(payload).build();
            if (flush) {
                channel.writeAndFlush(message, channel.voidPromise());
            } else {
                channel.write(message, channel.voidPromise());
            }
        }

        void pubAck(int packetId) {
            channel.write(MqttMessageBuilders.pubAck().packetId(packetId).build(), channel.voidPromise());
        }

        CompletableFuture<Void> close() {
            CompletableFuture<Void> closed = new CompletableFuture<>();
            channel.close().addListener(f -> closed.complete(null));
            return closed;
        }
    }

    /** Connects and sends CONNECT; the future gives the connection once CONNACK 0 arrived. */
    CompletableFuture<Connection> connect(String host, int port, boolean useTls, String clientId, String user, String password,
            int keepAlive) {
        CompletableFuture<Connection> result = new CompletableFuture<>();
        Bootstrap bootstrap = new Bootstrap().group(group).channel(channelType)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 20_000)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        if (useTls) {
                            channel.pipeline().addLast(tls.newHandler(channel.alloc(), host, port));
                        }
                        Connection connection = new Connection(channel);
                        channel.pipeline().addLast(new MqttDecoder(1024 * 1024), MqttEncoder.INSTANCE, new Inbound(connection, result));
                    }
                });
        bootstrap.connect(host, port).addListener(f -> {
            if (!f.isSuccess()) {
                result.completeExceptionally(f.cause());
                return;
            }
            MqttMessageBuilders.ConnectBuilder connect = MqttMessageBuilders.connect().clientId(clientId)
                    .protocolVersion(MqttVersion.MQTT_3_1_1).cleanSession(true).keepAlive(keepAlive);
            if (user != null) {
                connect.hasUser(true).username(user);
            }
            if (password != null) {
                connect.hasPassword(true).password(password.getBytes(StandardCharsets.UTF_8));
            }
            ((io.netty.channel.ChannelFuture) f).channel().writeAndFlush(connect.build());
        });
        return result;
    }

    private static final class Inbound extends SimpleChannelInboundHandler<MqttMessage> {
        private final Connection connection;
        private final CompletableFuture<Connection> connected;

        Inbound(Connection connection, CompletableFuture<Connection> connected) {
            this.connection = connection;
            this.connected = connected;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, MqttMessage message) {
            MqttMessageType type = message.fixedHeader().messageType();
            switch (type) {
                case CONNACK -> {
                    int code = ((MqttConnAckMessage) message).variableHeader().connectReturnCode().byteValue();
                    if (code == 0) {
                        connected.complete(connection);
                    } else {
                        connected.completeExceptionally(new IllegalStateException("CONNACK " + code));
                        ctx.close();
                    }
                }
                case PUBLISH -> connection.listener.publishReceived(connection, (MqttPublishMessage) message);
                case PUBACK -> connection.listener.pubAckReceived(((MqttMessageIdVariableHeader) message.variableHeader()).messageId());
                case SUBACK -> connection.listener.subAckReceived();
                default -> { }
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            connected.completeExceptionally(new IllegalStateException("connection closed before CONNACK"));
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            connected.completeExceptionally(cause);
            ctx.close();
        }
    }

    static ByteBuf payload(int size) {
        byte[] bytes = new byte[size];
        java.util.Arrays.fill(bytes, (byte) 'x');
        return Unpooled.unreleasableBuffer(Unpooled.directBuffer(size).writeBytes(bytes));
    }

    EventLoopGroup group() {
        return group;
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS);
    }

    static IntConsumer nothing() {
        return i -> { };
    }
}
