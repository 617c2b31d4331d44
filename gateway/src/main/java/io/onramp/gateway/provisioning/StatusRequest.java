package io.onramp.gateway.provisioning;

/** A poll of an operation, or (operationId null) a read of the registration state. */
public record StatusRequest(String idScope, String registrationId, String operationId, DeviceCredential credential) {}
