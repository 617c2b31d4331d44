package io.onramp.gateway.support;

import com.microsoft.azure.sdk.iot.provisioning.device.AdditionalData;
import com.microsoft.azure.sdk.iot.provisioning.device.ProvisioningDeviceClient;
import com.microsoft.azure.sdk.iot.provisioning.device.ProvisioningDeviceClientRegistrationResult;
import com.microsoft.azure.sdk.iot.provisioning.device.ProvisioningDeviceClientTransportProtocol;
import com.microsoft.azure.sdk.iot.provisioning.security.SecurityProviderSymmetricKey;
import java.nio.charset.StandardCharsets;
import javax.net.ssl.SSLContext;

/**
 * A device using the official Azure IoT provisioning SDK for Java, unmodified: only the endpoint
 * and the trusted CA differ from a cloud setup (the SDK's documented way: override getSSLContext).
 */
public final class SdkDevice {

    private SdkDevice() {}

    public static ProvisioningDeviceClientRegistrationResult registerOverHttps(TestGateway gateway, String registrationId,
            String base64Key, String payload) throws Exception {
        return register(gateway, gateway.endpoint(), ProvisioningDeviceClientTransportProtocol.HTTPS, registrationId,
                base64Key, payload);
    }

    /** The SDK dials {@code ssl://{endpoint}:8883}: the endpoint is the bare address. */
    public static ProvisioningDeviceClientRegistrationResult registerOverMqtt(TestGateway gateway, String registrationId,
            String base64Key, String payload) throws Exception {
        return MissedStatusAnswer.retried(registrationId, () -> register(gateway, gateway.address(),
                ProvisioningDeviceClientTransportProtocol.MQTT, registrationId, base64Key, payload));
    }

    /**
     * The SDK dials {@code wss://{endpoint}:443} (Paho's default path {@code /mqtt}): the endpoint is the bare address.
     * Its MQTT code is the one of {@link #registerOverMqtt}, and misses status answers the same way.
     */
    public static ProvisioningDeviceClientRegistrationResult registerOverMqttWebSockets(TestGateway gateway,
            String registrationId, String base64Key, String payload) throws Exception {
        return MissedStatusAnswer.retried(registrationId, () -> register(gateway, gateway.address(),
                ProvisioningDeviceClientTransportProtocol.MQTT_WS, registrationId, base64Key, payload));
    }

    /** The SDK dials {@code amqps://{endpoint}:5671}: the endpoint is the bare address. */
    public static ProvisioningDeviceClientRegistrationResult registerOverAmqp(TestGateway gateway, String registrationId,
            String base64Key, String payload) throws Exception {
        return register(gateway, gateway.address(), ProvisioningDeviceClientTransportProtocol.AMQPS, registrationId,
                base64Key, payload);
    }

    /** The SDK dials {@code wss://{endpoint}:443/$iothub/websocket}: the endpoint is the bare address. */
    public static ProvisioningDeviceClientRegistrationResult registerOverAmqpWebSockets(TestGateway gateway,
            String registrationId, String base64Key, String payload) throws Exception {
        return register(gateway, gateway.address(), ProvisioningDeviceClientTransportProtocol.AMQPS_WS, registrationId,
                base64Key, payload);
    }

    private static ProvisioningDeviceClientRegistrationResult register(TestGateway gateway, String endpoint,
            ProvisioningDeviceClientTransportProtocol protocol, String registrationId, String base64Key, String payload)
            throws Exception {
        SSLContext tls = TestTls.trusting(gateway.caFile());
        SecurityProviderSymmetricKey security = new SecurityProviderSymmetricKey(
                base64Key.getBytes(StandardCharsets.UTF_8), registrationId) {
            @Override
            public SSLContext getSSLContext() {
                return tls;
            }
        };
        ProvisioningDeviceClient client = ProvisioningDeviceClient.create(endpoint, TestGateway.ID_SCOPE, protocol, security);
        try {
            if (payload == null) {
                return client.registerDeviceSync();
            }
            AdditionalData data = new AdditionalData();
            data.setProvisioningPayload(payload);
            return client.registerDeviceSync(data);
        } finally {
            client.close();
        }
    }

}
