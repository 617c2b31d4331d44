package io.onramp.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.onramp.gateway.config.GatewayConfig.TlsConfig;
import io.onramp.gateway.support.TestTls;
import io.onramp.gateway.tls.ServerTls;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTTPS listener over real TLS, with a deadline of {@link #WAIT_MILLIS} to deliver a request: a client trickling
 * its head or body is cut off, a keep-alive connection is closed once idle past it, and an answer that takes longer
 * than the deadline (a direct method waiting on its device) is still sent.
 */
class HttpsListenerDeadlineTest {

    private static final String ADDRESS = "127.0.0.223";
    private static final long WAIT_MILLIS = 1500;
    private static final long SLOW_ANSWER_MILLIS = 3500;

    @TempDir
    static Path dataDir;
    private static Vertx vertx;
    private static ServerTls tls;
    private static int port;

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        tls = ServerTls.prepare(new TlsConfig(null, null, List.of(ADDRESS), TlsConfig.Engine.JDK), List.of(), dataDir);
        HttpsListener listener = new HttpsListener(tls.httpServerOptions(ADDRESS, 0), HttpsListenerDeadlineTest::router,
                null, null, TimeUnit.MILLISECONDS.toNanos(WAIT_MILLIS));
        vertx.deployVerticle(listener).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        port = listener.actualPort();
    }

    @AfterAll
    static void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    private static Router router(Vertx vertx) {
        Router router = Router.router(vertx);
        router.get("/quick").handler(ctx -> ctx.response().end("quick"));
        router.get("/slow").handler(ctx -> vertx.setTimer(SLOW_ANSWER_MILLIS, t -> ctx.response().end("slow")));
        router.put("/body").handler(BodyHandler.create()).handler(ctx -> ctx.response().end("got " + ctx.body().length()));
        router.route().failureHandler(DpsHttpEndpoint::failureHandler);
        return router;
    }

    @Test
    void aClientTricklingItsRequestHeadIsCutOff() throws Exception {
        try (SSLSocket socket = connect()) {
            OutputStream out = socket.getOutputStream();
            out.write(("GET /quick HTTP/1.1\r\nHost: " + ADDRESS + "\r\nX-a: ").getBytes(StandardCharsets.US_ASCII));
            long started = System.nanoTime();
            boolean closed = false;
            // One byte every 300 ms: each would restart an idle timeout.
            for (int i = 0; i < 40 && !closed; i++) {
                Thread.sleep(300);
                try {
                    out.write('a');
                    out.flush();
                } catch (IOException e) {
                    closed = true;
                }
            }
            if (!closed) {
                socket.setSoTimeout(10_000);
                assertThat(readAll(socket.getInputStream())).as("nothing answered to a request never finished").isEmpty();
            }
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isLessThan(WAIT_MILLIS + 3_000);
        }
    }

    @Test
    void aBodyThatDoesNotArriveInTimeGets408AndTheConnectionCloses() throws Exception {
        try (SSLSocket socket = connect()) {
            socket.getOutputStream().write(("PUT /body HTTP/1.1\r\nHost: " + ADDRESS
                    + "\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"partial\":")
                    .getBytes(StandardCharsets.US_ASCII));
            socket.setSoTimeout(10_000);

            String answer = readAll(socket.getInputStream());

            assertThat(answer).startsWith("HTTP/1.1 408 ").containsIgnoringCase("connection: close").contains("\"errorCode\":408001");
        }
    }

    @Test
    void aKeepAliveConnectionServesRequestsThenClosesWhenIdlePastTheDeadline() throws Exception {
        try (SSLSocket socket = connect()) {
            socket.setSoTimeout(10_000);
            for (int i = 0; i < 3; i++) {
                assertThat(exchange(socket, "GET /quick HTTP/1.1\r\nHost: " + ADDRESS + "\r\n\r\n")).endsWith("quick");
                Thread.sleep(WAIT_MILLIS / 2);
            }
            long idleSince = System.nanoTime();
            assertThat(readAll(socket.getInputStream())).isEmpty();
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - idleSince))
                    .isGreaterThanOrEqualTo(WAIT_MILLIS - 200).isLessThan(WAIT_MILLIS + 3_000);
        }
    }

    @Test
    void anAnswerSlowerThanTheDeadlineIsStillSent() throws Exception {
        try (SSLSocket socket = connect()) {
            socket.setSoTimeout(15_000);
            assertThat(exchange(socket, "GET /slow HTTP/1.1\r\nHost: " + ADDRESS + "\r\n\r\n")).endsWith("slow");
            assertThat(exchange(socket, "GET /quick HTTP/1.1\r\nHost: " + ADDRESS + "\r\n\r\n")).endsWith("quick");
        }
    }

    @Test
    void aConnectionThatBecameAWebSocketIsNoLongerTimedAsHttp() throws Exception {
        WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions().setSsl(true)
                .setTrustOptions(new PemTrustOptions().addCertPath(tls.caCertificate().toString())));
        try {
            WebSocket webSocket = client.connect(new WebSocketConnectOptions().setHost(ADDRESS).setPort(port)
                    .setURI("/$iothub/websocket").addSubProtocol("mqtt"))
                    .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            CompletableFuture<Void> closed = new CompletableFuture<>();
            webSocket.closeHandler(v -> closed.complete(null));

            // Past the HTTP deadline and a sweep: what governs it now is MQTT's connect deadline (60 s).
            Thread.sleep(WAIT_MILLIS + 2_000);

            assertThat(closed).isNotDone();
        } finally {
            client.close();
        }
    }

    private static SSLSocket connect() throws Exception {
        SSLSocket socket = (SSLSocket) TestTls.trusting(tls.caCertificate()).getSocketFactory().createSocket(ADDRESS, port);
        socket.startHandshake();
        return socket;
    }

    /** Sends one request and reads its answer (the bodies here are short and sent with a content-length). */
    private static String exchange(SSLSocket socket, String request) throws IOException {
        socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream read = new ByteArrayOutputStream();
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed after " + read);
            }
            read.write(b);
            String text = read.toString(StandardCharsets.US_ASCII);
            int headEnd = text.indexOf("\r\n\r\n");
            if (headEnd > 0) {
                int length = Integer.parseInt(text.replaceAll("(?s).*content-length: (\\d+).*", "$1"));
                if (text.length() == headEnd + 4 + length) {
                    return text;
                }
            }
        }
    }

    private static String readAll(InputStream in) throws IOException {
        ByteArrayOutputStream read = new ByteArrayOutputStream();
        byte[] buffer = new byte[1024];
        try {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                read.write(buffer, 0, n);
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the server did not close the connection; read " + read, e);
        } catch (IOException reset) {
            // a reset is a close too
        }
        return read.toString(StandardCharsets.US_ASCII);
    }
}
