package io.onramp.gateway.support;

import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.net.PemTrustOptions;
import java.util.concurrent.TimeUnit;

/**
 * WebSockets to a test gateway's HTTPS listener on 443, trusting only its CA, for what the SDKs never send
 * (other subprotocols, text frames, garbage bytes). Keep it in a field while its sockets are used: Vert.x 5 closes
 * a client nothing refers to any more.
 */
public final class RawWebSockets implements AutoCloseable {

    private final Vertx vertx = Vertx.vertx();
    private final WebSocketClient client;

    public RawWebSockets(TestGateway gateway) {
        client = vertx.createWebSocketClient(new WebSocketClientOptions().setSsl(true)
                .setTrustOptions(new PemTrustOptions().addCertPath(gateway.caFile().toString())));
    }

    /** Opens a WebSocket to {@code host}:443 at {@code path}, offering the subprotocols in this order. */
    public WebSocket open(String host, String path, String... subprotocols) throws Exception {
        WebSocketConnectOptions options = new WebSocketConnectOptions().setHost(host)
                .setPort(TestGateway.STANDARD_HTTPS_PORT).setURI(path);
        for (String subprotocol : subprotocols) {
            options.addSubProtocol(subprotocol);
        }
        return client.connect(options).await(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws Exception {
        vertx.close().await(10, TimeUnit.SECONDS);
    }
}
