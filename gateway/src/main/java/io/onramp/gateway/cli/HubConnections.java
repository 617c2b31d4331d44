package io.onramp.gateway.cli;

import io.onramp.broker.registry.DeviceStatus;
import io.onramp.gateway.config.GatewayConfig;
import io.onramp.gateway.config.GatewayConfig.HubConfig;
import io.onramp.gateway.http.HubServiceAuthenticator;
import io.onramp.gateway.hub.HubRestClient;
import io.onramp.gateway.hub.LinkedHubFailure;
import io.onramp.gateway.hub.RemoteHubClient;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * How the command line reaches a hub's registry API: a hub hosted here through this gateway's own
 * HTTPS listener, signed with its owner key and trusting the gateway's CA; a hub elsewhere through
 * its connection string, as the gateway itself does.
 */
final class HubConnections {

    private HubConnections() {}

    /** The configured hub with this name or host name (case aside). */
    static Optional<HubConfig> find(GatewayConfig config, String nameOrHostName) {
        return config.hubs().stream().filter(h -> h.isCalled(nameOrHostName)).findFirst();
    }

    static HubRestClient open(Vertx vertx, GatewayConfig config, HubConfig hub) {
        if (!hub.hosted()) {
            return HubRestClient.linked(vertx, Clock.systemUTC(), hub.remote());
        }
        String address = LocalGateway.address(config);
        Path trust = LocalGateway.trustedCa(config);
        return new HubRestClient(vertx, Clock.systemUTC(), hub.hostName(), HubServiceAuthenticator.OWNER_POLICY,
                hub.ownerKey(), trust, SocketAddress.inetSocketAddress(config.listen().https(), address));
    }

    /** One GET on a hub's registry API, through a client opened for it and closed after: the body of a 2xx answer. */
    static Future<Buffer> get(Vertx vertx, GatewayConfig config, HubConfig hub, String path) {
        return withClient(vertx, config, hub, client -> client.send(HttpMethod.GET, path, null, Map.of()));
    }

    /** One PUT of a JSON document on a hub's registry API: the body of the 2xx answer. */
    static Future<Buffer> put(Vertx vertx, GatewayConfig config, HubConfig hub, String path, JsonObject body) {
        return withClient(vertx, config, hub, client -> client.send(HttpMethod.PUT, path, body, Map.of()));
    }

    /** A device enabled or disabled at its hub ({@link RemoteHubClient#setStatus}): the identity as the hub now holds it. */
    static Future<JsonObject> setStatus(Vertx vertx, GatewayConfig config, HubConfig hub, String deviceId,
            DeviceStatus status, String statusReason) {
        return withClient(vertx, config, hub,
                client -> new RemoteHubClient(client, Clock.systemUTC()).setStatus(deviceId, status, statusReason));
    }

    /**
     * A linked hub that cannot be reached or refuses the connection string's key, as a {@link CommandException}
     * naming that hub and what to check: not the "is the gateway running?" of a refused connection to this
     * gateway's own listener, nor "HubException: Unauthorized". Other failures (a 404 for a device the hub does
     * not know) stay as they are, for the command to act on.
     */
    static Throwable explained(GatewayConfig config, HubConfig hub, Throwable failure) {
        if (hub.hosted() || !LinkedHubFailure.isAboutTheLink(failure)) {
            return failure;
        }
        return new CommandException(LinkedHubFailure.describe(hub, config.hubs().indexOf(hub), failure));
    }

    private static <T> Future<T> withClient(Vertx vertx, GatewayConfig config, HubConfig hub,
            Function<HubRestClient, Future<T>> call) {
        HubRestClient client = open(vertx, config, hub);
        return EventLoopCall.on(vertx.getOrCreateContext(), () -> call.apply(client))
                .recover(failure -> Future.failedFuture(explained(config, hub, failure)))
                .eventually(() -> {
                    client.close();
                    return Future.succeededFuture();
                });
    }
}
