package io.onramp.gateway.amqp;

import static org.assertj.core.api.Assertions.assertThat;

import io.onramp.gateway.config.GatewayConfig.TlsConfig;
import io.onramp.gateway.error.ProvisioningException;
import io.onramp.gateway.provisioning.DeviceCredential;
import io.onramp.gateway.provisioning.OperationStatus;
import io.onramp.gateway.provisioning.ProvisioningService;
import io.onramp.gateway.provisioning.RegistrationRecord;
import io.onramp.gateway.provisioning.RegistrationRequest;
import io.onramp.gateway.provisioning.StatusRequest;
import io.onramp.gateway.support.RawAmqp;
import io.onramp.gateway.support.TestTls;
import io.onramp.gateway.tls.ServerTls;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.proton.ProtonServerOptions;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;
import org.apache.qpid.proton.amqp.transport.ErrorCondition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client that connects and never gets to its AMQP open (stuck in SASL, or silent) is dropped at the handshake
 * deadline: before the open, AMQP's idle timeout does not run yet. The real listener, and AMQP over WebSockets,
 * with a short deadline.
 */
class AmqpHandshakeDeadlineTest {

    static final String ADDRESS = "127.0.0.218";
    static final String WEBSOCKET_ADDRESS = "127.0.0.26";
    /** The deadline starts at the upgrade, before a cold WebSocket client has finished its side of it. */
    static final Duration WEBSOCKET_DEADLINE = Duration.ofSeconds(1);
    static final Duration DEADLINE = Duration.ofMillis(700);

    @TempDir
    Path dataDir;

    private ServerTls tls() {
        return ServerTls.prepare(new TlsConfig(null, null, List.of(ADDRESS), TlsConfig.Engine.JDK), List.of(), dataDir);
    }

    /** The real AMQP listener on {@link #ADDRESS}, its handshake deadline {@link #DEADLINE}; it reaches no core. */
    private static AmqpListener listenerWithShortDeadline(Vertx vertx, ServerTls tls) throws Exception {
        AmqpListener listener = new AmqpListener(tls.apply(new ProtonServerOptions()).setHost(ADDRESS).setPort(0),
                AmqpLimits.DEFAULTS.withHandshake(DEADLINE), new AmqpRealms(new NothingReached(), null));
        vertx.deployVerticle(listener).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        return listener;
    }

    @Test
    void anOpenedConnectionWhereNoDeviceProvesItselfIsClosedAtTheDeadline() throws Exception {
        Vertx vertx = Vertx.vertx();
        try {
            ServerTls tls = tls();
            AmqpListener listener = listenerWithShortDeadline(vertx, tls);

            // No SASL and no client certificate: opened, as a hub device that will put a CBS token, which never comes.
            try (RawAmqp amqp = RawAmqp.over((SSLSocket) TestTls.trusting(tls.caCertificate()).getSocketFactory()
                    .createSocket(ADDRESS, listener.actualPort()))) {
                assertThat(amqp.opened()).isTrue();
                ErrorCondition closed = amqp.closedWith();
                assertThat(closed).as("closed with a reason").isNotNull();
                assertThat(closed.getCondition().toString()).isEqualTo("amqp:unauthorized-access");
                assertThat(closed.getDescription()).contains("$cbs").contains("client certificate");
            }
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void aClientStuckInSaslIsDroppedAtTheDeadline() throws Exception {
        Vertx vertx = Vertx.vertx();
        try {
            ServerTls tls = tls();
            AmqpListener listener = listenerWithShortDeadline(vertx, tls);

            try (SSLSocket socket = (SSLSocket) TestTls.trusting(tls.caCertificate()).getSocketFactory()
                    .createSocket(ADDRESS, listener.actualPort())) {
                socket.startHandshake();
                long connected = System.nanoTime();
                // The SASL protocol header, then nothing: the server offers its mechanisms and waits for an init.
                socket.getOutputStream().write("AMQP\3\1\0\0".getBytes(StandardCharsets.ISO_8859_1));
                socket.setSoTimeout(10_000);

                assertThat(readsUntilClosed(socket.getInputStream())).as("the server's SASL header and mechanisms")
                        .isGreaterThan(8);
                long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - connected);
                assertThat(elapsed).isGreaterThanOrEqualTo(DEADLINE.toMillis() - 100).isLessThan(5_000);
            }
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void aWebSocketStuckInSaslIsDroppedAtTheDeadline() throws Exception {
        Vertx vertx = Vertx.vertx();
        try {
            // GIVEN AMQP over WebSockets with a short handshake deadline (the HTTP server's idle timeout is no guard:
            // it goes with the upgrade)
            AmqpWebSockets amqp = new AmqpWebSockets(vertx, AmqpLimits.DEFAULTS.withHandshake(WEBSOCKET_DEADLINE),
                    new AmqpRealms(new NothingReached(), null));
            HttpServer server = vertx.createHttpServer(new HttpServerOptions().setHost(WEBSOCKET_ADDRESS).setPort(0)
                            .setWebSocketSubProtocols(List.of(AmqpWebSockets.SUBPROTOCOL)))
                    .webSocketHandshakeHandler(handshake -> handshake.accept().onSuccess(amqp::accept))
                    .requestHandler(request -> request.response().setStatusCode(404).end());
            server.listen().await(10, TimeUnit.SECONDS);
            // Held in a variable to the end: Vert.x closes a client that is no longer reachable.
            WebSocketClient client = vertx.createWebSocketClient();
            long connecting = System.nanoTime();
            WebSocket webSocket = client.connect(new WebSocketConnectOptions()
                    .setHost(WEBSOCKET_ADDRESS).setPort(server.actualPort()).setURI("/$iothub/websocket")
                    .addSubProtocol(AmqpWebSockets.SUBPROTOCOL)).await(10, TimeUnit.SECONDS);
            CompletableFuture<Void> closed = new CompletableFuture<>();
            webSocket.closeHandler(v -> closed.complete(null));

            // WHEN it sends the SASL protocol header, then nothing
            webSocket.writeBinaryMessage(Buffer.buffer("AMQP\3\1\0\0".getBytes(StandardCharsets.ISO_8859_1)));

            // THEN it is closed at the deadline
            closed.get(10, TimeUnit.SECONDS);
            long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - connecting);
            assertThat(elapsed).isGreaterThanOrEqualTo(WEBSOCKET_DEADLINE.toMillis() - 100)
                    .isLessThan(WEBSOCKET_DEADLINE.toMillis() + 5_000);
            client.close();
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }

    private static int readsUntilClosed(InputStream in) throws Exception {
        int total = 0;
        byte[] buffer = new byte[1024];
        try {
            for (int read; (read = in.read(buffer)) >= 0; ) {
                total += read;
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the server did not close the connection", e);
        } catch (java.io.IOException closedHard) {
            // a reset is a close too
        }
        return total;
    }

    /** The core is never reached: the client sends no credential. */
    private static final class NothingReached implements ProvisioningService {
        private static <T> Future<T> refused() {
            return Future.failedFuture(ProvisioningException.unauthorized("not expected in this test"));
        }

        @Override
        public Future<OperationStatus> register(RegistrationRequest request) {
            return refused();
        }

        @Override
        public Future<OperationStatus> operationStatus(StatusRequest request) {
            return refused();
        }

        @Override
        public Future<Void> authenticate(String clientAddress, String idScope, String registrationId,
                DeviceCredential credential) {
            return refused();
        }

        @Override
        public Future<RegistrationRecord> registrationState(StatusRequest request) {
            return refused();
        }
    }
}
