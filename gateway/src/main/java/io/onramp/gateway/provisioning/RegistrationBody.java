package io.onramp.gateway.provisioning;

import io.onramp.gateway.error.ProvisioningException;
import io.vertx.core.json.JsonObject;

/**
 * The JSON body of a register request as the MQTT and AMQP heads receive it (dps-device-protocol.md 2.1), before it
 * becomes a {@link RegistrationRequest}. One parser for both, so a body means the same on either transport.
 *
 * @param registrationId the ID inside the body, or null when it carried none
 * @param payload the payload as parsed JSON (object, string, ...), or null
 * @param forceRegistration the body's {@code forceRegistration} flag
 */
public record RegistrationBody(String registrationId, Object payload, boolean forceRegistration) {

    /**
     * Fails with 400004 when the text is not a JSON object (a field twice, a number out of range: {@link
     * DeviceRequestJson}), or its registrationId is not a string.
     */
    public static RegistrationBody parse(String text) {
        JsonObject body = DeviceRequestJson.object(text);
        Object bodyId = body.getValue("registrationId");
        if (bodyId != null && !(bodyId instanceof String)) {
            throw ProvisioningException.badRequest("registrationId must be a string.");
        }
        return new RegistrationBody((String) bodyId, body.getValue("payload"),
                Boolean.TRUE.equals(body.getValue("forceRegistration")));
    }

    /** The register call of a device whose transport said who it is ({@code idScope}, {@code registrationId}). */
    public RegistrationRequest request(String idScope, String addressedRegistrationId, DeviceCredential credential,
            String apiVersion, boolean transportForce, String clientAddress) {
        return new RegistrationRequest(idScope, addressedRegistrationId, registrationId, credential, payload, apiVersion,
                forceRegistration || transportForce, clientAddress);
    }
}
