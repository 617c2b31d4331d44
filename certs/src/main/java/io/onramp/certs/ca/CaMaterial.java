package io.onramp.certs.ca;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Objects;

/** A certificate and its private key: a CA that can sign, or an issued leaf ready to serve. */
public record CaMaterial(X509Certificate certificate, PrivateKey privateKey) {

    public CaMaterial {
        Objects.requireNonNull(certificate, "certificate");
        Objects.requireNonNull(privateKey, "privateKey");
    }

    /** Leaves the key out of logs. */
    @Override
    public String toString() {
        return "CaMaterial[subject=" + certificate.getSubjectX500Principal().getName() + "]";
    }
}
