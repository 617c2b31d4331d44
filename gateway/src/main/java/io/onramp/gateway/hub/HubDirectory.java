package io.onramp.gateway.hub;

import io.vertx.core.Future;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;

/** The client to use for each hub host name. */
public final class HubDirectory {

    private final Map<String, HubClient> clients = new ConcurrentHashMap<>();

    public void put(String hostName, HubClient client) {
        clients.put(hostName.toLowerCase(Locale.ROOT), client);
    }

    /** Makes the hub's client only if it has none: a hub that joins while the gateway runs. */
    public void putIfAbsent(String hostName, Supplier<HubClient> client) {
        clients.computeIfAbsent(hostName.toLowerCase(Locale.ROOT), k -> client.get());
    }

    public HubClient client(String hostName) {
        HubClient client = clients.get(hostName.toLowerCase(Locale.ROOT));
        if (client == null) {
            throw new IllegalStateException("no client for hub " + hostName);
        }
        return client;
    }

    /** Whether the hub's client writes to the registration store (false for a hub without a client). */
    public boolean sharesRegistrationStore(String hostName) {
        HubClient client = clients.get(hostName.toLowerCase(Locale.ROOT));
        return client != null && client.sharesRegistrationStore();
    }

    /** Calls the hub's client; a hub without one (not in the config) is a failed future, not an exception. */
    public <T> Future<T> call(String hostName, Function<HubClient, Future<T>> call) {
        try {
            return call.apply(client(hostName));
        } catch (RuntimeException e) {
            return Future.failedFuture(e);
        }
    }
}
