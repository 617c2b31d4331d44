package io.onramp.gateway.cli;

import java.nio.file.Path;
import javax.net.ssl.SSLHandshakeException;

/**
 * A command's TLS handshake with its gateway that failed, in words: which check failed and what to change. Vert.x
 * says only "Failed to create SSL connection"; the reason (a name the certificate lacks, a CA it does not chain to)
 * is a few causes down.
 */
final class TlsFailure {

    private TlsFailure() {}

    /** {@code failure} itself when it is no failed handshake. */
    static Throwable explain(Throwable failure, String host, int port, Path trustedCa) {
        Throwable handshake = failure;
        while (handshake != null && !(handshake instanceof SSLHandshakeException)) {
            handshake = handshake.getCause();
        }
        if (handshake == null) {
            return failure;
        }
        Throwable root = handshake;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return new CommandException("TLS with the gateway at " + host + ":" + port + " failed: " + root.getMessage()
                + ". The command trusts " + trustedCa + " and checks that the gateway's certificate names " + host
                + " (listen.address, or 127.0.0.1 for 0.0.0.0): list " + host + " in tls.hostNames (the gateway makes"
                + " its self-made certificate again with them at its next start), or, with a certificate of your own,"
                + " have it name " + host + " and give its chain as tls.certificate");
    }
}
