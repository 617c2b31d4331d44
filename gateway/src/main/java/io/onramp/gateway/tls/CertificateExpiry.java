package io.onramp.gateway.tls;

import io.onramp.certs.ca.LocalPki;
import io.onramp.certs.pem.PemReader;
import io.onramp.gateway.config.GatewayConfig.TlsConfig;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the server certificate from expiring under the devices, checked at start and once a day: a self-made one
 * due within 30 days is issued again by the same CA (devices trust it as before) for the listeners to take; an
 * operator's own is theirs to renew in place (its file is read again when it changes), so from 30 days before its
 * end the log warns every day, and once it has ended, errs. The self-made CA cannot be replaced without the devices
 * (they trust it), so its end is warned of from 180 days before. The served certificate's end is also a metric.
 */
public final class CertificateExpiry {

    private static final Logger LOG = LoggerFactory.getLogger(CertificateExpiry.class);
    static final Duration WARN_BEFORE = Duration.ofDays(30);
    static final Duration CA_WARN_BEFORE = Duration.ofDays(180);

    private final Path dataDir;
    private volatile Instant serverNotAfter;

    public CertificateExpiry(Path dataDir) {
        this.dataDir = dataDir;
    }

    /**
     * Checks the certificates the listeners serve as of {@code clock}; blocking (reads files, may issue). Answers
     * whether the self-made server certificate was issued again, for the listeners to take.
     */
    public boolean check(TlsConfig config, List<String> hubHostNames, Clock clock) {
        Instant now = clock.instant();
        if (!config.selfMade()) {
            X509Certificate served = leaf(config.certificate());
            serverNotAfter = served.getNotAfter().toInstant();
            warnOfEnd("the server certificate " + config.certificate(), serverNotAfter, now, WARN_BEFORE,
                    "put a renewed one in its place (read again when it changes): devices refuse the connection after it");
            return false;
        }
        LocalPki.Files files = ServerTls.ensureSelfMade(config, hubHostNames, dataDir, clock);
        serverNotAfter = leaf(files.serverCertificateChain()).getNotAfter().toInstant();
        if (files.serverCertificateIssued()) {
            LOG.info("TLS: the self-made server certificate was issued again by the same CA, valid until {}; new "
                    + "connections get it", serverNotAfter);
        }
        warnOfEnd("the self-made CA " + files.caCertificate(), leaf(files.caCertificate()).getNotAfter().toInstant(),
                now, CA_WARN_BEFORE, "devices must be given a new CA to trust before then (delete ca.pem and ca.key "
                        + "for a new one at the next start)");
        return files.serverCertificateIssued();
    }

    /** When the served server certificate ends; null before the first check. */
    public Instant serverNotAfter() {
        return serverNotAfter;
    }

    private static void warnOfEnd(String what, Instant notAfter, Instant now, Duration before, String todo) {
        if (!notAfter.isAfter(now)) {
            LOG.error("TLS: {} expired at {}: {}", what, notAfter, todo);
        } else if (notAfter.isBefore(now.plus(before))) {
            LOG.warn("TLS: {} expires at {}, in {} days: {}", what, notAfter, Duration.between(now, notAfter).toDays(),
                    todo);
        }
    }

    private static X509Certificate leaf(Path pem) {
        return PemReader.readCertificates(pem).get(0);
    }
}
