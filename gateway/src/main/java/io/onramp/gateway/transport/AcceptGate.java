package io.onramp.gateway.transport;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Admits or closes each connection as it is accepted, before TLS or any protocol work: at most
 * {@code max} open at once over every listener of the gateway, and at most {@code perAddress} from one
 * client address. Without it, one client opening connections until the process runs out of file
 * descriptors or heap locks every device out, and the hubs' devices with them. It sits on the listening
 * channel's pipeline, where Netty passes each accepted channel on to be registered: a refused one is
 * closed there, never registered with an event loop.
 */
@ChannelHandler.Sharable
public final class AcceptGate extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(AcceptGate.class);
    private static final long REPORT_EVERY_NANOS = 10_000_000_000L;

    private final ConnectionLimits limits;
    private final AtomicInteger open = new AtomicInteger();
    private final ConcurrentHashMap<InetAddress, Integer> openByAddress = new ConcurrentHashMap<>();
    private final LongAdder refusedOverMax = new LongAdder();
    private final LongAdder refusedOverPerAddress = new LongAdder();
    private final AtomicLong lastReport = new AtomicLong(System.nanoTime() - REPORT_EVERY_NANOS);
    private final AtomicLong refusedSinceReport = new AtomicLong();

    public AcceptGate(ConnectionLimits limits) {
        this.limits = limits;
    }

    public ConnectionLimits limits() {
        return limits;
    }

    /** Connections open now, over every listener. */
    public int open() {
        return open.get();
    }

    /** Connections closed at accept since the start because {@code max} were open. */
    public long refusedOverMax() {
        return refusedOverMax.sum();
    }

    /** Connections closed at accept since the start because their address held {@code perAddress}. */
    public long refusedOverPerAddress() {
        return refusedOverPerAddress.sum();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        Channel accepted = (Channel) msg;
        InetAddress address = clientAddress(accepted.remoteAddress());
        if (!admitted(address)) {
            accepted.unsafe().closeForcibly();
            return;
        }
        accepted.closeFuture().addListener(closed -> release(address));
        ctx.fireChannelRead(accepted);
    }

    private boolean admitted(InetAddress address) {
        if (open.incrementAndGet() > limits.max()) {
            open.decrementAndGet();
            refused(refusedOverMax, "the gateway holds connections.max = " + limits.max());
            return false;
        }
        if (address != null && !takeAddressSlot(address)) {
            open.decrementAndGet();
            refused(refusedOverPerAddress, address.getHostAddress() + " holds connections.perAddress = "
                    + limits.perAddress());
            return false;
        }
        return true;
    }

    private boolean takeAddressSlot(InetAddress address) {
        boolean[] taken = {false};
        openByAddress.compute(address, (key, count) -> {
            int held = count == null ? 0 : count;
            if (held >= limits.perAddress()) {
                return count;
            }
            taken[0] = true;
            return held + 1;
        });
        return taken[0];
    }

    private void release(InetAddress address) {
        if (address != null) {
            openByAddress.computeIfPresent(address, (key, count) -> count == 1 ? null : count - 1);
        }
        open.decrementAndGet();
    }

    /** One WARN per 10 s at most: a flood of refusals must not become a flood of log lines. */
    private void refused(LongAdder counter, String why) {
        counter.increment();
        long refused = refusedSinceReport.incrementAndGet();
        long now = System.nanoTime();
        long last = lastReport.get();
        if (now - last >= REPORT_EVERY_NANOS && lastReport.compareAndSet(last, now)) {
            refusedSinceReport.addAndGet(-refused);
            LOG.warn("refused {} new connection(s) at accept since the last such warning, the latest because {} (README: \"Connection limits\")",
                    refused, why);
        }
    }

    /** A client's IP address; null for a Unix domain socket, which no per-address limit applies to. */
    private static InetAddress clientAddress(SocketAddress remote) {
        return remote instanceof InetSocketAddress inet ? inet.getAddress() : null;
    }
}
