package io.onramp.broker.mqtt;

import java.time.Duration;

/**
 * Per-connection bounds of the MQTT listener.
 *
 * @param maxPacketBytes largest packet accepted; a bigger one closes the connection (MQTT has no per-message NACK)
 * @param connectTimeout how long a new connection may take to send CONNECT
 * @param maxKeepAlive the cap on 1.5 x the client's keep-alive, also used when the client asks for none
 * @param maxInflight QoS 1 messages sent to a client and not yet acknowledged
 * @param maxQueued messages waiting behind the in-flight window; beyond it messages are dropped
 */
public record MqttLimits(int maxPacketBytes, Duration connectTimeout, Duration maxKeepAlive, int maxInflight, int maxQueued) {

    /** Azure's 256 KiB message limit plus room for the topic and its property bag. */
    public static final MqttLimits DEFAULTS = new MqttLimits(256 * 1024 + 16 * 1024, Duration.ofSeconds(60),
            Duration.ofSeconds(1767), 256, 1000);

    public MqttLimits withConnectTimeout(Duration timeout) {
        return new MqttLimits(maxPacketBytes, timeout, maxKeepAlive, maxInflight, maxQueued);
    }
}
