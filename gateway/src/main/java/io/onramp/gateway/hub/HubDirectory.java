package io.onramp.gateway.hub;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The client to use for each hub host name. */
public final class HubDirectory {

    private final Map<String, HubClient> clients = new ConcurrentHashMap<>();

    public void put(String hostName, HubClient client) {
        clients.put(hostName.toLowerCase(Locale.ROOT), client);
    }

    public HubClient client(String hostName) {
        HubClient client = clients.get(hostName.toLowerCase(Locale.ROOT));
        if (client == null) {
            throw new IllegalStateException("no client for hub " + hostName);
        }
        return client;
    }
}
