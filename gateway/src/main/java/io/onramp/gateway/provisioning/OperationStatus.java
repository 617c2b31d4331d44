package io.onramp.gateway.provisioning;

/**
 * The answer to register and to a poll: {@code assigning} while the operation runs, else the
 * terminal registration state.
 */
public record OperationStatus(String operationId, RegistrationStatus status, RegistrationRecord registration) {

    /** What every head tells a client to wait before polling: Java needs an integer in 2..5, 3 suits every SDK (spec 3). */
    public static final int RETRY_AFTER_SECONDS = 3;

    public boolean terminal() {
        return status.terminal();
    }
}
