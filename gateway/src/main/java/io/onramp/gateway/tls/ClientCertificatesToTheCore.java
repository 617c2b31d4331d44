package io.onramp.gateway.tls;

import java.security.cert.X509Certificate;
import javax.net.ssl.X509TrustManager;

/**
 * The TLS layer asks devices for a certificate but does not judge it: the handshake still proves
 * that the device holds the private key of the certificate it sent, and the provisioning core or
 * the hub then validates the chain against the enrollment or registry (which TLS cannot know).
 * Symmetric-key and TPM devices send no certificate and are let through to authenticate otherwise.
 */
final class ClientCertificatesToTheCore implements X509TrustManager {

    static final ClientCertificatesToTheCore INSTANCE = new ClientCertificatesToTheCore();

    private ClientCertificatesToTheCore() {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {
        // judged by the realm the connection addresses, with the chain from the session
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws java.security.cert.CertificateException {
        throw new java.security.cert.CertificateException("this trust manager only serves the server side");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        // An empty list lets a device send whatever certificate it has, whichever CA issued it.
        return new X509Certificate[0];
    }
}
