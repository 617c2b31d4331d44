package io.onramp.gateway.config;

import io.onramp.certs.pem.PemReader;
import io.onramp.certs.x509.KeyOwnership;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * Checks {@code tls.certificate} and {@code tls.privateKey} when the config is read: files that cannot be
 * read, that hold something else, or a key of another certificate would otherwise surface only when a
 * listener opens (blamed on the port), or not at all (every handshake then fails with alert 80).
 */
final class ServerTlsFiles {

    static final String KEY_FORMATS = "PEM PKCS#8 'PRIVATE KEY', PKCS#1 'RSA PRIVATE KEY' or SEC1 'EC PRIVATE KEY',"
            + " unencrypted";

    private ServerTlsFiles() {}

    static void check(ConfigNode tls, Path certificateFile, Path keyFile) {
        ConfigNode certificateNode = tls.field("certificate");
        ConfigNode keyNode = tls.field("privateKey");
        List<X509Certificate> chain = null;
        PrivateKey key = null;
        String certificateProblem = null;
        String keyProblem = null;
        try {
            chain = PemReader.readCertificates(certificateFile);
        } catch (UncheckedIOException e) {
            certificateNode.problem(unreadable(certificateFile, e));
        } catch (RuntimeException e) {
            certificateProblem = certificateFile + " holds no PEM certificate (-----BEGIN CERTIFICATE-----): "
                    + e.getMessage();
        }
        try {
            key = PemReader.readPrivateKey(keyFile);
        } catch (UncheckedIOException e) {
            keyNode.problem(unreadable(keyFile, e));
        } catch (RuntimeException e) {
            keyProblem = keyFile + " is not a private key (" + KEY_FORMATS + "): " + e.getMessage();
        }
        if (certificateProblem != null && keyProblem != null && swapped(certificateFile, keyFile)) {
            tls.problem("certificate and privateKey are swapped: " + certificateFile + " holds a private key and "
                    + keyFile + " a certificate");
            return;
        }
        if (certificateProblem != null) {
            certificateNode.problem(certificateProblem);
        }
        if (keyProblem != null) {
            keyNode.problem(keyProblem);
        }
        if (chain != null && key != null && !KeyOwnership.belongsTo(key, chain.get(0))) {
            keyNode.problem(mismatch(chain, key, certificateFile));
        }
    }

    private static String mismatch(List<X509Certificate> chain, PrivateKey key, Path certificateFile) {
        for (int i = 1; i < chain.size(); i++) {
            if (KeyOwnership.belongsTo(key, chain.get(i))) {
                return "the key belongs to certificate " + (i + 1) + " of the chain in tls.certificate (" + certificateFile
                        + "), not to the first: put the server certificate first, then its issuers";
            }
        }
        return "the key does not belong to the certificate in tls.certificate (" + certificateFile
                + "): give the key the certificate was issued for";
    }

    private static boolean swapped(Path certificateFile, Path keyFile) {
        try {
            PemReader.readPrivateKey(certificateFile);
            PemReader.readCertificates(keyFile);
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static String unreadable(Path file, UncheckedIOException e) {
        return "cannot read " + file + ": " + IoReasons.of(e.getCause());
    }
}
