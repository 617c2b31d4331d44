package io.onramp.certs.x509;

import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * The chain a TLS client presented, leaf first; empty without TLS or without a client certificate. Shared by the
 * HTTPS and MQTT heads; an {@link SSLSession} is the JDK's, so this stays free of networking libraries.
 */
public final class PeerCertificates {

    private PeerCertificates() {}

    public static List<X509Certificate> of(SSLSession session) {
        if (session == null) {
            return List.of();
        }
        try {
            List<X509Certificate> chain = new ArrayList<>();
            for (Certificate certificate : session.getPeerCertificates()) {
                if (certificate instanceof X509Certificate x509) {
                    chain.add(x509);
                }
            }
            return List.copyOf(chain);
        } catch (SSLPeerUnverifiedException e) {
            return List.of();
        }
    }
}
