package io.onramp.gateway.cacert;

import io.onramp.certs.x509.Crls;
import io.onramp.certs.x509.TrustedCa;
import io.onramp.gateway.config.GatewayConfig.CaCertificateConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CRLs configured per CA certificate ({@code caCertificates[].crl}). A CA publishes a new CRL
 * before the old one's nextUpdate, so the files are watched: {@link #reloadChanged()} re-reads a
 * file whose modification time changed and keeps the new CRL only if this CA signed it; a broken
 * file never replaces a good CRL. File I/O and signature checks: call off the event loop.
 */
public final class CaRevocationLists {

    private static final Logger LOG = LoggerFactory.getLogger(CaRevocationLists.class);

    private record Entry(X509Certificate ca, Path file, FileTime modified, X509CRL crl) {}

    private final Clock clock;
    private volatile Map<String, Entry> byName;

    public CaRevocationLists(List<CaCertificateConfig> configured) {
        this(configured, Clock.systemUTC());
    }

    public CaRevocationLists(List<CaCertificateConfig> configured, Clock clock) {
        this.clock = clock;
        use(configured);
    }

    /** The CRLs of a changed config file (read and checked by its loader) replace the ones before. */
    public void use(List<CaCertificateConfig> configured) {
        Map<String, Entry> entries = new ConcurrentHashMap<>();
        for (CaCertificateConfig ca : configured) {
            if (ca.crlFile() != null && ca.crl() != null) {
                entries.put(CaCertificateNames.key(ca.name()), new Entry(ca.certificate(), ca.crlFile(),
                        modified(ca.crlFile()), ca.crl()));
                warnIfStale(ca.name(), ca.crlFile(), ca.crl());
            }
        }
        byName = entries;
    }

    /** The current CRL of the CA certificate of this name, if one is configured. */
    public Optional<X509CRL> crl(String name) {
        Entry entry = byName.get(CaCertificateNames.key(name));
        return entry == null ? Optional.empty() : Optional.of(entry.crl());
    }

    /** Re-reads changed CRL files; blocking. @return whether any CRL was replaced */
    public boolean reloadChanged() {
        boolean changed = false;
        Map<String, Entry> entries = byName; // replaced whole by a config reload meanwhile: that one read its files itself
        for (Map.Entry<String, Entry> e : entries.entrySet()) {
            Entry entry = e.getValue();
            FileTime modified = modified(entry.file());
            if (modified == null || modified.equals(entry.modified())) {
                continue;
            }
            try {
                X509CRL crl = Crls.read(entry.file());
                TrustedCa.of(entry.ca()).withCrl(crl);
                entries.put(e.getKey(), new Entry(entry.ca(), entry.file(), modified, crl));
                if (!warnIfStale(e.getKey(), entry.file(), crl)) {
                    LOG.info("CRL of CA certificate {} reloaded from {} (next update {})", e.getKey(), entry.file(),
                            crl.getNextUpdate() == null ? "none" : crl.getNextUpdate().toInstant());
                }
                changed = true;
            } catch (RuntimeException failure) {
                // Keep the CRL we have; once it is past its nextUpdate the chain validator refuses, failing closed.
                LOG.error("CRL of CA certificate {} not reloaded from {}: {}; the previous CRL stays", e.getKey(),
                        entry.file(), failure.getMessage());
                entries.put(e.getKey(), new Entry(entry.ca(), entry.file(), modified, entry.crl()));
            }
        }
        return changed;
    }

    /**
     * The chain validator refuses every device of a CA whose CRL is past its nextUpdate (failing closed), so a
     * stopped CRL-publishing job takes a whole line down: say so when such a CRL is loaded. @return whether it is stale
     */
    private boolean warnIfStale(String caName, Path file, X509CRL crl) {
        if (crl.getNextUpdate() == null || crl.getNextUpdate().toInstant().isAfter(clock.instant())) {
            return false;
        }
        LOG.warn("CRL of CA certificate {} loaded from {} is stale: its next update was due at {}; every device of CA {}"
                + " is refused (CRL_EXPIRED) at provisioning and at the hubs until a fresh CRL is published to {}",
                caName, file, crl.getNextUpdate().toInstant(), caName, file);
        return true;
    }

    private static FileTime modified(Path file) {
        try {
            return Files.getLastModifiedTime(file);
        } catch (IOException e) {
            return null;
        }
    }
}
