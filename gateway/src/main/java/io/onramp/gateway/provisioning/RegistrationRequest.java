package io.onramp.gateway.provisioning;

/**
 * A register call, protocol-neutral.
 *
 * @param registrationId the ID from the URL path, MQTT user name or AMQP link address
 * @param bodyRegistrationId the ID inside the JSON body, or null when the body carried none
 * @param payload the request payload as parsed JSON (object, string, ...), or null
 * @param clientAddress the IP address the request came from, whose refusals are throttled; null when not known
 */
public record RegistrationRequest(
        String idScope,
        String registrationId,
        String bodyRegistrationId,
        DeviceCredential credential,
        Object payload,
        String apiVersion,
        boolean forceRegistration,
        String clientAddress) {}
