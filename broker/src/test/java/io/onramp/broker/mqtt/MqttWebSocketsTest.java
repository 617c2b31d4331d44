package io.onramp.broker.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.http.WebSocketFrame;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * MQTT in WebSocket binary frames, with raw frames from a Vert.x client: packets span frames and share them,
 * packets sent before the CONNACK wait for it, and what is not MQTT closes that connection only.
 */
class MqttWebSocketsTest {

    private static final String HOST = "127.0.0.231";
    /** CONNECT: MQTT 3.1.1, clean session, keep-alive 60 s, client id "dev-1". */
    private static final byte[] CONNECT = {0x10, 17, 0, 4, 'M', 'Q', 'T', 'T', 4, 0x02, 0, 60, 0, 5, 'd', 'e', 'v', '-', '1'};
    private static final byte[] PINGREQ = {(byte) 0xC0, 0};
    private static final byte[] CONNACK_ACCEPTED = {0x20, 2, 0, 0};
    private static final byte[] PINGRESP = {(byte) 0xD0, 0};
    private static Vertx vertx;
    private static HttpServer server;
    /** One client for all tests: a client nothing refers to any more closes its connections when collected. */
    private static WebSocketClient clients;

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        // The realm takes its time, as a real one does (a registry lookup): the client's next packets must wait.
        MqttConnectHandler slowRealm = (connect, channel) -> {
            Promise<MqttSession> session = Promise.promise();
            vertx.setTimer(200, t -> session.complete(new SilentSession()));
            return session.future();
        };
        CompletableFuture<HttpServer> started = new CompletableFuture<>();
        vertx.runOnContext(v -> {
            MqttWebSockets mqtt = new MqttWebSockets(vertx, MqttLimits.DEFAULTS.withConnectTimeout(Duration.ofMillis(500)),
                    slowRealm);
            vertx.createHttpServer(new HttpServerOptions().setHost(HOST).setPort(0)
                            .setWebSocketSubProtocols(java.util.List.of("mqtt")).setIdleTimeout(1))
                    .webSocketHandler(mqtt::accept)
                    .listen()
                    .onComplete(done -> started.complete(done.result()));
        });
        server = started.get(10, TimeUnit.SECONDS);
        clients = vertx.createWebSocketClient();
    }

    @AfterAll
    static void stop() throws Exception {
        vertx.close().await(10, TimeUnit.SECONDS);
    }

    @Test
    void aPacketSplitOverFramesAndPacketsSharingAFrameAreRead() throws Exception {
        Client client = Client.open();

        client.webSocket.writeFrame(WebSocketFrame.binaryFrame(Buffer.buffer(CONNECT).slice(0, 7), false));
        client.webSocket.writeFrame(WebSocketFrame.continuationFrame(Buffer.buffer(CONNECT).slice(7, CONNECT.length), true));
        client.webSocket.writeBinaryMessage(Buffer.buffer(PINGREQ).appendBytes(PINGREQ));

        assertThat(client.read(8)).as("CONNACK first, then both PINGRESPs")
                .isEqualTo(Buffer.buffer(CONNACK_ACCEPTED).appendBytes(PINGRESP).appendBytes(PINGRESP));
        client.webSocket.close();
    }

    @Test
    void theMqttKeepAliveNotTheHttpIdleTimeoutDecidesWhenAQuietConnectionGoes() throws Exception {
        Client client = Client.open();
        client.webSocket.writeBinaryMessage(Buffer.buffer(CONNECT));
        assertThat(client.read(4)).isEqualTo(Buffer.buffer(CONNACK_ACCEPTED));

        // Quiet for longer than the server's 1 s idle timeout, well within the 60 s keep-alive.
        Thread.sleep(2500);
        client.webSocket.writeBinaryMessage(Buffer.buffer(PINGREQ));
        assertThat(client.read(6)).isEqualTo(Buffer.buffer(CONNACK_ACCEPTED).appendBytes(PINGRESP));
        assertThat(client.closed).isNotDone();
        client.webSocket.close();
    }

    @Test
    void garbageInABinaryFrameClosesTheConnection() throws Exception {
        Client client = Client.open();
        client.webSocket.writeBinaryMessage(Buffer.buffer(CONNECT));
        assertThat(client.read(4)).isEqualTo(Buffer.buffer(CONNACK_ACCEPTED));

        client.webSocket.writeBinaryMessage(Buffer.buffer(new byte[] {(byte) 0xF0, (byte) 0xFF, (byte) 0xFF, 0x12, 0x34}));

        assertThat(client.closed.get(5, TimeUnit.SECONDS)).isNull();
    }

    @Test
    void aTextFrameClosesTheConnection() throws Exception {
        Client client = Client.open();
        client.webSocket.writeBinaryMessage(Buffer.buffer(CONNECT));
        assertThat(client.read(4)).isEqualTo(Buffer.buffer(CONNACK_ACCEPTED));

        client.webSocket.writeTextMessage("hello");

        assertThat(client.closed.get(5, TimeUnit.SECONDS)).isNull();
    }

    @Test
    void aWebSocketThatSendsNoConnectIsClosedAfterTheConnectTimeout() throws Exception {
        Client client = Client.open();

        assertThat(client.closed.get(5, TimeUnit.SECONDS)).isNull();
    }

    /** A WebSocket client offering the {@code mqtt} subprotocol, collecting the bytes of the frames it receives. */
    private static final class Client {
        final WebSocket webSocket;
        final Buffer received = Buffer.buffer();
        final CompletableFuture<Void> closed = new CompletableFuture<>();

        private Client(WebSocket webSocket) {
            this.webSocket = webSocket;
            webSocket.handler(bytes -> {
                synchronized (received) {
                    received.appendBuffer(bytes);
                }
            });
            webSocket.closeHandler(v -> closed.complete(null));
        }

        static Client open() throws Exception {
            return new Client(clients.connect(new WebSocketConnectOptions().setHost(HOST)
                    .setPort(server.actualPort()).setURI("/mqtt").addSubProtocol("mqtt")).await(10, TimeUnit.SECONDS));
        }

        Buffer read(int count) throws InterruptedException {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (System.nanoTime() < end) {
                synchronized (received) {
                    if (received.length() >= count) {
                        return received.copy();
                    }
                }
                Thread.sleep(20);
            }
            synchronized (received) {
                return received.copy();
            }
        }
    }
}
