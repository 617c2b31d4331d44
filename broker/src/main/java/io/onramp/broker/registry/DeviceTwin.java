package io.onramp.broker.registry;

import java.util.Map;

/** The twin of a device: tags and desired properties (service side), reported properties (device side). */
public record DeviceTwin(
        String hubHostName,
        String deviceId,
        Map<String, Object> tags,
        Map<String, Object> desired,
        long desiredVersion,
        Map<String, Object> reported,
        long reportedVersion) {}
