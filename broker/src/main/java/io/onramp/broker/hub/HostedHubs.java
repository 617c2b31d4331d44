package io.onramp.broker.hub;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The hubs hosted here, found by host name without regard to case (host names are case-insensitive). Replaced
 * whole when the config file changes their owner keys: a connection authenticated before keeps going.
 */
public final class HostedHubs {

    private volatile Map<String, HostedHub> byHost;

    public HostedHubs(List<HostedHub> hubs) {
        use(hubs);
    }

    public void use(List<HostedHub> hubs) {
        this.byHost = hubs.stream().collect(Collectors.toUnmodifiableMap(h -> key(h.hostName()), Function.identity()));
    }

    public Optional<HostedHub> find(String hostName) {
        return hostName == null ? Optional.empty() : Optional.ofNullable(byHost.get(key(hostName)));
    }

    /** The host names of all hubs hosted here. */
    public List<String> hostNames() {
        return byHost.values().stream().map(HostedHub::hostName).sorted().toList();
    }

    static String key(String hostName) {
        return hostName.toLowerCase(Locale.ROOT);
    }
}
