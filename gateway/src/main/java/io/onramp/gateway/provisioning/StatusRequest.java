package io.onramp.gateway.provisioning;

/**
 * A poll of an operation, or (operationId null) a read of the registration state.
 *
 * @param clientAddress the IP address the request came from, whose refusals are throttled; null when not known
 */
public record StatusRequest(String idScope, String registrationId, String operationId, DeviceCredential credential,
        String clientAddress) {}
