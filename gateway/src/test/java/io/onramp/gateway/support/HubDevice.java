package io.onramp.gateway.support;

import com.microsoft.azure.sdk.iot.device.ClientOptions;
import com.microsoft.azure.sdk.iot.device.DeviceClient;
import com.microsoft.azure.sdk.iot.device.IotHubClientProtocol;
import com.microsoft.azure.sdk.iot.device.IotHubMessageResult;
import com.microsoft.azure.sdk.iot.device.Message;
import com.microsoft.azure.sdk.iot.device.exceptions.IotHubClientException;
import com.microsoft.azure.sdk.iot.device.twin.Twin;
import com.microsoft.azure.sdk.iot.device.twin.TwinCollection;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

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
        return connect(gateway, hub, deviceId, base64Key, IotHubClientProtocol.MQTT);
    }

    /** Over {@code protocol}: MQTT dials {@code hub:8883}, MQTT_WS {@code wss://hub:443/$iothub/websocket}. */
    public static HubDevice connect(TestGateway gateway, String hub, String deviceId, String base64Key,
            IotHubClientProtocol protocol) throws Exception {
        DeviceClient client = new DeviceClient("HostName=" + hub + ";DeviceId=" + deviceId + ";SharedAccessKey=" + base64Key,
                protocol, ClientOptions.builder().sslContext(TestTls.trusting(gateway.caFile())).build());
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

    /**
     * The device's twin; asked twice at most, since iot-device-client 2.5.0 can lose a GET's answer under load
     * like any other (see MqttDeviceFlowIT). The SDK reads a twin only after subscribing to desired properties.
     */
    public Twin twin() throws Exception {
        try {
            return client.getTwin(15_000);
        } catch (IotHubClientException lostBySdk) {
            return client.getTwin(15_000);
        }
    }

    /**
     * Updates reported properties and answers the version the hub acknowledged, or null when iot-device-client 2.5.0
     * lost the hub's answer. It does under CPU load, over MQTT and AMQP alike: its transport thread takes the answer
     * before the request's callback is registered, and drops it (seen in its own trace log, the answer arrived 20 ms
     * after the request). The stored twin is then what tells whether the update was made (HubSessionIT and
     * AmqpHubBadInputIT pin the answers down on the wire).
     */
    public Integer reportedVersion(TwinCollection reported) throws Exception {
        CompletableFuture<Integer> version = new CompletableFuture<>();
        client.updateReportedPropertiesAsync(reported, (status, response, failure, context) -> {
            if (failure != null) {
                version.completeExceptionally(failure);
            } else {
                version.complete(response.getVersion());
            }
        }, null);
        try {
            return version.get(15, TimeUnit.SECONDS);
        } catch (TimeoutException lostBySdk) {
            return null;
        }
    }

    public BlockingQueue<Message> cloudToDevice() {
        return cloudToDevice;
    }

    @Override
    public void close() {
        client.close();
    }
}
