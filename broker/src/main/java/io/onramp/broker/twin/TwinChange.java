package io.onramp.broker.twin;

import io.vertx.core.json.JsonObject;

/**
 * The outcome of a service write to a twin: the new twin and, when desired properties were written,
 * the patch a connected device must hear (without {@code $version}); null when they were not.
 */
public record TwinChange(TwinDocument twin, JsonObject desiredPatch) {

    public boolean desiredChanged() {
        return desiredPatch != null;
    }
}
