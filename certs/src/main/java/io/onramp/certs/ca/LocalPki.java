package io.onramp.certs.ca;

import io.onramp.certs.error.CertsException;
import io.onramp.certs.pem.PemReader;
import io.onramp.certs.pem.PemWriter;
import io.onramp.certs.x509.KeyOwnership;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * "First start makes what it needs" (DESIGN.md section 3): a local CA and a server certificate
 * chain in one directory. An existing CA is always kept, because devices may already trust it;
 * the server certificate is derived material and is re-issued whenever it no longer fits.
 */
public final class LocalPki {

    static final String CA_CERT = "ca.pem";
    static final String CA_KEY = "ca.key";
    static final String SERVER_CHAIN = "server.pem";
    static final String SERVER_KEY = "server.key";
    static final Duration CA_VALIDITY = Duration.ofDays(3652);
    static final Duration SERVER_VALIDITY = Duration.ofDays(730);
    static final Duration RENEW_BEFORE = Duration.ofDays(30);

    private static final SecureRandom RANDOM = new SecureRandom();

    /** Where the material is, and what this call had to create. */
    public record Files(Path caCertificate, Path serverCertificateChain, Path serverPrivateKey,
            boolean serverCertificateIssued, boolean caCreated) {
    }

    private LocalPki() {
    }

    /**
     * Checks that a name can go into the server certificate's SANs (an IP literal or a DNS name), without
     * any DNS lookup, so that a config can be refused before anything starts.
     *
     * @throws IllegalArgumentException naming what is wrong with it
     */
    public static void checkHostName(String hostName) {
        SubjectAltNames.of(hostName);
    }

    /**
     * Makes sure {@code dir} holds a CA and a server certificate for {@code hostNames} (the first
     * one becomes the CN) that is valid for at least 30 more days.
     *
     * @throws IllegalStateException if the CA certificate exists without its key, with a key that
     *     does not belong to it, or has expired: replacing it would silently break devices that
     *     trust it, so a person decides
     */
    public static Files ensure(Path dir, List<String> hostNames, Clock clock) {
        Objects.requireNonNull(dir, "dir");
        Objects.requireNonNull(clock, "clock");
        if (hostNames == null || hostNames.isEmpty()) {
            throw new IllegalArgumentException("at least one host name is needed");
        }
        createDirectories(dir);
        Path caCert = dir.resolve(CA_CERT);
        Path caKey = dir.resolve(CA_KEY);
        Path serverChain = dir.resolve(SERVER_CHAIN);
        Path serverKey = dir.resolve(SERVER_KEY);

        boolean caCreated = !exists(caCert);
        CaMaterial ca = caCreated ? createCa(caCert, caKey, clock) : loadCa(caCert, caKey, clock.instant());
        boolean issue = caCreated || !serverFits(serverChain, serverKey, ca, hostNames, clock.instant());
        if (issue) {
            CaMaterial server = CertificateAuthority.issueServer(
                    ca, hostNames.get(0), hostNames, SERVER_VALIDITY, clock);
            // Key first: if we stop in between, the old chain no longer matches and is re-issued.
            PemWriter.write(serverKey, PemWriter.toPem(server.privateKey()), true);
            PemWriter.write(serverChain, PemWriter.toPem(server.certificate(), ca.certificate()), false);
        }
        return new Files(caCert, serverChain, serverKey, issue, caCreated);
    }

    // Without ca.pem no device can trust an earlier CA, so a ca.key left by an interrupted first
    // start is simply replaced. The key is written first for the same reason.
    private static CaMaterial createCa(Path caCert, Path caKey, Clock clock) {
        byte[] suffix = new byte[4];
        RANDOM.nextBytes(suffix);
        CaMaterial ca = CertificateAuthority.createRoot(
                "Onramp Local CA " + HexFormat.of().formatHex(suffix), CA_VALIDITY, clock);
        PemWriter.write(caKey, PemWriter.toPem(ca.privateKey()), true);
        PemWriter.write(caCert, PemWriter.toPem(ca.certificate()), false);
        return ca;
    }

    private static CaMaterial loadCa(Path caCert, Path caKey, Instant now) {
        if (!exists(caKey)) {
            throw new IllegalStateException(caCert + " exists but " + caKey + " does not; restore the key,"
                    + " or delete both to create a new CA that devices must then be told to trust");
        }
        CaMaterial ca = new CaMaterial(PemReader.readCertificates(caCert).get(0), PemReader.readPrivateKey(caKey));
        if (!KeyOwnership.matches(ca.privateKey(), ca.certificate().getPublicKey())) {
            throw new IllegalStateException(caKey + " is not the key of " + caCert);
        }
        if (!ca.certificate().getNotAfter().toInstant().isAfter(now)) {
            throw new IllegalStateException(caCert + " expired at " + ca.certificate().getNotAfter().toInstant()
                    + "; delete " + caCert + " and " + caKey + " to create a new CA that devices must then trust");
        }
        return ca;
    }

    private static boolean serverFits(Path chainFile, Path keyFile, CaMaterial ca, List<String> hostNames,
            Instant now) {
        if (!exists(chainFile) || !exists(keyFile)) {
            return false;
        }
        try {
            List<X509Certificate> chain = PemReader.readCertificates(chainFile);
            X509Certificate leaf = chain.get(0);
            leaf.verify(ca.certificate().getPublicKey());
            return chain.size() == 2
                    && chain.get(1).equals(ca.certificate())
                    && !leaf.getNotBefore().toInstant().isAfter(now)
                    && leaf.getNotAfter().toInstant().isAfter(now.plus(RENEW_BEFORE))
                    && SubjectAltNames.covers(leaf, hostNames)
                    && KeyOwnership.matches(PemReader.readPrivateKey(keyFile), leaf.getPublicKey());
        } catch (CertsException | GeneralSecurityException e) {
            // Unreadable or foreign server material is replaced, never trusted.
            return false;
        }
    }

    private static boolean exists(Path file) {
        return java.nio.file.Files.exists(file);
    }

    private static void createDirectories(Path dir) {
        try {
            java.nio.file.Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
    }
}
