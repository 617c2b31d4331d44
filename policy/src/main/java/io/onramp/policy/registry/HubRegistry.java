package io.onramp.policy.registry;

import java.util.List;
import java.util.Optional;

/**
 * Port to the set of linked hubs. Implementations (config-backed, clustered) live outside this
 * module; each call returns an immutable snapshot, so one registration sees one consistent set.
 */
public interface HubRegistry {

    /** The linked hubs at this moment; immutable, never null. */
    List<HubDescriptor> hubs();

    /** The linked hub with this host name, compared case-insensitively as DNS names are. */
    default Optional<HubDescriptor> byHostName(String host) {
        if (host == null) {
            return Optional.empty();
        }
        for (HubDescriptor hub : hubs()) {
            if (hub.hostName().equalsIgnoreCase(host)) {
                return Optional.of(hub);
            }
        }
        return Optional.empty();
    }
}
