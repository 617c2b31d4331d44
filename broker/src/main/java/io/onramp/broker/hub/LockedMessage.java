package io.onramp.broker.hub;

/** A cloud-to-device message handed to a device that polls, and the lock token it settles it by (its ETag over HTTPS). */
public record LockedMessage(String lockToken, CloudDelivery delivery) {}
