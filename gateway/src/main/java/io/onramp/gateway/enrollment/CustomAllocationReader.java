package io.onramp.gateway.enrollment;

import io.onramp.gateway.config.ConfigNode;
import io.onramp.policy.allocation.AllocationPolicyKind;
import io.onramp.policy.allocation.CustomAllocationDefinition;
import java.util.Set;

/** Reads {@code customAllocationDefinition} (spec 4.7) and its rule that {@code custom} needs one. */
final class CustomAllocationReader {

    private CustomAllocationReader() {}

    /** The definition, or null when absent or broken (then a problem is reported on the node). */
    static CustomAllocationDefinition read(ConfigNode node, AllocationPolicyKind policy) {
        if (node.isMissing()) {
            if (policy == AllocationPolicyKind.CUSTOM) {
                node.problem("is required when allocationPolicy is 'custom'");
            }
            return null;
        }
        if (!node.isObject()) {
            node.problem("must be an object {webhookUrl, apiVersion}");
            return null;
        }
        node.allowOnly(Set.of("webhookUrl", "apiVersion"));
        String url = nonEmptyString(node.field("webhookUrl"));
        String apiVersion = nonEmptyString(node.field("apiVersion"));
        if (url != null && !CustomAllocationDefinition.isHttpUrl(url)) {
            // Not echoed: an Azure Function's URL carries its key.
            node.field("webhookUrl").problem("must be an absolute http or https URL");
            return null;
        }
        return url == null || apiVersion == null ? null : new CustomAllocationDefinition(url, apiVersion);
    }

    /** Strictly a string: ConfigNode.asText would take a number or a boolean as its text. */
    private static String nonEmptyString(ConfigNode field) {
        if (field.isMissing()) {
            field.problem("is required");
            return null;
        }
        if (!field.isText()) {
            field.problem("must be a string");
            return null;
        }
        if (field.asText().isBlank()) {
            field.problem("must not be empty");
            return null;
        }
        return field.asText();
    }
}
