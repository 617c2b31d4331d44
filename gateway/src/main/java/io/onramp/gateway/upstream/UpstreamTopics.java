package io.onramp.gateway.upstream;

import io.onramp.broker.topic.PropertyBag;
import io.onramp.certs.text.PercentCodec;
import java.util.Locale;

/**
 * The topic a message goes upstream on when the upstream is an IoT hub and the gateway one of its devices: the
 * gateway's own telemetry topic, with the device's properties as it sent them (its {@code $.ct}, {@code $.mid} and
 * application properties) and, as application properties, who sent it where and when here: {@code onramp-device-id},
 * {@code onramp-hub}, {@code onramp-enqueued-time}. The local hub's stamps ({@code iothub-connection-*},
 * {@code iothub-enqueuedtime}) are left out: the upstream hub stamps its own, for the gateway's connection.
 */
final class UpstreamTopics {

    private static final String DEVICES = "devices/";
    private static final String EVENTS = "/messages/events/";

    private UpstreamTopics() {
    }

    /**
     * The size an IoT hub counts for a message sent on {@code deviceTopic} with a body of {@code bodyLength} bytes,
     * as the hub side here counts a device's (a message within it here may pass it upstream with the properties
     * saying who sent it).
     */
    static int iotHubSize(String deviceTopic, int bodyLength) {
        int events = deviceTopic.indexOf(EVENTS);
        return PropertyBag.parse(deviceTopic.substring(events + EVENTS.length())).sizeWith(bodyLength);
    }

    /** The device a consumer topic names, decoded. */
    static String deviceOf(String consumerTopic) {
        int events = consumerTopic.indexOf(EVENTS, DEVICES.length());
        return events < 0 ? "?" : PercentCodec.decode(consumerTopic.substring(DEVICES.length(), events));
    }

    /** {@code consumerTopic}: the topic a local consumer read the message on ({@code devices/{id}/messages/events/{bag}}). */
    static String asDevice(String gatewayDeviceId, String hubName, String consumerTopic) {
        int events = consumerTopic.indexOf(EVENTS, DEVICES.length());
        if (!consumerTopic.startsWith(DEVICES) || events < 0) {
            throw new IllegalArgumentException("not a telemetry topic: " + consumerTopic);
        }
        String deviceId = PercentCodec.decode(consumerTopic.substring(DEVICES.length(), events));
        StringBuilder out = new StringBuilder(consumerTopic.length() + 64).append(DEVICES).append(gatewayDeviceId)
                .append(EVENTS);
        String enqueued = null;
        int end = consumerTopic.endsWith("/") ? consumerTopic.length() - 1 : consumerTopic.length();
        for (int start = events + EVENTS.length(); start < end; ) {
            int amp = consumerTopic.indexOf('&', start);
            int stop = amp < 0 || amp > end ? end : amp;
            String pair = consumerTopic.substring(start, stop);
            int eq = pair.indexOf('=');
            String key = PercentCodec.decode(eq < 0 ? pair : pair.substring(0, eq)).toLowerCase(Locale.ROOT);
            if (key.equals("iothub-enqueuedtime")) {
                enqueued = eq < 0 ? "" : PercentCodec.decode(pair.substring(eq + 1));
            } else if (!key.startsWith("iothub-connection-") && !pair.isEmpty()) {
                out.append(pair).append('&');
            }
            start = stop + 1;
        }
        out.append("onramp-device-id=");
        PercentCodec.encode(out, deviceId).append("&onramp-hub=");
        PercentCodec.encode(out, hubName);
        if (enqueued != null) {
            PercentCodec.encode(out.append("&onramp-enqueued-time="), enqueued);
        }
        return out.toString();
    }
}
