package io.onramp.gateway.hub;

import io.onramp.gateway.config.GatewayConfig.HubConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks each linked hub once, at start, for one device ({@code GET /devices?top=1}, signed with its connection
 * string's key), so that an unreachable hub, a wrong key or an untrusted certificate is said at start, naming the
 * hub, instead of by the first device assigned to it. A failure is a warning: the start goes on, since the hub
 * may come up later.
 */
public final class LinkedHubProbe {

    private static final Logger LOG = LoggerFactory.getLogger(LinkedHubProbe.class);

    private LinkedHubProbe() {}

    /** Probes every hub of {@code hubs} given by connection string; completes (never fails) when all have answered or failed. */
    public static Future<Void> probe(Vertx vertx, Clock clock, List<HubConfig> hubs) {
        List<Future<Void>> probes = new ArrayList<>();
        for (int i = 0; i < hubs.size(); i++) {
            if (!hubs.get(i).hosted()) {
                probes.add(probe(vertx, clock, hubs.get(i), i));
            }
        }
        return Future.join(probes).transform(ignored -> Future.succeededFuture());
    }

    private static Future<Void> probe(Vertx vertx, Clock clock, HubConfig hub, int index) {
        HubRestClient client = HubRestClient.linked(vertx, clock, hub.remote());
        return client.send(HttpMethod.GET, "/devices?top=1", null, Map.of())
                .<Void>transform(outcome -> {
                    client.close();
                    if (outcome.succeeded()) {
                        LOG.info("{} answers", LinkedHubFailure.name(hub));
                    } else {
                        LOG.warn("{}; registrations assigned to it will fail until it answers",
                                LinkedHubFailure.describe(hub, index, outcome.cause()));
                    }
                    return Future.succeededFuture();
                });
    }
}
