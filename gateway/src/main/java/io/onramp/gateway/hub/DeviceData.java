package io.onramp.gateway.hub;

import java.util.Map;

/**
 * What re-provisioning with {@code migrateDeviceData} carries from a device's old hub to its new one
 * (dps-service-api 13.2): tags, desired properties and capabilities. Reported properties stay behind:
 * the service side cannot write them.
 */
public record DeviceData(Map<String, Object> tags, Map<String, Object> desired, boolean iotEdge) {}
