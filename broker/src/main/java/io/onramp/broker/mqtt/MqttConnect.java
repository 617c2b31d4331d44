package io.onramp.broker.mqtt;

import io.netty.handler.codec.mqtt.MqttQoS;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.function.Supplier;

/**
 * A CONNECT as the realm sees it. {@code password} is null when the client sent none (X.509 devices);
 * {@code peerChain} gives the chain the client presented in the TLS handshake ({@link #peerCertificates()});
 * {@code will} is null when the client asked for none.
 */
public record MqttConnect(
        String clientId,
        String userName,
        String password,
        boolean cleanSession,
        int keepAliveSeconds,
        Supplier<List<X509Certificate>> peerChain,
        String serverName,
        Will will) {

    /** The chain the client presented in the TLS handshake, leaf first, or empty; read from the session when first asked. */
    public List<X509Certificate> peerCertificates() {
        return peerChain.get();
    }

    /** The message the client asks to have published should its connection be lost without DISCONNECT. */
    public record Will(String topic, byte[] payload, MqttQoS qos, boolean retain) {}
}
