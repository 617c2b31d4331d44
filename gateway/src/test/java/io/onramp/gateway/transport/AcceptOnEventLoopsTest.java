package io.onramp.gateway.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.impl.transports.TransportInternal;
import io.vertx.core.internal.VertxBootstrap;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.spi.VertxThreadFactory;
import io.vertx.core.transport.Transport;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Servers on the gateway's transports accept on the event loops: Vert.x never starts its acceptor
 * thread, connections are still accepted and served on both transports, and Vert.x still closes.
 */
class AcceptOnEventLoopsTest {

    private static final String HOST = "127.0.0.150";

    @Test
    void theEpollTransportAcceptsOnTheEventLoops() throws Exception {
        assertThat(threadsMadeWhileServing(GatedTransports.transport(gate()))).isNotEmpty()
                .noneMatch(name -> name.startsWith("vert.x-acceptor-thread"));
    }

    @Test
    void theNioTransportAcceptsOnTheEventLoops() throws Exception {
        assertThat(threadsMadeWhileServing(GatedTransports.nio(gate()))).isNotEmpty()
                .noneMatch(name -> name.startsWith("vert.x-acceptor-thread"));
    }

    @Test
    void vertxOwnTransportStartsAnAcceptorThread() throws Exception {
        // What the two tests above would see without the change: they can fail.
        assertThat(threadsMadeWhileServing(Transport.NIO)).anyMatch(name -> name.startsWith("vert.x-acceptor-thread"));
    }

    private static AcceptGate gate() {
        return new AcceptGate(new ConnectionLimits(100, 100, "a test"));
    }

    /** Serves three echo connections one after another and closes Vert.x; answers the names of the threads it made. */
    private static List<String> threadsMadeWhileServing(Transport transport) throws Exception {
        List<String> names = new CopyOnWriteArrayList<>();
        VertxThreadFactory recording = new VertxThreadFactory() {
            @Override
            public io.vertx.core.impl.VertxThread newVertxThread(Runnable target, String name, boolean worker,
                    long maxExecTime, TimeUnit maxExecTimeUnit) {
                names.add(name);
                return VertxThreadFactory.super.newVertxThread(target, name, worker, maxExecTime, maxExecTimeUnit);
            }
        };
        Vertx vertx = VertxBootstrap.create().transport(((TransportInternal) transport).implementation())
                .threadFactory(recording).init().vertx();
        try {
            NetServer server = vertx.createNetServer(new NetServerOptions().setHost(HOST).setPort(0))
                    .connectHandler(socket -> socket.handler(bytes -> socket.write(Buffer.buffer("echo " + bytes))));
            server.listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            for (int i = 0; i < 3; i++) {
                assertThat(echo(server.actualPort(), "hello " + i)).isEqualTo("echo hello " + i);
            }
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(15, TimeUnit.SECONDS);
        }
        return names;
    }

    private static String echo(int port, String text) throws Exception {
        try (Socket socket = new Socket(HOST, port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(text.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            byte[] expected = ("echo " + text).getBytes(StandardCharsets.US_ASCII);
            InputStream in = socket.getInputStream();
            return new String(in.readNBytes(expected.length), StandardCharsets.US_ASCII);
        }
    }
}
