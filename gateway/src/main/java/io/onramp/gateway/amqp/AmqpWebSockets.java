package io.onramp.gateway.amqp;

import io.netty.channel.ChannelPipeline;
import io.onramp.broker.mqtt.WebSocketChannels;
import io.onramp.broker.mqtt.WebSocketFraming;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.impl.NetSocketImpl;
import io.vertx.core.net.impl.VertxHandler;
import io.vertx.proton.ProtonServer;
import io.vertx.proton.ProtonServerOptions;
import io.vertx.proton.impl.ProtonServerImpl;
import java.lang.reflect.Field;

/**
 * AMQP over WebSockets (the SDKs' AMQPS_WS, subprotocol {@code AMQPWSB10}, dps-device-protocol.md 8.8) for one HTTPS
 * listener instance: a WebSocket it accepted is served by the same vertx-proton server code, SASL and DPS links as
 * a socket of the AMQP listener, its binary frames read as one byte stream. Create it on the HTTPS server's context.
 *
 * <p>vertx-proton takes only a {@link NetSocket}, and hands it to its connection and SASL set-up only from its
 * {@link NetServer}'s connect handler. So, on the accepted WebSocket's channel, this does what Vert.x itself does
 * for {@code HttpServerRequest.toNetSocket()} (Http1xServerConnection.netSocket): replaces Vert.x's handler with a
 * {@link VertxHandler} of a {@link NetSocketImpl}, behind {@link WebSocketFraming} (frames to bytes and back, and
 * the pings and closes Vert.x's WebSocket no longer answers); and it gives that socket to the connect handler of a
 * {@link ProtonServer} that never listens, read from the private field {@code ProtonServerImpl.server}. Internals
 * reached: Vert.x's pipeline handler name {@code "handler"}, {@code NetSocketImpl}'s and {@code VertxHandler}'s
 * constructors (compile-checked), and that field (checked when this is created: a vertx-proton without it fails
 * the HTTPS listener's start with a message saying so; AmqpWebSocketsIT then fails too).
 */
public final class AmqpWebSockets {

    /** The subprotocol of the AMQP WebSocket binding, as every SDK offers it. */
    public static final String SUBPROTOCOL = "AMQPWSB10";

    private final Vertx vertx;
    private final Handler<NetSocket> connections;

    public AmqpWebSockets(Vertx vertx, AmqpRealms realms) {
        this(vertx, AmqpLimits.DEFAULTS, realms);
    }

    AmqpWebSockets(Vertx vertx, AmqpLimits limits, AmqpRealms realms) {
        this.vertx = vertx;
        this.connections = connectHandler(AmqpListener.server(vertx, new ProtonServerOptions(), limits, realms));
    }

    /** Serves AMQP on a WebSocket just accepted. Call on its event loop, before its first frame is read. */
    public void accept(ServerWebSocket webSocket) {
        // The AMQP handshake deadline and proton's idle timeout govern this connection, as on the AMQP listener.
        ChannelPipeline pipeline = WebSocketChannels.takeOver(webSocket);
        ContextInternal context = (ContextInternal) vertx.getOrCreateContext();
        pipeline.addBefore("handler", "amqpFraming", WebSocketFraming.ANSWERING_CONTROL_FRAMES);
        pipeline.replace("handler", "handler", VertxHandler.create(ctx -> new NetSocketImpl(context, ctx, null, null,
                null, false)));
        @SuppressWarnings("unchecked")
        VertxHandler<NetSocketImpl> handler = (VertxHandler<NetSocketImpl>) pipeline.get("handler");
        connections.handle(handler.getConnection());
    }

    private static Handler<NetSocket> connectHandler(ProtonServer server) {
        try {
            Field field = ProtonServerImpl.class.getDeclaredField("server");
            field.setAccessible(true);
            return ((NetServer) field.get(server)).connectHandler();
        } catch (ReflectiveOperationException | ClassCastException e) {
            throw new IllegalStateException("AMQP over WebSockets: this vertx-proton keeps no NetServer in"
                    + " ProtonServerImpl.server, through which a WebSocket's byte stream was handed to it; see"
                    + " AmqpWebSockets for what must change with the vertx-proton version", e);
        }
    }
}
