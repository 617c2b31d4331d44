package io.onramp.gateway.support;

import com.microsoft.azure.sdk.iot.device.ClientOptions;
import com.microsoft.azure.sdk.iot.device.DeviceClient;
import com.microsoft.azure.sdk.iot.device.IotHubClientProtocol;
import com.microsoft.azure.sdk.iot.device.IotHubMessageResult;
import com.microsoft.azure.sdk.iot.device.Message;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A device on its hub through the official {@code iot-device-client}, unmodified: a connection
 * string with the hub DPS assigned, the device ID and key, and our CA in the SSL context. Received
 * cloud-to-device messages are collected (the callback must be set before open).
 */
public final class HubDevice implements AutoCloseable {

    private final DeviceClient client;
    private final BlockingQueue<Message> cloudToDevice = new LinkedBlockingQueue<>();

    private HubDevice(DeviceClient client) {
        this.client = client;
    }

    public static HubDevice connect(TestGateway gateway, String hub, String deviceId, String base64Key) throws Exception {
        DeviceClient client = new DeviceClient("HostName=" + hub + ";DeviceId=" + deviceId + ";SharedAccessKey=" + base64Key,
                IotHubClientProtocol.MQTT, ClientOptions.builder().sslContext(TestTls.trusting(gateway.caFile())).build());
        HubDevice device = new HubDevice(client);
        client.setMessageCallback((message, context) -> {
            device.cloudToDevice.add(message);
            return IotHubMessageResult.COMPLETE;
        }, null);
        client.open(true);
        return device;
    }

    public DeviceClient client() {
        return client;
    }

    public BlockingQueue<Message> cloudToDevice() {
        return cloudToDevice;
    }

    @Override
    public void close() {
        client.close();
    }
}
