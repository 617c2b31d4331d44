package io.onramp.gateway.error;

import io.onramp.gateway.provisioning.OperationStatus;
import java.util.Map;
import org.apache.qpid.proton.amqp.Symbol;
import org.apache.qpid.proton.amqp.messaging.Rejected;
import org.apache.qpid.proton.amqp.transport.AmqpError;
import org.apache.qpid.proton.amqp.transport.ErrorCondition;
import org.apache.qpid.proton.amqp.transport.LinkError;

/**
 * The single mapping of a failed DPS request to the AMQP wire (dps-device-protocol.md 8.8): a {@code rejected}
 * outcome whose error description is the Azure error body of 2.5 (C# parses it as JSON) and, for 429 and 5xx, an
 * info map with {@code retry-after} (Node) and {@code Retry-After} (C#), after which those clients try again.
 */
public final class AmqpErrors {

    private AmqpErrors() {}

    public static Rejected rejected(ProvisioningException error, String trackingId) {
        ErrorCondition condition = new ErrorCondition(condition(error.status()), HttpErrors.body(error, trackingId).encode());
        if (error.status() == 429 || error.status() >= 500) {
            condition.setInfo(Map.of(Symbol.valueOf("retry-after"), OperationStatus.RETRY_AFTER_SECONDS,
                    Symbol.valueOf("Retry-After"), OperationStatus.RETRY_AFTER_SECONDS));
        }
        Rejected rejected = new Rejected();
        rejected.setError(condition);
        return rejected;
    }

    /** The standard AMQP condition nearest to the HTTP class (Node tells throttling and internal errors by it). */
    static Symbol condition(int status) {
        return switch (status) {
            case 401, 403 -> AmqpError.UNAUTHORIZED_ACCESS;
            case 404 -> AmqpError.NOT_FOUND;
            case 412 -> AmqpError.PRECONDITION_FAILED;
            case 413 -> LinkError.MESSAGE_SIZE_EXCEEDED;
            case 429 -> AmqpError.RESOURCE_LIMIT_EXCEEDED;
            default -> status >= 500 ? AmqpError.INTERNAL_ERROR : AmqpError.INVALID_FIELD;
        };
    }
}
