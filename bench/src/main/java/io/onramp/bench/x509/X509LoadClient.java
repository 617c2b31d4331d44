package io.onramp.bench.x509;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
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
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.OpenSslSessionContext;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.onramp.bench.x509.DeviceFactory.Device;
import io.vertx.core.json.JsonObject;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLEngine;
import org.HdrHistogram.Recorder;

/**
 * The load client: Netty on its own event loops ({@code x509-client-N} threads), BoringSSL, one TLS
 * context whose key manager hands each connection its device's key and chain. Every device opens a
 * new connection with a full handshake (the client keeps no sessions, so none is resumed) and then,
 * for a gateway, registers over it (PUT register, GET the operation 1 ms after each 202 until
 * assigned, HTTP/1.1 keep-alive), or for s_server sends one line and waits for its echo. The client
 * closes with a reset (SO_LINGER 0), so tens of thousands of devices leave no TIME_WAIT behind.
 */
final class X509LoadClient implements AutoCloseable {

    /** One run's outcome. Latency is from connect to assigned (or to the echo). */
    record Outcome(int completed, long nanos, Recorder latency, Map<String, Long> errors, Map<String, String> examples) {}

    static final String API_VERSION = "2019-03-31";
    private static final long POLL_DELAY_MILLIS = 1;
    private static final long GIVE_UP_NANOS = TimeUnit.SECONDS.toNanos(30);

    private final EventLoopGroup group;
    private final Class<? extends SocketChannel> channelType;
    private final DeviceKeys keys = new DeviceKeys();
    private final SslContext tls;

    X509LoadClient(int threads, X509Certificate serverCertificate) throws Exception {
        boolean epoll = Epoll.isAvailable();
        group = new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory("x509-client", true),
                epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        channelType = epoll ? EpollSocketChannel.class : NioSocketChannel.class;
        if (!OpenSsl.isAvailable()) {
            throw new IllegalStateException("the load client needs netty-tcnative: " + OpenSsl.unavailabilityCause());
        }
        tls = SslContextBuilder.forClient().sslProvider(SslProvider.OPENSSL).keyManager(keys)
                .trustManager(new PinnedServer(serverCertificate)).protocols("TLSv1.3", "TLSv1.2").build();
        // Every device is a new client: nothing to resume from.
        ((OpenSslSessionContext) tls.sessionContext()).setSessionCacheEnabled(false);
    }

    /**
     * Runs {@code devices} against {@code endpoints} (spread round-robin), {@code concurrency} at a time.
     *
     * @param idScope null for bare handshakes (s_server), else the gateway's ID scope
     */
    CompletableFuture<Outcome> run(Device[] devices, List<InetSocketAddress> endpoints, String sniHost, String idScope,
            int concurrency) {
        Run run = new Run(devices, endpoints, sniHost, idScope);
        for (int lane = 0; lane < Math.min(concurrency, devices.length); lane++) {
            run.next();
        }
        return run.done;
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private final class Run {
        final Device[] devices;
        final List<InetSocketAddress> endpoints;
        final String sniHost;
        final String idScope;
        final AtomicInteger nextIndex = new AtomicInteger();
        final AtomicInteger finished = new AtomicInteger();
        final AtomicInteger completed = new AtomicInteger();
        final Recorder latency = new Recorder(3);
        final Map<String, Long> errors = new TreeMap<>();
        final Map<String, String> examples = new TreeMap<>();
        final long start = System.nanoTime();
        final AtomicLong end = new AtomicLong();
        final CompletableFuture<Outcome> done = new CompletableFuture<>();

        Run(Device[] devices, List<InetSocketAddress> endpoints, String sniHost, String idScope) {
            this.devices = devices;
            this.endpoints = endpoints;
            this.sniHost = sniHost;
            this.idScope = idScope;
        }

        void next() {
            int index = nextIndex.getAndIncrement();
            if (index >= devices.length) {
                return;
            }
            Device device = devices[index];
            InetSocketAddress endpoint = endpoints.get(index % endpoints.size());
            long started = System.nanoTime();
            SSLEngine engine = tls.newEngine(io.netty.buffer.ByteBufAllocator.DEFAULT, sniHost, endpoint.getPort());
            keys.bind(engine, device);
            DeviceSession session = new DeviceSession(this, device, engine, started);
            Bootstrap bootstrap = new Bootstrap().group(group).channel(channelType)
                    .option(ChannelOption.TCP_NODELAY, true).option(ChannelOption.SO_LINGER, 0)
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 20_000)
                    .handler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel channel) {
                            session.channel = channel;
                            SslHandler ssl = new SslHandler(engine);
                            ssl.setHandshakeTimeoutMillis(20_000);
                            channel.pipeline().addLast(ssl);
                            if (idScope != null) {
                                channel.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(65_536),
                                        session.http());
                            } else {
                                channel.pipeline().addLast(session.echo());
                            }
                            ssl.handshakeFuture().addListener(f -> {
                                if (f.isSuccess()) {
                                    session.handshaken(channel);
                                } else {
                                    session.fail("handshake", f.cause());
                                }
                            });
                        }
                    });
            ChannelFuture connect = bootstrap.connect(endpoint);
            connect.addListener(f -> {
                if (!f.isSuccess()) {
                    session.fail("connect", f.cause());
                }
            });
        }

        synchronized void error(String kind, String example) {
            errors.merge(kind, 1L, Long::sum);
            examples.putIfAbsent(kind, example);
        }

        void finish(DeviceSession session, boolean ok) {
            keys.unbind(session.engine);
            if (ok) {
                latency.recordValue(Math.max(1, (System.nanoTime() - session.started) / 1_000));
                completed.incrementAndGet();
            }
            if (finished.incrementAndGet() == devices.length) {
                Map<String, Long> errorCopy;
                Map<String, String> exampleCopy;
                synchronized (this) {
                    errorCopy = new TreeMap<>(errors);
                    exampleCopy = new TreeMap<>(examples);
                }
                done.complete(new Outcome(completed.get(), System.nanoTime() - start, latency, errorCopy, exampleCopy));
            } else {
                next();
            }
        }
    }

    /** One device's connection: handshake, then register and poll, or one echoed line. */
    private static final class DeviceSession {
        final Run run;
        final Device device;
        final SSLEngine engine;
        final long started;
        Channel channel;
        String operationId;
        boolean over;

        DeviceSession(Run run, Device device, SSLEngine engine, long started) {
            this.run = run;
            this.device = device;
            this.engine = engine;
            this.started = started;
        }

        void handshaken(Channel channel) {
            if (run.idScope == null) {
                channel.writeAndFlush(Unpooled.copiedBuffer("onramp\n", StandardCharsets.US_ASCII));
                return;
            }
            String path = "/" + run.idScope + "/registrations/" + device.registrationId() + "/register?api-version="
                    + API_VERSION;
            byte[] body = ("{\"registrationId\":\"" + device.registrationId() + "\"}").getBytes(StandardCharsets.UTF_8);
            channel.writeAndFlush(request(HttpMethod.PUT, path, Unpooled.wrappedBuffer(body)));
        }

        FullHttpRequest request(HttpMethod method, String path, ByteBuf body) {
            FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, path, body);
            request.headers().set(HttpHeaderNames.HOST, run.sniHost)
                    .set(HttpHeaderNames.ACCEPT, HttpHeaderValues.APPLICATION_JSON)
                    .setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
            if (body.isReadable()) {
                request.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON);
            }
            return request;
        }

        SimpleChannelInboundHandler<FullHttpResponse> http() {
            return new SimpleChannelInboundHandler<>() {
                @Override
                protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse response) {
                    answered(response);
                }

                @Override
                public void channelInactive(ChannelHandlerContext ctx) {
                    fail("closed", new IllegalStateException("connection closed before assigned"));
                }

                @Override
                public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                    fail("exception", cause);
                }
            };
        }

        SimpleChannelInboundHandler<ByteBuf> echo() {
            return new SimpleChannelInboundHandler<>() {
                @Override
                protected void channelRead0(ChannelHandlerContext ctx, ByteBuf reply) {
                    succeed();
                }

                @Override
                public void channelInactive(ChannelHandlerContext ctx) {
                    fail("closed", new IllegalStateException("connection closed before the echo"));
                }

                @Override
                public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                    fail("exception", cause);
                }
            };
        }

        void answered(FullHttpResponse response) {
            int status = response.status().code();
            String text = response.content().toString(StandardCharsets.UTF_8);
            JsonObject body;
            try {
                body = text.isEmpty() ? new JsonObject() : new JsonObject(text);
            } catch (RuntimeException e) {
                fail("HTTP " + status + " unreadable", new IllegalStateException(text));
                return;
            }
            if (status == 200 && "assigned".equals(body.getString("status"))) {
                succeed();
                return;
            }
            if (status != 202) {
                fail("HTTP " + status, new IllegalStateException(text));
                return;
            }
            if (operationId == null) {
                operationId = body.getString("operationId");
                if (operationId == null) {
                    fail("202 without operationId", new IllegalStateException(text));
                    return;
                }
            }
            if (System.nanoTime() - started > GIVE_UP_NANOS) {
                fail("still assigning after 30 s", new IllegalStateException(text));
                return;
            }
            String path = "/" + run.idScope + "/registrations/" + device.registrationId() + "/operations/" + operationId
                    + "?api-version=" + API_VERSION;
            channel.eventLoop().schedule(() -> {
                if (!over) {
                    channel.writeAndFlush(request(HttpMethod.GET, path, Unpooled.EMPTY_BUFFER));
                }
            }, POLL_DELAY_MILLIS, TimeUnit.MILLISECONDS);
        }

        void succeed() {
            if (over) {
                return;
            }
            over = true;
            channel.close();
            run.finish(this, true);
        }

        void fail(String kind, Throwable cause) {
            if (over) {
                return;
            }
            over = true;
            if (channel != null) {
                channel.close();
            }
            run.error(kind, device.registrationId() + ": " + cause);
            run.finish(this, false);
        }
    }
}
