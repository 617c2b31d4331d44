package io.onramp.gateway.app;

import io.onramp.gateway.config.GatewayConfig.HubConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The hubs of a changed config file against the running ones. A hub keeps its identity (name, host name, hosted
 * here or linked to where) for as long as the gateway runs: its devices, sessions and counts hang on it. So a hub
 * new by name and host name joins at once (adding capacity is a config edit), a kept hub takes its new weight,
 * {@code applyAllocationPolicy} and owner key, and a hub removed, renamed or linked elsewhere waits for the next
 * start, running as it was meanwhile.
 *
 * @param applied the hubs to run with now: the running ones (with their new settings where their identity is
 *                unchanged), then the added ones
 * @param added   the hubs that join now
 * @param waiting one line per hub change that waits for the next start
 */
record HubSetChange(List<HubConfig> applied, List<HubConfig> added, List<String> waiting) {

    static HubSetChange of(List<HubConfig> running, List<HubConfig> next) {
        List<HubConfig> applied = new ArrayList<>();
        List<String> waiting = new ArrayList<>();
        for (HubConfig hub : running) {
            Optional<HubConfig> sameName = next.stream().filter(n -> n.name().equalsIgnoreCase(hub.name())).findFirst();
            if (sameName.isEmpty()) {
                waiting.add("hub " + hub.name() + " removed");
                applied.add(hub);
            } else if (!sameIdentity(hub, sameName.get())) {
                waiting.add("hub " + hub.name() + " given another host name or link");
                applied.add(hub);
            } else {
                applied.add(sameName.get());
            }
        }
        List<HubConfig> added = new ArrayList<>();
        for (HubConfig hub : next) {
            boolean known = running.stream().anyMatch(r -> r.name().equalsIgnoreCase(hub.name())
                    || r.hostName().equalsIgnoreCase(hub.hostName()));
            if (!known) {
                added.add(hub);
                applied.add(hub);
            } else if (running.stream().noneMatch(r -> r.name().equalsIgnoreCase(hub.name()))) {
                waiting.add("hub " + hub.name() + " (" + hub.hostName() + ", renamed)");
            }
        }
        return new HubSetChange(List.copyOf(applied), List.copyOf(added), List.copyOf(waiting));
    }

    private static boolean sameIdentity(HubConfig a, HubConfig b) {
        return a.hostName().equalsIgnoreCase(b.hostName()) && Objects.equals(a.remote(), b.remote());
    }
}
