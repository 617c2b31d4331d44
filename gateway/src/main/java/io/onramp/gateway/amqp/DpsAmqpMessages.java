package io.onramp.gateway.amqp;

import io.onramp.gateway.error.ProvisioningException;
import io.onramp.gateway.provisioning.OperationStatus;
import io.onramp.gateway.provisioning.RegistrationJson;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.apache.qpid.proton.Proton;
import org.apache.qpid.proton.amqp.Binary;
import org.apache.qpid.proton.amqp.messaging.AmqpValue;
import org.apache.qpid.proton.amqp.messaging.ApplicationProperties;
import org.apache.qpid.proton.amqp.messaging.Data;
import org.apache.qpid.proton.amqp.messaging.Section;
import org.apache.qpid.proton.message.Message;

/**
 * DPS request and response messages over AMQP (dps-device-protocol.md 8.6, 8.7): what a device asks, read from the
 * application properties and the body, and the answer as the SDKs need it. No provisioning logic lives here.
 */
final class DpsAmqpMessages {

    static final String OPERATION_TYPE = "iotdps-operation-type";
    static final String OPERATION_ID = "iotdps-operation-id";
    static final String FORCE_REGISTRATION = "iotdps-forceRegistration";
    static final String REGISTER = "iotdps-register";
    static final String OPERATION_STATUS = "iotdps-get-operationstatus";

    private DpsAmqpMessages() {}

    sealed interface Request {
        /** The request's correlation-id, copied onto its answer; null when it had none (Java, C). */
        Object correlationId();
    }

    /** @param body the JSON text of the DeviceRegistration */
    record Register(String body, boolean forceRegistration, Object correlationId) implements Request {}

    record Status(String operationId, Object correlationId) implements Request {}

    /** Fails with 400004 (rejected with the error JSON) when the message is no DPS request. */
    static Request parse(Message message) {
        Map<?, ?> properties = message.getApplicationProperties() == null ? Map.of()
                : message.getApplicationProperties().getValue();
        Object correlationId = message.getCorrelationId();
        Object type = properties.get(OPERATION_TYPE);
        if (REGISTER.equals(type)) {
            // Node and C# send the flag (normally false); Java and C leave it out.
            return new Register(body(message), Boolean.TRUE.equals(properties.get(FORCE_REGISTRATION)), correlationId);
        }
        if (OPERATION_STATUS.equals(type)) {
            // The body is ignored: Java sends none, Node an empty string, C the registration JSON.
            if (!(properties.get(OPERATION_ID) instanceof String operationId) || operationId.isEmpty()) {
                throw ProvisioningException.badRequest("The application property " + OPERATION_ID
                        + " must name the operation to look up.");
            }
            return new Status(operationId, correlationId);
        }
        throw ProvisioningException.badRequest("The application property " + OPERATION_TYPE + " must be " + REGISTER
                + " or " + OPERATION_STATUS + ".");
    }

    /** Every SDK sends the register body as one data section; an amqp-value string or binary is taken too. */
    private static String body(Message message) {
        Section body = message.getBody();
        Object content = body instanceof Data data ? data.getValue()
                : body instanceof AmqpValue value ? value.getValue() : null;
        if (content instanceof String text) {
            return text;
        }
        if (content instanceof Binary binary) {
            try {
                return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(binary.getArray(), binary.getArrayOffset(), binary.getLength())).toString();
            } catch (CharacterCodingException e) {
                throw ProvisioningException.badRequest("The request body is not UTF-8 JSON.");
            }
        }
        throw ProvisioningException.badRequest("The request body must be one data section with the registration JSON.");
    }

    /**
     * The answer: exactly one data section with the JSON of 2.2 (Java casts the body to Data), the request's
     * correlation-id (Node matches by it alone), and while assigning {@code retry-after} for Java, Node and C and
     * {@code Retry-After} for C#.
     */
    static Message response(OperationStatus status, Object correlationId) {
        Message message = Proton.message();
        message.setBody(new Data(new Binary(RegistrationJson.operation(status).encode().getBytes(StandardCharsets.UTF_8))));
        if (correlationId != null) {
            message.setCorrelationId(correlationId);
        }
        if (!status.terminal()) {
            Map<String, Object> properties = new HashMap<>();
            properties.put("retry-after", OperationStatus.RETRY_AFTER_SECONDS);
            properties.put("Retry-After", OperationStatus.RETRY_AFTER_SECONDS);
            message.setApplicationProperties(new ApplicationProperties(properties));
        }
        return message;
    }
}
