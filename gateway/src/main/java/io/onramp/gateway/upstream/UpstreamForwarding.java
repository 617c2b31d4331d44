package io.onramp.gateway.upstream;

import io.onramp.broker.hub.TelemetryBus;
import io.onramp.gateway.config.GatewayConfig.HubConfig;
import io.onramp.gateway.store.TelemetryOutbox;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The upstream forwarders of the hubs hosted here that have {@code upstream} in the config: for each, an outbox on
 * disk under {@code dataDir/upstream/<hub host name>} and the MQTT connection that empties it. Opened with the store,
 * plugged into the hubs' telemetry once the broker exists, changed as the config file changes ({@link #use}), closed
 * after the listeners (no device left to add).
 */
public final class UpstreamForwarding implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(UpstreamForwarding.class);
    private static final long STOP_SECONDS = 10;

    /** One hub's forwarder, for the metrics. */
    public record Upstream(HubConfig hub, TelemetryOutbox outbox, MqttUpstream sender, OutboxForwarder forwarder) {

        public boolean connected() {
            return sender.connected();
        }

        public long forwarded() {
            return sender.forwarded();
        }

        public long refused() {
            return forwarder.refused();
        }

        public long dropped() {
            return sender.dropped();
        }
    }

    private final Vertx vertx;
    private final Path dataDir;
    private final List<Upstream> upstreams = new CopyOnWriteArrayList<>();
    private TelemetryBus telemetry;

    private UpstreamForwarding(Vertx vertx, Path dataDir) {
        this.vertx = vertx;
        this.dataDir = dataDir;
    }

    /** Opens the outboxes (blocking: each counts what an earlier run left); nothing is sent before {@link #start}. */
    public static UpstreamForwarding open(Vertx vertx, Path dataDir, List<HubConfig> hubs) {
        UpstreamForwarding forwarding = new UpstreamForwarding(vertx, dataDir);
        for (HubConfig hub : forwarding(hubs).values()) {
            try {
                forwarding.upstreams.add(forwarding.open(hub));
            } catch (IOException e) {
                forwarding.upstreams.forEach(opened -> opened.outbox().close());
                throw new UncheckedIOException("hub " + hub.name() + ": cannot open its upstream outbox", e);
            }
        }
        return forwarding;
    }

    /** Hands each hub's telemetry to its outbox, and starts sending. */
    public synchronized void start(TelemetryBus bus) {
        this.telemetry = bus;
        upstreams.forEach(this::plug);
    }

    /**
     * Applies the hubs of a changed config file (blocking): a hub given an upstream starts forwarding, a hub whose
     * upstream changed reconnects with the new settings and sends again what its outbox holds undelivered, a hub
     * whose upstream was taken away stops forwarding (what it held stays on disk, for an upstream given again).
     * A hub whose outbox cannot be opened is logged and left without forwarding.
     */
    public synchronized void use(List<HubConfig> hubs) {
        Map<String, HubConfig> wanted = forwarding(hubs);
        for (Upstream running : upstreams) {
            HubConfig next = wanted.remove(key(running.hub()));
            if (next == null) {
                remove(running);
            } else if (!Objects.equals(next.upstream(), running.hub().upstream())) {
                replace(running, next);
            }
        }
        for (HubConfig hub : wanted.values()) {
            try {
                Upstream added = open(hub);
                upstreams.add(added);
                plug(added);
            } catch (IOException e) {
                LOG.error("hub {}: cannot open its upstream outbox in {}; its telemetry is not forwarded", hub.name(),
                        directory(dataDir, hub), e);
            }
        }
    }

    /** The forwarders as they are now. */
    public List<Upstream> upstreams() {
        return List.copyOf(upstreams);
    }

    /** Disconnects and closes the outboxes: what is not delivered waits there for the next start. Blocking. */
    @Override
    public synchronized void close() {
        for (Upstream upstream : upstreams) {
            awaitStopped(upstream);
            upstream.outbox().close();
        }
    }

    private Upstream open(HubConfig hub) throws IOException {
        TelemetryOutbox outbox = TelemetryOutbox.open(vertx, directory(dataDir, hub), hub.upstream().outboxBytes(),
                hub.name());
        return withSender(hub, outbox);
    }

    private Upstream withSender(HubConfig hub, TelemetryOutbox outbox) {
        return new Upstream(hub, outbox, new MqttUpstream(vertx, hub.name(), hub.upstream(), outbox),
                new OutboxForwarder(hub.name(), outbox));
    }

    private void plug(Upstream upstream) {
        telemetry.plug(upstream.hub().hostName(), upstream.forwarder());
        upstream.sender().start();
    }

    private void replace(Upstream running, HubConfig next) {
        awaitStopped(running);
        running.outbox().rewind();
        running.outbox().limit(next.upstream().outboxBytes());
        Upstream replaced = withSender(next, running.outbox());
        upstreams.set(upstreams.indexOf(running), replaced);
        plug(replaced);
        LOG.info("hub {}: upstream now {}; {} telemetry messages in the outbox are sent there", next.name(),
                next.upstream().address(), running.outbox().waitingCount());
    }

    private void remove(Upstream running) {
        telemetry.unplug(running.hub().hostName());
        awaitStopped(running);
        running.outbox().close();
        upstreams.remove(running);
        long left = running.outbox().waitingCount();
        if (left > 0) {
            LOG.warn("hub {}: forwarding upstream stopped with {} telemetry messages not delivered; they stay in {}"
                    + " and are sent if an upstream is given again", running.hub().name(), left,
                    directory(dataDir, running.hub()));
        } else {
            LOG.info("hub {}: forwarding upstream stopped, every message delivered", running.hub().name());
        }
    }

    private static void awaitStopped(Upstream upstream) {
        try {
            upstream.sender().stop().toCompletionStage().toCompletableFuture().get(STOP_SECONDS, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("hub {}: the upstream connection did not close in {} s; going on", upstream.hub().name(), STOP_SECONDS);
        }
    }

    /** The hosted hubs that forward, by host name. */
    private static Map<String, HubConfig> forwarding(List<HubConfig> hubs) {
        Map<String, HubConfig> forwarding = new LinkedHashMap<>();
        for (HubConfig hub : hubs) {
            if (hub.hosted() && hub.upstream() != null) {
                forwarding.put(key(hub), hub);
            }
        }
        return forwarding;
    }

    private static String key(HubConfig hub) {
        return hub.hostName().toLowerCase(Locale.ROOT);
    }

    static Path directory(Path dataDir, HubConfig hub) {
        return dataDir.resolve("upstream").resolve(key(hub));
    }
}
