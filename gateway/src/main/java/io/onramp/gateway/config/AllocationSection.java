package io.onramp.gateway.config;

import io.onramp.gateway.config.GatewayConfig.AllocationWebhookConfig;
import io.onramp.gateway.config.GatewayConfig.HubConfig;
import io.onramp.policy.allocation.AllocationPolicyKind;
import io.onramp.policy.allocation.NetworkLocations;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The config file's {@code allocation} section: the default policy, how custom allocation calls webhooks, and the
 * networks of each location for the lowest-latency policy. Problems are reported on the nodes, as the rest of
 * {@link ConfigLoader} reports them.
 */
final class AllocationSection {

    /** {@code custom} cannot be the default (dps-service-api 12.1): list only what is accepted. */
    private static final List<AllocationPolicyKind> DEFAULT_POLICIES = List.of(AllocationPolicyKind.HASHED,
            AllocationPolicyKind.GEO_LATENCY, AllocationPolicyKind.STATIC);

    private AllocationSection() {
    }

    /** {@code allocation.policy}, hashed when left out. */
    static AllocationPolicyKind policy(ConfigNode root) {
        ConfigNode node = root.field("allocation");
        node.allowOnly(Set.of("policy", "webhook", "locations"));
        return node.parse("policy", AllocationSection::defaultPolicy, AllocationPolicyKind.HASHED);
    }

    /** {@code allocation.webhook: { timeoutSeconds, caCertificate }}, both optional; the file relative to workingDir. */
    static AllocationWebhookConfig webhook(ConfigNode root, Path workingDir) {
        ConfigNode node = root.field("allocation").field("webhook");
        node.allowOnly(Set.of("timeoutSeconds", "caCertificate"));
        AllocationWebhookConfig defaults = AllocationWebhookConfig.DEFAULTS;
        int timeout = node.integer("timeoutSeconds", (int) defaults.timeout().toSeconds(), 1, 300);
        return new AllocationWebhookConfig(Duration.ofSeconds(timeout), CertificateFile.read(node, "caCertificate",
                workingDir));
    }

    /**
     * {@code allocation.locations}: for the lowest-latency policy, the networks devices of each location register
     * from ({@code hall-a: [10.1.0.0/16]}). A hub's location must be one of them when any is given: a typo would
     * leave the hub's devices hashed over every hub without a word.
     */
    static Map<String, List<String>> locations(ConfigNode root, List<HubConfig> hubs) {
        ConfigNode node = root.field("allocation").field("locations");
        Map<String, List<String>> locations = new LinkedHashMap<>();
        if (node.isMissing()) {
            return locations;
        }
        if (!node.isObject()) {
            node.problem("must map each location to its networks, e.g. { hall-a: [10.1.0.0/16] }");
            return locations;
        }
        node.raw().fieldNames().forEachRemaining(name -> {
            List<String> networks = node.textList(name);
            try {
                NetworkLocations.of(Map.of(name, networks));
                locations.put(name, networks);
            } catch (IllegalArgumentException e) {
                node.field(name).problem(e.getMessage());
            }
        });
        try {
            NetworkLocations.of(locations);
        } catch (IllegalArgumentException e) {
            node.problem(e.getMessage());
        }
        List<ConfigNode> items = root.list("hubs");
        for (int i = 0; i < hubs.size() && i < items.size(); i++) {
            String location = hubs.get(i).location();
            if (location != null && !locations.isEmpty()
                    && locations.keySet().stream().noneMatch(location::equalsIgnoreCase)) {
                items.get(i).field("location").problem("'" + location + "' is not one of allocation.locations ("
                        + String.join(", ", locations.keySet()) + ")");
            }
        }
        return locations;
    }

    private static AllocationPolicyKind defaultPolicy(String text) {
        for (AllocationPolicyKind kind : DEFAULT_POLICIES) {
            if (kind.wireName().equalsIgnoreCase(text)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("unknown value '" + text + "', allowed: "
                + String.join(", ", DEFAULT_POLICIES.stream().map(AllocationPolicyKind::wireName).toList()));
    }
}
