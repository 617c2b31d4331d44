package io.onramp.broker.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The listener's own deadlines and socket set-up, over real sockets, with a realm that lets everyone in. */
class MqttListenerTest {

    private static final String HOST = "127.0.0.110";
    private static Vertx vertx;
    private static MqttListener listener;

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        MqttLimits limits = MqttLimits.DEFAULTS.withConnectTimeout(Duration.ofMillis(300));
        listener = new MqttListener(new NetServerOptions().setHost(HOST).setPort(0), limits,
                (connect, channel) -> Future.succeededFuture(new SilentSession()));
        vertx.deployVerticle(listener).await(10, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stop() throws Exception {
        vertx.close().await(10, TimeUnit.SECONDS);
    }

    @Test
    void aConnectionThatSendsNoConnectIsClosedAfterTheConnectTimeout() throws Exception {
        try (Socket socket = open()) {
            assertThat(socket.getInputStream().read()).as("closed by the server").isEqualTo(-1);
        }
    }

    @Test
    void aSilentClientIsClosedAfterOneAndAHalfKeepAlives() throws Exception {
        try (Socket socket = open()) {
            connect(socket, 1);
            long start = System.nanoTime();
            assertThat(socket.getInputStream().read()).as("closed by the server").isEqualTo(-1);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("not before the keep-alive ran out")
                    .isGreaterThanOrEqualTo(Duration.ofMillis(1400));
        }
    }

    @Test
    void aClientThatPingsWithinItsKeepAliveStaysConnected() throws Exception {
        try (Socket socket = open()) {
            connect(socket, 1);
            for (int i = 0; i < 8; i++) {
                Thread.sleep(400);
                socket.getOutputStream().write(new byte[] {(byte) 0xC0, 0});
                assertThat(readBytes(socket.getInputStream(), 2)).as("PINGRESP").containsExactly(0xD0, 0);
            }
        }
    }

    @Test
    void vertxSocketsWriteDirectlyOnThisVertxVersion() throws Exception {
        CompletableFuture<Boolean> applied = new CompletableFuture<>();
        NetServer server = vertx.createNetServer(new NetServerOptions().setHost(HOST).setPort(0)).connectHandler(s -> {
            applied.complete(DirectSocketWrites.apply((NetSocketInternal) s));
            s.write(Buffer.buffer("hi")).onSuccess(v -> s.close());
        });
        server.listen().await(10, TimeUnit.SECONDS);
        try (Socket socket = new Socket(HOST, server.actualPort())) {
            socket.setSoTimeout(5000);
            assertThat(applied.get(5, TimeUnit.SECONDS)).as("a Vert.x upgrade changed the internals reached into").isTrue();
            assertThat(new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("hi");
        } finally {
            server.close().await(10, TimeUnit.SECONDS);
        }
    }

    private static Socket open() throws IOException {
        Socket socket = new Socket(HOST, listener.actualPort());
        socket.setSoTimeout(5000);
        return socket;
    }

    /** CONNECT (MQTT 3.1.1, clean session, the given keep-alive), then reads the CONNACK. */
    private static void connect(Socket socket, int keepAliveSeconds) throws IOException {
        byte[] clientId = "dev-1".getBytes(StandardCharsets.US_ASCII);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(new byte[] {0, 4, 'M', 'Q', 'T', 'T', 4, 0x02, 0, (byte) keepAliveSeconds});
        body.writeBytes(new byte[] {0, (byte) clientId.length});
        body.writeBytes(clientId);
        ByteArrayOutputStream packet = new ByteArrayOutputStream();
        packet.write(0x10);
        packet.write(body.size());
        packet.writeBytes(body.toByteArray());
        socket.getOutputStream().write(packet.toByteArray());
        assertThat(readBytes(socket.getInputStream(), 4)).as("CONNACK accepted").containsExactly(0x20, 2, 0, 0);
    }

    private static int[] readBytes(InputStream in, int count) throws IOException {
        int[] read = new int[count];
        for (int i = 0; i < count; i++) {
            read[i] = in.read();
        }
        return read;
    }
}
