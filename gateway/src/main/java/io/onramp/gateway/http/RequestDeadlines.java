package io.onramp.gateway.http;

import io.onramp.gateway.error.ErrorCode;
import io.onramp.gateway.error.HttpErrors;
import io.onramp.gateway.error.ProvisioningException;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Each HTTP connection gets {@link #WAIT_NANOS} to deliver its next request whole, head and body, from the
 * moment it is ready for one (accepted, or its previous answer sent); past that it is closed. The idle
 * timeout alone restarts with every byte, so a client trickling a header byte now and then held a
 * connection for ever, and a few thousand of them held the gateway. A request that has fully arrived is
 * not timed: its answer may wait on a device (direct methods) or a webhook.
 *
 * <p>One per listener instance, used on its event loop only. The deadlines are checked by a sweep
 * ({@link #sweep}) rather than a timer per request: a registration costs a field write, not a timer.
 */
final class RequestDeadlines {

    /** nginx waits 60 s for a request head or body and 75 s on an idle keep-alive connection; SDKs poll every few seconds. */
    static final long WAIT_NANOS = 60_000_000_000L;
    private static final long ANSWERING = Long.MAX_VALUE;

    private final long waitNanos;
    /**
     * By the client's address and port, which tell a connection of this listener instance apart as well as the
     * connection itself does, and which a WebSocket handshake (that never reaches the request handler) gives too.
     */
    private final Map<SocketAddress, Tracked> connections = new HashMap<>();

    RequestDeadlines(long waitNanos) {
        this.waitNanos = waitNanos;
    }

    /** For the server's connection handler. */
    void connected(HttpConnection connection) {
        SocketAddress client = connection.remoteAddress();
        connections.put(client, new Tracked(connection, System.nanoTime() + waitNanos));
        connection.closeHandler(v -> connections.remove(client));
    }

    /** The server's request handler: notes the request, then hands it on. */
    Handler<HttpServerRequest> tracking(Handler<HttpServerRequest> next) {
        return request -> {
            Tracked tracked = connections.get(request.connection().remoteAddress());
            if (tracked != null) {
                if (tracked.deadline == ANSWERING || tracked.request != null && tracked.request.response().ended()) {
                    // The previous answer went out since the last sweep: this request's time starts now.
                    tracked.deadline = System.nanoTime() + waitNanos;
                }
                tracked.request = request;
            }
            next.handle(request);
        };
    }

    /**
     * The connection from {@code client} became a WebSocket: what it carries now has deadlines of its own (MQTT's
     * connect and keep-alive), and it sees no more requests.
     */
    void upgraded(SocketAddress client) {
        connections.remove(client);
    }

    /** Closes the connections past their deadline; call about once a second. */
    void sweep(long now) {
        List<SocketAddress> expired = new ArrayList<>();
        connections.forEach((client, tracked) -> {
            HttpServerRequest request = tracked.request;
            if (request != null && request.response().ended()) {
                tracked.request = null;
                tracked.deadline = now + waitNanos;
            } else if (request != null && request.isEnded()) {
                tracked.deadline = ANSWERING;
            } else if (now - tracked.deadline > 0) {
                expired.add(client);
            }
        });
        for (SocketAddress client : expired) {
            Tracked tracked = connections.remove(client);
            expire(tracked.connection, tracked.request);
        }
    }

    private void expire(HttpConnection connection, HttpServerRequest partial) {
        if (partial == null || partial.response().headWritten()) {
            connection.close();
            return;
        }
        // The head came but not all of the body: say why before closing.
        partial.response().putHeader("Connection", "close");
        HttpErrors.send(partial.response(), partial.method() + " " + partial.path() + " from " + partial.remoteAddress(),
                new ProvisioningException(ErrorCode.REQUEST_TIMEOUT, "The request body did not arrive within "
                        + waitNanos / 1_000_000_000L + " s."));
        connection.close();
    }

    private static final class Tracked {
        final HttpConnection connection;
        long deadline;
        HttpServerRequest request;

        Tracked(HttpConnection connection, long deadline) {
            this.connection = connection;
            this.deadline = deadline;
        }
    }
}
