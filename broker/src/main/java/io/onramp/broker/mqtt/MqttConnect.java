package io.onramp.broker.mqtt;

import java.security.cert.X509Certificate;
import java.util.List;

/**
 * A CONNECT as the realm sees it. {@code password} is null when the client sent none (X.509 devices);
 * {@code peerCertificates} is the chain the client presented in the TLS handshake (leaf first), or empty.
 */
public record MqttConnect(
        String clientId,
        String userName,
        String password,
        boolean cleanSession,
        int keepAliveSeconds,
        List<X509Certificate> peerCertificates,
        String serverName) {

    public MqttConnect {
        peerCertificates = List.copyOf(peerCertificates);
    }
}
