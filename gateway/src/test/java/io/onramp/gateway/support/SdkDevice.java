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
        SSLContext tls = TestTls.trusting(gateway.caFile());
        SecurityProviderSymmetricKey security = new SecurityProviderSymmetricKey(
                base64Key.getBytes(StandardCharsets.UTF_8), registrationId) {
            @Override
            public SSLContext getSSLContext() {
                return tls;
            }
        };
        ProvisioningDeviceClient client = ProvisioningDeviceClient.create(gateway.endpoint(), TestGateway.ID_SCOPE,
                ProvisioningDeviceClientTransportProtocol.HTTPS, security);
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
