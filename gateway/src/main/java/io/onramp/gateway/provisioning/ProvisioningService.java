package io.onramp.gateway.provisioning;

import io.vertx.core.Future;

/**
 * The provisioning core, shared by every protocol head. Failures are {@link
 * io.onramp.gateway.error.ProvisioningException}s: 400004 bad argument, 401002 unauthorized (for any
 * authentication problem: wrong scope, unknown registration, bad or expired token), 404203 unknown
 * operation, 404202 no registration state yet.
 */
public interface ProvisioningService {

    /** Starts (or joins) the registration; answers once it is terminal or has run for a short while. */
    Future<OperationStatus> register(RegistrationRequest request);

    /** Polls an operation started by register. */
    Future<OperationStatus> operationStatus(StatusRequest request);

    /**
     * Checks that a device proves its registration ID, without starting anything (MQTT CONNECT, AMQP SASL); {@code
     * clientAddress} (null when not known) is charged if it does not.
     */
    Future<Void> authenticate(String clientAddress, String idScope, String registrationId, DeviceCredential credential);

    /** Reads the durable registration state of a device that authenticates. */
    Future<RegistrationRecord> registrationState(StatusRequest request);
}
