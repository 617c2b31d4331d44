package io.onramp.broker.mqtt;

import io.vertx.core.internal.net.NetSocketInternal;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives a Vert.x socket the direct write path that Vert.x's HTTP server uses in its strict thread
 * mode. A Vert.x 5.0 NetSocket otherwise allocates a multi-producer write queue of 1,024 slots
 * (4 KiB of heap) per connection, half of what an idle MQTT device costs, although the MQTT core
 * writes to the Netty channel itself from the connection's event loop and never uses that queue.
 * Should a Vert.x upgrade rename what this reaches into, sockets keep their queue: the broker works,
 * only heavier, and one warning says so.
 */
final class DirectSocketWrites {

    private static final Logger LOG = LoggerFactory.getLogger(DirectSocketWrites.class);
    private static final String CONNECTION = "io.vertx.core.net.impl.VertxConnection";
    private static final MethodHandle SET_QUEUE;
    private static final MethodHandle NEW_DIRECT_QUEUE;

    static {
        MethodHandle setter = null;
        MethodHandle constructor = null;
        try {
            Class<?> connection = Class.forName(CONNECTION);
            Field queue = connection.getDeclaredField("outboundMessageQueue");
            queue.setAccessible(true);
            Constructor<?> direct = Class.forName(CONNECTION + "$DirectOutboundMessageQueue")
                    .getDeclaredConstructor(connection);
            direct.setAccessible(true);
            setter = MethodHandles.lookup().unreflectSetter(queue);
            constructor = MethodHandles.lookup().unreflectConstructor(direct);
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.warn("Vert.x's socket internals changed ({}): MQTT connections keep Vert.x's write queue", e.toString());
        }
        SET_QUEUE = setter;
        NEW_DIRECT_QUEUE = constructor;
    }

    private DirectSocketWrites() {
    }

    /** Call on the socket's event loop, before anything is written. True when the socket writes directly now. */
    static boolean apply(NetSocketInternal socket) {
        if (SET_QUEUE == null) {
            return false;
        }
        try {
            SET_QUEUE.invoke(socket, NEW_DIRECT_QUEUE.invoke(socket));
            return true;
        } catch (Throwable e) {
            LOG.debug("socket keeps Vert.x's write queue", e);
            return false;
        }
    }
}
