package io.onramp.broker.registry;

import io.onramp.broker.twin.TwinChange;

/** A service write to a twin, done: the identity, and the change with the desired patch to notify. */
public record TwinWrite(DeviceIdentity identity, TwinChange change) {}
