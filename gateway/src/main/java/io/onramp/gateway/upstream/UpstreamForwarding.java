package io.onramp.gateway.upstream;

import io.onramp.broker.hub.TelemetryBus;
import io.onramp.gateway.config.GatewayConfig.HubConfig;
import io.onramp.gateway.store.TelemetryOutbox;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The upstream forwarders of the hubs hosted here that have {@code upstream} in the config: for each, an outbox on
 * disk under {@code dataDir/upstream/<hub host name>} and the MQTT connection that empties it. Opened with the store,
 * plugged into the hubs' telemetry once the broker exists, closed after the listeners (no device left to add).
 */
public final class UpstreamForwarding implements AutoCloseable {

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
    }

    private final List<Upstream> upstreams;

    private UpstreamForwarding(List<Upstream> upstreams) {
        this.upstreams = upstreams;
    }

    /** Opens the outboxes (blocking: each counts what an earlier run left); nothing is sent before {@link #start}. */
    public static UpstreamForwarding open(Vertx vertx, Path dataDir, List<HubConfig> hubs) {
        List<Upstream> upstreams = new ArrayList<>();
        for (HubConfig hub : hubs) {
            if (!hub.hosted() || hub.upstream() == null) {
                continue;
            }
            try {
                TelemetryOutbox outbox = TelemetryOutbox.open(vertx, directory(dataDir, hub), hub.upstream().outboxBytes(),
                        hub.name());
                upstreams.add(new Upstream(hub, outbox, new MqttUpstream(vertx, hub.name(), hub.upstream(), outbox),
                        new OutboxForwarder(hub.name(), hub.upstream().topicPrefix(), outbox)));
            } catch (IOException e) {
                upstreams.forEach(opened -> opened.outbox().close());
                throw new UncheckedIOException("hub " + hub.name() + ": cannot open its upstream outbox", e);
            }
        }
        return new UpstreamForwarding(List.copyOf(upstreams));
    }

    static Path directory(Path dataDir, HubConfig hub) {
        return dataDir.resolve("upstream").resolve(hub.hostName().toLowerCase(Locale.ROOT));
    }

    /** Hands each hub's telemetry to its outbox, and starts sending. */
    public void start(TelemetryBus telemetry) {
        for (Upstream upstream : upstreams) {
            telemetry.plug(upstream.hub().hostName(), upstream.forwarder());
            upstream.sender().start();
        }
    }

    public List<Upstream> upstreams() {
        return upstreams;
    }

    /** Disconnects and closes the outboxes: what is not delivered waits there for the next start. Blocking. */
    @Override
    public void close() {
        for (Upstream upstream : upstreams) {
            upstream.sender().stop();
            upstream.outbox().close();
        }
    }
}
