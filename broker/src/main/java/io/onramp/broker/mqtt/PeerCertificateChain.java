package io.onramp.broker.mqtt;

import io.onramp.certs.x509.PeerCertificates;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.function.Supplier;
import javax.net.ssl.SSLSession;

/**
 * The chain a TLS client presented (leaf first; empty without TLS or without a client certificate), read
 * from its session the first time a realm asks. Most devices prove themselves with a SAS token, and asking a
 * session that holds no client certificate costs an exception with its stack trace: 2 % of the broker's CPU
 * per TLS CONNECT when it was read for every connection.
 */
final class PeerCertificateChain implements Supplier<List<X509Certificate>> {

    private final SSLSession session;
    /** Read once; a race on the event loop's hand-offs at worst reads it twice, to the same immutable list. */
    private volatile List<X509Certificate> chain;

    /** {@code session} is null for a plaintext connection. */
    PeerCertificateChain(SSLSession session) {
        this.session = session;
    }

    @Override
    public List<X509Certificate> get() {
        List<X509Certificate> read = chain;
        if (read == null) {
            read = PeerCertificates.of(session);
            chain = read;
        }
        return read;
    }
}
