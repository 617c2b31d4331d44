package io.onramp.gateway.config;

import io.onramp.certs.pem.PemReader;
import java.nio.file.Path;

/**
 * A field naming a PEM file of certificates: the CAs a client trusts (a webhook's, an upstream broker's), or a client's
 * own chain. Read once, to check it.
 */
final class CertificateFile {

    private CertificateFile() {
    }

    /** The file {@code node.field} names, relative to {@code workingDir}; null when absent; a problem when unreadable. */
    static Path read(ConfigNode node, String field, Path workingDir) {
        String name = node.optText(field, null);
        if (name == null) {
            return null;
        }
        Path file = workingDir.resolve(name).normalize();
        try {
            if (PemReader.readCertificates(file).isEmpty()) {
                node.field(field).problem(file + " holds no certificate");
            }
        } catch (RuntimeException e) {
            node.field(field).problem("cannot read certificates from " + file + ": " + e.getMessage());
        }
        return file;
    }
}
