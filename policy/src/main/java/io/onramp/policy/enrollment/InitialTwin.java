package io.onramp.policy.enrollment;

import java.util.Map;

/**
 * The twin a device gets on its hub at first assignment (service API {@code initialTwin}: {@code tags}
 * and {@code properties.desired}). Values are JSON-like: String, Number, Boolean, null, Map, List.
 * Both maps are deep-copied into unmodifiable structures, so an instance is safe to share.
 *
 * @param tags              twin tags; null becomes empty
 * @param desiredProperties desired properties; null becomes empty
 */
public record InitialTwin(Map<String, Object> tags, Map<String, Object> desiredProperties) {

    public static final InitialTwin EMPTY = new InitialTwin(Map.of(), Map.of());

    public InitialTwin {
        tags = JsonValues.copyObject(tags, "initialTwin.tags");
        desiredProperties = JsonValues.copyObject(desiredProperties, "initialTwin.properties.desired");
    }

    /** True when neither tags nor desired properties are set. */
    public boolean isEmpty() {
        return tags.isEmpty() && desiredProperties.isEmpty();
    }
}
