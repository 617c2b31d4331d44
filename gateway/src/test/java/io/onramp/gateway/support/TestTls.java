package io.onramp.gateway.support;

import io.onramp.certs.pem.PemReader;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/** An SSLContext that trusts exactly the gateway's CA, as a device configured for it would. */
public final class TestTls {

    private TestTls() {}

    public static SSLContext trusting(Path caFile) {
        return withKeys(caFile, null);
    }

    /** Trusts the gateway's CA and presents a client certificate (with its private key) when asked. */
    public static SSLContext presenting(Path caFile, X509Certificate certificate, java.security.PrivateKey key) {
        try {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            keys.setKeyEntry("device", key, new char[0], new X509Certificate[] {certificate});
            javax.net.ssl.KeyManagerFactory factory = javax.net.ssl.KeyManagerFactory.getInstance(
                    javax.net.ssl.KeyManagerFactory.getDefaultAlgorithm());
            factory.init(keys, new char[0]);
            return withKeys(caFile, factory.getKeyManagers());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A TCP connection from the local address {@code source} (any 127.x.y.z here): for limits by client address. */
    public static Socket connectFrom(String source, String host, int port) throws IOException {
        Socket plain = new Socket();
        plain.bind(new InetSocketAddress(InetAddress.getByName(source), 0));
        plain.connect(new InetSocketAddress(host, port), 5_000);
        plain.setSoTimeout(10_000);
        return plain;
    }

    /** As {@link #connectFrom(String, String, int)}, with TLS on it, handshake done; closed if the handshake fails. */
    public static SSLSocket connectFrom(SSLContext tls, String source, String host, int port) throws IOException {
        Socket plain = connectFrom(source, host, port);
        try {
            SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket(plain, host, port, true);
            socket.startHandshake();
            return socket;
        } catch (IOException e) {
            plain.close();
            throw e;
        }
    }

    private static SSLContext withKeys(Path caFile, javax.net.ssl.KeyManager[] keyManagers) {
        try {
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            int i = 0;
            for (X509Certificate certificate : PemReader.readCertificates(caFile)) {
                trust.setCertificateEntry("ca" + i++, certificate);
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trust);
            SSLContext context = SSLContext.getInstance("TLSv1.2");
            context.init(keyManagers, factory.getTrustManagers(), null);
            return context;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
