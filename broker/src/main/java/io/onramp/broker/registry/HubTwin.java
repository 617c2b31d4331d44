package io.onramp.broker.registry;

import io.onramp.broker.twin.TwinDocument;

/** A device's identity with its twin: what the service reads at {@code GET /twins/{id}}. */
public record HubTwin(DeviceIdentity identity, TwinDocument twin) {}
