package io.onramp.gateway.support;

import com.microsoft.azure.sdk.iot.device.ClientOptions;
import com.microsoft.azure.sdk.iot.device.DeviceClient;
import com.microsoft.azure.sdk.iot.device.IotHubClientProtocol;
import com.microsoft.azure.sdk.iot.provisioning.device.ProvisioningDeviceClient;
import com.microsoft.azure.sdk.iot.provisioning.device.ProvisioningDeviceClientRegistrationResult;
import com.microsoft.azure.sdk.iot.provisioning.device.ProvisioningDeviceClientTransportProtocol;
import com.microsoft.azure.sdk.iot.provisioning.security.hsm.SecurityProviderX509Cert;
import io.onramp.certs.pem.PemReader;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/**
 * A device with an X.509 certificate, through the official SDKs unmodified: the provisioning
 * client with the SDK's X.509 security provider, then {@code iot-device-client} with
 * {@code x509=true}. Only the trusted CA (ours) differs from a cloud setup.
 *
 * @param chain the device certificate first, then the intermediates it sends
 */
public record X509Device(List<X509Certificate> chain, PrivateKey key, String registrationId) {

    public static ProvisioningDeviceClientRegistrationResult registerOverHttps(TestGateway gateway, X509Device device)
            throws Exception {
        return device.register(gateway, gateway.endpoint(), ProvisioningDeviceClientTransportProtocol.HTTPS);
    }

    /** The SDK dials {@code ssl://{endpoint}:8883}: the endpoint is the bare address. */
    public static ProvisioningDeviceClientRegistrationResult registerOverMqtt(TestGateway gateway, X509Device device)
            throws Exception {
        return MissedStatusAnswer.retried(device.registrationId(),
                () -> device.register(gateway, gateway.address(), ProvisioningDeviceClientTransportProtocol.MQTT));
    }

    /** The SDK dials {@code wss://{endpoint}:443} and shows its certificate in that TLS handshake. */
    public static ProvisioningDeviceClientRegistrationResult registerOverMqttWebSockets(TestGateway gateway,
            X509Device device) throws Exception {
        return MissedStatusAnswer.retried(device.registrationId(),
                () -> device.register(gateway, gateway.address(), ProvisioningDeviceClientTransportProtocol.MQTT_WS));
    }

    /** The SDK dials {@code amqps://{endpoint}:5671}, without a SASL layer: the endpoint is the bare address. */
    public static ProvisioningDeviceClientRegistrationResult registerOverAmqp(TestGateway gateway, X509Device device)
            throws Exception {
        return device.register(gateway, gateway.address(), ProvisioningDeviceClientTransportProtocol.AMQPS);
    }

    /**
     * The SDK dials {@code wss://{endpoint}:443/$iothub/websocket}, without a SASL layer: the certificate is shown in
     * the HTTPS listener's TLS handshake. The endpoint is the bare address.
     */
    public static ProvisioningDeviceClientRegistrationResult registerOverAmqpWebSockets(TestGateway gateway,
            X509Device device) throws Exception {
        return device.register(gateway, gateway.address(), ProvisioningDeviceClientTransportProtocol.AMQPS_WS);
    }

    private ProvisioningDeviceClientRegistrationResult register(TestGateway gateway, String endpoint,
            ProvisioningDeviceClientTransportProtocol protocol) throws Exception {
        SSLContext tls = sslContext(gateway);
        // The SDK takes the registration ID from the certificate's CN; a test may claim another one.
        SecurityProviderX509Cert security = new SecurityProviderX509Cert(chain.get(0), key, chain.subList(1, chain.size())) {
            @Override
            public SSLContext getSSLContext() {
                return tls;
            }

            @Override
            public String getRegistrationId() {
                return registrationId != null ? registrationId : super.getRegistrationId();
            }
        };
        ProvisioningDeviceClient client = ProvisioningDeviceClient.create(endpoint, TestGateway.ID_SCOPE, protocol, security);
        try {
            return client.registerDeviceSync();
        } finally {
            client.close();
        }
    }

    /** Opens an MQTT connection to the hub with the certificate and no SAS token. */
    public DeviceClient connectToHub(TestGateway gateway, String hub, String deviceId) throws Exception {
        return connectToHub(gateway, hub, deviceId, IotHubClientProtocol.MQTT);
    }

    /** Like {@link #connectToHub(TestGateway, String, String)}, over {@code protocol} (MQTT_WS: in the TLS of port 443). */
    public DeviceClient connectToHub(TestGateway gateway, String hub, String deviceId, IotHubClientProtocol protocol)
            throws Exception {
        DeviceClient client = new DeviceClient("HostName=" + hub + ";DeviceId=" + deviceId + ";x509=true",
                protocol, ClientOptions.builder().sslContext(sslContext(gateway)).build());
        client.open(true);
        return client;
    }

    /** Presents the chain with its key, trusts the gateway's CA. */
    public SSLContext sslContext(TestGateway gateway) throws Exception {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("device", key, new char[0], chain.toArray(new X509Certificate[0]));
        KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        factory.init(keys, new char[0]);
        SSLContext context = SSLContext.getInstance("TLSv1.2");
        context.init(factory.getKeyManagers(), trustManagers(gateway), null);
        return context;
    }

    private static TrustManager[] trustManagers(TestGateway gateway) throws Exception {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        int i = 0;
        for (X509Certificate certificate : PemReader.readCertificates(gateway.caFile())) {
            trust.setCertificateEntry("ca" + i++, certificate);
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(
                TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        return factory.getTrustManagers();
    }
}
