package io.onramp.gateway.transport;

import io.netty.channel.EventLoopGroup;
import io.vertx.core.spi.transport.Transport;
import java.util.function.Supplier;

/**
 * Lets a Vert.x instance accept connections on its event loops instead of on a thread of its own.
 * Vert.x makes its I/O group, then a one-thread acceptor group; this hands it the I/O group again
 * for the second. Each listening socket then lives on one event loop, which accepts in its usual
 * epoll round and registers a connection meant for itself without waking another thread; with
 * Vert.x's own acceptor every connection cost a wake-up of that thread and then one of the loop that
 * owns it, and on a small machine the third busy thread also took turns from the two that do the work
 * (a quarter of the broker's CPU in the CONNECT bench was the acceptor thread).
 * Vert.x shuts the acceptor group down before the I/O group; shutting one group down twice is harmless.
 */
final class AcceptOnEventLoops {

    /** The I/O group just made on this thread, for the acceptor group Vert.x asks for next. */
    private final ThreadLocal<EventLoopGroup> ioGroupMadeHere = new ThreadLocal<>();

    /** What {@link Transport#eventLoopGroup} answers; {@code make} makes a group of the transport's own. */
    EventLoopGroup eventLoopGroup(int type, Supplier<EventLoopGroup> make) {
        if (type == Transport.ACCEPTOR_EVENT_LOOP_GROUP) {
            EventLoopGroup io = ioGroupMadeHere.get();
            ioGroupMadeHere.remove();
            return io != null ? io : make.get();
        }
        EventLoopGroup io = make.get();
        ioGroupMadeHere.set(io);
        return io;
    }
}
