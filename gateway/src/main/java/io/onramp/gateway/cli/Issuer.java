package io.onramp.gateway.cli;

import io.onramp.certs.ca.CaMaterial;
import io.onramp.certs.pem.PemReader;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * The CA a {@code certs intermediate|device} command issues under ({@code --issuer-cert}, {@code --issuer-key}):
 * its certificate and key; its file may hold its own chain, whose non-root part is kept.
 */
record Issuer(CaMaterial material, List<X509Certificate> chain) {

    /** @param intermediate true for an intermediate (which needs an issuer), false for a device (self-signed without one) */
    static Issuer read(Arguments args, boolean intermediate) {
        String certFile = args.flag("issuer-cert");
        String keyFile = args.flag("issuer-key");
        if (certFile == null && keyFile == null && !intermediate) {
            return null;
        }
        if (certFile == null || keyFile == null) {
            throw new IllegalArgumentException("--issuer-cert and --issuer-key go together");
        }
        List<X509Certificate> certs = PemReader.readCertificates(Path.of(certFile));
        PrivateKey key = PemReader.readPrivateKey(Path.of(keyFile));
        X509Certificate cert = certs.get(0);
        requireRoomBelow(certs, intermediate);
        CertsCommand.requireKeyOf(cert, key);
        List<X509Certificate> chain = certs.stream()
                .filter(c -> !c.getSubjectX500Principal().equals(c.getIssuerX500Principal())).toList();
        return new Issuer(new CaMaterial(cert, key), chain);
    }

    /**
     * Refuses an issuer under which nothing would verify: not a CA, or it or a CA above it in its
     * file has a path length that leaves no room for one more intermediate.
     */
    private static void requireRoomBelow(List<X509Certificate> issuerFile, boolean intermediate) {
        X509Certificate ca = issuerFile.get(0);
        if (ca.getBasicConstraints() < 0) {
            throw new CommandException("--issuer-cert " + ca.getSubjectX500Principal() + " is not a CA"
                    + " (no basicConstraints CA=true); issue from a certificate made with 'onramp certs root' or 'certs intermediate'");
        }
        // RFC 5280 §6.1.4: a CA's path length counts the non-self-issued intermediates below it.
        int below = intermediate ? 1 : 0;
        // Bounded by the file: two certificates naming each other as issuer must not loop.
        for (int i = 0; ca != null && i < issuerFile.size(); i++) {
            int pathLength = ca.getBasicConstraints();
            if (pathLength >= 0 && below > pathLength) {
                throw new CommandException(ca.getSubjectX500Principal() + " has path length " + pathLength + ": it allows "
                        + (pathLength == 0 ? "no intermediate" : "at most " + pathLength + " intermediate(s)")
                        + " below it, and a path through the certificate issued here would have " + below
                        + ": every such chain would be refused (PATH_LENGTH_EXCEEDED). Issue from a CA higher up, or remake "
                        + ca.getSubjectX500Principal() + " with a larger --path-length");
            }
            if (!ca.getSubjectX500Principal().equals(ca.getIssuerX500Principal())) {
                below++;
            }
            ca = issuerOf(ca, issuerFile);
        }
    }

    /** The certificate in {@code file} named as {@code cert}'s issuer, if the file holds it (chain files do). */
    private static X509Certificate issuerOf(X509Certificate cert, List<X509Certificate> file) {
        if (cert.getSubjectX500Principal().equals(cert.getIssuerX500Principal())) {
            return null;
        }
        return file.stream().filter(c -> c.getSubjectX500Principal().equals(cert.getIssuerX500Principal()))
                .findFirst().orElse(null);
    }
}
