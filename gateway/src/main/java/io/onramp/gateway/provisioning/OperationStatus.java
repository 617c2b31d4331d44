package io.onramp.gateway.provisioning;

/**
 * The answer to register and to a poll: {@code assigning} while the operation runs, else the
 * terminal registration state.
 */
public record OperationStatus(String operationId, RegistrationStatus status, RegistrationRecord registration) {

    public boolean terminal() {
        return status.terminal();
    }
}
