package io.onramp.gateway.app;

import io.onramp.gateway.config.ConfigException;
import io.onramp.gateway.config.GatewayConfig;
import io.onramp.gateway.config.GatewayConfig.HubConfig;
import io.onramp.gateway.config.GatewayConfig.UpstreamConfig;
import io.onramp.gateway.store.JdbcEnrollmentStore;
import io.onramp.policy.enrollment.Enrollment;
import io.onramp.policy.enrollment.EnrollmentGroup;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * What a changed config file means for a running gateway. Enrollments, CA certificates, access policies, the
 * allocation policy and locations, hubs added and the hubs' weights, {@code applyAllocationPolicy}, locations and
 * owner keys apply at once;
 * what the listeners, the store or a hub's devices were built on (idScope, dataDir, listen, tls, a hub removed,
 * renamed or linked elsewhere, allocation.webhook, tpm, connections, refusedAttestations) waits for the next start,
 * and the running gateway goes on with what it had.
 *
 * @param applied     the config to run on now: the new file's reloadable parts, the running one's others
 * @param changed     the reloadable settings that changed, by their names in the file (enrollments aside: the
 *                    store says which of those changed)
 * @param needRestart the settings that changed but take effect at the next start
 * @param addedHubs   the hubs that join now
 */
record ConfigDiff(GatewayConfig applied, List<String> changed, List<String> needRestart, List<HubConfig> addedHubs) {

    static ConfigDiff of(String source, GatewayConfig running, GatewayConfig next) {
        List<String> needRestart = new ArrayList<>();
        addIfChanged(needRestart, "idScope", running.idScope(), next.idScope());
        addIfChanged(needRestart, "dataDir", running.dataDir(), next.dataDir());
        addIfChanged(needRestart, "listen", running.listen(), next.listen());
        addIfChanged(needRestart, "tls", running.tls(), next.tls());
        HubSetChange hubChange = HubSetChange.of(running.hubs(), next.hubs());
        if (!hubChange.waiting().isEmpty()) {
            needRestart.add("hubs (" + String.join(", ", hubChange.waiting()) + ")");
        }
        addIfChanged(needRestart, "allocation.webhook", running.allocationWebhook(), next.allocationWebhook());
        addIfChanged(needRestart, "tpm", running.tpm(), next.tpm());
        addIfChanged(needRestart, "connections", running.connections(), next.connections());
        addIfChanged(needRestart, "refusedAttestations", running.refusedAttestations(), next.refusedAttestations());
        List<HubConfig> hubs = hubChange.applied();
        refuseEnrollmentsOfMissingHubs(source, next, hubs);

        List<String> changed = new ArrayList<>();
        addIfChanged(changed, "accessPolicies", running.accessPolicies(), next.accessPolicies());
        addIfChanged(changed, "caCertificates", running.caCertificates(), next.caCertificates());
        if (running.allocationPolicy() != next.allocationPolicy()) {
            changed.add("allocation.policy " + running.allocationPolicy().wireName() + " -> " + next.allocationPolicy().wireName());
        }
        addIfChanged(changed, "allocation.locations", running.allocationLocations(), next.allocationLocations());
        for (int i = 0; i < running.hubs().size(); i++) {
            describeHubChange(changed, running.hubs().get(i), hubs.get(i));
        }
        hubChange.added().forEach(hub -> changed.add("hub " + hub.name() + " (" + hub.hostName() + ") added"));
        GatewayConfig applied = new GatewayConfig(running.idScope(), running.dataDir(), running.listen(), running.tls(),
                next.accessPolicies(), hubs, next.allocationPolicy(), running.allocationWebhook(), next.allocationLocations(),
                next.enrollmentGroups(), next.individualEnrollments(),
                next.caCertificates(), running.tpm(), running.connections(), running.refusedAttestations(),
                next.secretOrigins());
        return new ConfigDiff(applied, List.copyOf(changed), List.copyOf(needRestart), hubChange.added());
    }

    /** "upstream mqtt://a:1883 -> mqtts://b:8883", "upstream … added", "upstream … (its settings)": never a password. */
    private static String upstreamChange(UpstreamConfig before, UpstreamConfig after) {
        if (before == null) {
            return "upstream " + after.address() + " added";
        }
        if (after == null) {
            return "upstream " + before.address() + " removed";
        }
        if (!before.address().equals(after.address())) {
            return "upstream " + before.address() + " -> " + after.address();
        }
        return "upstream " + after.address() + " (its settings)";
    }

    /** "hub line-b: weight 1 -> 3", "hub line-a: ownerKey" (the key itself stays out of the log). */
    private static void describeHubChange(List<String> changed, HubConfig before, HubConfig after) {
        List<String> what = new ArrayList<>();
        if (before.weight() != after.weight()) {
            what.add("weight " + before.weight() + " -> " + after.weight());
        }
        if (before.applyAllocationPolicy() != after.applyAllocationPolicy()) {
            what.add("applyAllocationPolicy " + before.applyAllocationPolicy() + " -> " + after.applyAllocationPolicy());
        }
        if (!Objects.equals(before.location(), after.location())) {
            what.add("location " + before.location() + " -> " + after.location());
        }
        if (!Objects.equals(before.ownerKey(), after.ownerKey())) {
            what.add("ownerKey");
        }
        if (!Objects.equals(before.upstream(), after.upstream())) {
            what.add(upstreamChange(before.upstream(), after.upstream()));
        }
        if (!what.isEmpty()) {
            changed.add("hub " + after.name() + ": " + String.join(", ", what));
        }
    }

    /**
     * An enrollment naming a hub this gateway gets only at its next start would fail every registration until then
     * (400208): the whole file waits, rather than half of it applying.
     */
    private static void refuseEnrollmentsOfMissingHubs(String source, GatewayConfig next, List<HubConfig> hubs) {
        List<String> problems = new ArrayList<>();
        Stream.concat(next.enrollmentGroups().stream(), next.individualEnrollments().stream()).forEach(e -> {
            for (String host : namedHubs(e)) {
                if (hubs.stream().noneMatch(h -> h.hostName().equalsIgnoreCase(host))) {
                    problems.add((e instanceof EnrollmentGroup ? "enrollmentGroups: " : "individualEnrollments: ")
                            + JdbcEnrollmentStore.id(e) + " names hub " + host + ", which this gateway has only after a"
                            + " restart: restart it to apply the file");
                }
            }
        });
        if (!problems.isEmpty()) {
            throw new ConfigException(source, problems);
        }
    }

    private static List<String> namedHubs(Enrollment e) {
        List<String> named = new ArrayList<>(e.iotHubs() == null ? List.of() : e.iotHubs());
        if (e.iotHubHostName() != null) {
            named.add(e.iotHubHostName());
        }
        return named;
    }

    private static void addIfChanged(List<String> names, String name, Object running, Object next) {
        if (!Objects.equals(running, next)) {
            names.add(name);
        }
    }
}
