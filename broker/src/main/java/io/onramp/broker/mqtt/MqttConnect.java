package io.onramp.broker.mqtt;

import io.netty.handler.codec.mqtt.MqttQoS;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * A CONNECT as the realm sees it. {@code password} is null when the client sent none (X.509 devices);
 * {@code peerCertificates} is the chain the client presented in the TLS handshake (leaf first), or empty;
 * {@code will} is null when the client asked for none.
 */
public record MqttConnect(
        String clientId,
        String userName,
        String password,
        boolean cleanSession,
        int keepAliveSeconds,
        List<X509Certificate> peerCertificates,
        String serverName,
        Will will) {

    public MqttConnect {
        peerCertificates = List.copyOf(peerCertificates);
    }

    /** The message the client asks to have published should its connection be lost without DISCONNECT. */
    public record Will(String topic, byte[] payload, MqttQoS qos, boolean retain) {}
}
