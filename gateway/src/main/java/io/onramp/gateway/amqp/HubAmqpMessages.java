package io.onramp.gateway.amqp;

import io.onramp.broker.topic.MessageProperties;
import io.onramp.broker.twin.TwinTime;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.qpid.proton.Proton;
import org.apache.qpid.proton.amqp.Binary;
import org.apache.qpid.proton.amqp.Symbol;
import org.apache.qpid.proton.amqp.messaging.AmqpValue;
import org.apache.qpid.proton.amqp.messaging.ApplicationProperties;
import org.apache.qpid.proton.amqp.messaging.Data;
import org.apache.qpid.proton.amqp.messaging.MessageAnnotations;
import org.apache.qpid.proton.amqp.messaging.Properties;
import org.apache.qpid.proton.amqp.messaging.Section;
import org.apache.qpid.proton.message.Message;

/**
 * IoT hub device messages over AMQP (hub-device-protocol.md 4.4 to 4.7), both ways. Every message the hub sends has
 * exactly one data section: Java casts the body to {@code Data} and Node parses {@code body.content}.
 */
final class HubAmqpMessages {

    static final String OPERATION = "operation";
    static final String RESOURCE = "resource";
    static final String STATUS = "status";
    static final String VERSION = "version";
    static final String METHOD_NAME = "IoThub-methodname";
    static final String METHOD_STATUS = "IoThub-status";
    static final String DESIRED_RESOURCE = "/properties/desired";
    /** Application properties that are system properties of the message (spec 4.4). */
    private static final Set<String> SYSTEM_APPLICATION = Set.of("iothub-creation-time-utc", "iothub-outputname",
            "iothub-message-schema", "iothub-operation");
    /** Message annotations that are system properties: the interface and component of a Plug and Play message. */
    private static final Set<String> SYSTEM_ANNOTATIONS = Set.of("iothub-interface-id", "dt-subject");
    /**
     * The high half of every method request's correlation ID, whose low half is the hub's request number: Java
     * answers with {@code UUID.fromString} of what it got, so the ID must be a UUID (spec 4.7).
     */
    private static final long METHOD_ID_HIGH = 0x6f6e72616d700000L;

    private HubAmqpMessages() {
    }

    /** A device-to-cloud message's properties under hub names, and its body. */
    record Telemetry(MessageProperties properties, byte[] body) {}

    /** @throws IllegalArgumentException for a body that is neither data nor a string or binary value */
    static Telemetry telemetry(Message message) {
        Map<String, String> system = new LinkedHashMap<>();
        Properties properties = message.getProperties();
        if (properties != null) {
            put(system, "message-id", properties.getMessageId());
            put(system, "correlation-id", properties.getCorrelationId());
            put(system, "user-id", properties.getUserId());
            put(system, "to", properties.getTo());
            put(system, "content-type", properties.getContentType());
            put(system, "content-encoding", properties.getContentEncoding());
            if (properties.getAbsoluteExpiryTime() != null) {
                system.put("absolute-expiry-time", TwinTime.format(properties.getAbsoluteExpiryTime().toInstant()));
            }
        }
        Map<String, String> application = new LinkedHashMap<>();
        if (message.getApplicationProperties() != null && message.getApplicationProperties().getValue() != null) {
            for (Map.Entry<String, Object> property : message.getApplicationProperties().getValue().entrySet()) {
                String value = text(property.getValue());
                (SYSTEM_APPLICATION.contains(property.getKey()) ? system : application).put(property.getKey(), value);
            }
        }
        if (message.getMessageAnnotations() != null && message.getMessageAnnotations().getValue() != null) {
            for (Map.Entry<Symbol, Object> annotation : message.getMessageAnnotations().getValue().entrySet()) {
                if (SYSTEM_ANNOTATIONS.contains(annotation.getKey().toString())) {
                    put(system, annotation.getKey().toString(), annotation.getValue());
                }
            }
        }
        return new Telemetry(new MessageProperties(system, application), body(message));
    }

    /** The body of a data section, or of a string or binary value (accepted from any client, spec 4.4); empty for none. */
    static byte[] body(Message message) {
        Section body = message.getBody();
        Object content = body instanceof Data data ? data.getValue() : body instanceof AmqpValue value ? value.getValue()
                : body;
        if (content == null) {
            return new byte[0];
        }
        if (content instanceof Binary binary) {
            byte[] bytes = new byte[binary.getLength()];
            System.arraycopy(binary.getArray(), binary.getArrayOffset(), bytes, 0, bytes.length);
            return bytes;
        }
        if (content instanceof String text) {
            return text.getBytes(StandardCharsets.UTF_8);
        }
        throw new IllegalArgumentException("the body must be a data section, or a string or binary value");
    }

    /** A message annotation as text, or null. */
    static String annotation(Message message, String name) {
        MessageAnnotations annotations = message.getMessageAnnotations();
        if (annotations == null || annotations.getValue() == null) {
            return null;
        }
        Object value = annotations.getValue().get(Symbol.valueOf(name));
        return value == null ? null : value.toString();
    }

    /** An application property, or null. */
    static Object applicationProperty(Message message, String name) {
        ApplicationProperties properties = message.getApplicationProperties();
        return properties == null || properties.getValue() == null ? null : properties.getValue().get(name);
    }

    /** The answer to a twin request: the request's correlation ID as it came (uuid or string), status an int, version a long. */
    static Message twinResponse(Object correlationId, int status, Long version, String body) {
        Message message = data(body);
        Properties properties = new Properties();
        properties.setCorrelationId(correlationId);
        message.setProperties(properties);
        Map<Symbol, Object> annotations = new HashMap<>();
        annotations.put(Symbol.valueOf(STATUS), status);
        if (version != null) {
            annotations.put(Symbol.valueOf(VERSION), version);
        }
        message.setMessageAnnotations(new MessageAnnotations(annotations));
        return message;
    }

    /** A desired-properties patch: no correlation ID, which is how the SDKs tell it from an answer (spec 4.6). */
    static Message desiredPatch(String body, long version) {
        Message message = data(body);
        message.setMessageAnnotations(new MessageAnnotations(Map.of(Symbol.valueOf(RESOURCE), DESIRED_RESOURCE,
                Symbol.valueOf(VERSION), version)));
        return message;
    }

    static Message methodRequest(String methodName, String requestId, String payloadJson) {
        Message message = data(payloadJson);
        Properties properties = new Properties();
        properties.setCorrelationId(new UUID(METHOD_ID_HIGH, Long.parseUnsignedLong(requestId, 16)));
        message.setProperties(properties);
        message.setApplicationProperties(new ApplicationProperties(Map.of(METHOD_NAME, methodName)));
        return message;
    }

    /** The hub's request number of a method answer's correlation ID (uuid, or its string form from Node); null if none. */
    static String methodRequestId(Object correlationId) {
        UUID id;
        try {
            id = correlationId instanceof UUID uuid ? uuid : correlationId == null ? null : UUID.fromString(correlationId.toString());
        } catch (IllegalArgumentException e) {
            return null;
        }
        return id == null || id.getMostSignificantBits() != METHOD_ID_HIGH ? null : Long.toHexString(id.getLeastSignificantBits());
    }

    /** The status of a method answer, an int from Java and Node; null when it has none. */
    static Integer methodStatus(Message message) {
        Object status = applicationProperty(message, METHOD_STATUS);
        if (status instanceof Number number) {
            return number.intValue();
        }
        try {
            return status == null ? null : Integer.valueOf(status.toString().trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /**
     * A cloud-to-device message (spec 4.5): system properties in the properties section, application properties with
     * {@code iothub-ack}, and the store's sequence number and lock token as annotations.
     */
    static Message cloudToDevice(String deviceId, MessageProperties sent, byte[] body, long sequence, UUID lockToken) {
        Message message = Proton.message();
        message.setBody(new Data(new Binary(body)));
        Map<String, String> system = sent.system();
        Properties properties = new Properties();
        properties.setMessageId(system.get("message-id"));
        properties.setTo("/devices/" + deviceId + "/messages/devicebound");
        properties.setCorrelationId(system.get("correlation-id"));
        if (system.get("user-id") != null) {
            properties.setUserId(new Binary(system.get("user-id").getBytes(StandardCharsets.UTF_8)));
        }
        if (system.get("content-type") != null) {
            properties.setContentType(Symbol.valueOf(system.get("content-type")));
        }
        if (system.get("content-encoding") != null) {
            properties.setContentEncoding(Symbol.valueOf(system.get("content-encoding")));
        }
        if (system.get("absolute-expiry-time") != null) {
            properties.setAbsoluteExpiryTime(Date.from(Instant.parse(system.get("absolute-expiry-time"))));
        }
        message.setProperties(properties);
        Map<String, Object> application = new LinkedHashMap<>();
        sent.application().forEach((name, value) -> {
            if (value != null) {
                application.put(name, value);
            }
        });
        if (system.get("iothub-ack") != null) {
            application.put("iothub-ack", system.get("iothub-ack"));
        }
        message.setApplicationProperties(new ApplicationProperties(application));
        message.setMessageAnnotations(new MessageAnnotations(Map.of(Symbol.valueOf("x-opt-sequence-number"), sequence,
                Symbol.valueOf("x-opt-lock-token"), lockToken)));
        return message;
    }

    private static Message data(String body) {
        Message message = Proton.message();
        message.setBody(new Data(new Binary(body.getBytes(StandardCharsets.UTF_8))));
        return message;
    }

    private static void put(Map<String, String> system, String name, Object value) {
        if (value != null) {
            system.put(name, text(value));
        }
    }

    private static String text(Object value) {
        if (value instanceof Binary binary) {
            return new String(binary.getArray(), binary.getArrayOffset(), binary.getLength(), StandardCharsets.UTF_8);
        }
        if (value instanceof Date date) {
            return TwinTime.format(date.toInstant());
        }
        return value == null ? "" : value.toString();
    }
}
