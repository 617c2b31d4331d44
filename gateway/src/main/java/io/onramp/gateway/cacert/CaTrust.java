package io.onramp.gateway.cacert;

import io.onramp.certs.x509.TrustedCa;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.Optional;

/**
 * What X.509 attestation asks of the registered CA certificates, answered from memory without
 * blocking: the verified CAs that {@code caReferences} may name, and the CRL configured for a CA.
 */
public interface CaTrust {

    /** The verified CA certificate of this name, with its CRL and labelled with its name; empty if unknown or unverified. */
    Optional<TrustedCa> verified(String name);

    /** Every verified CA certificate, with its CRL and labelled with its name. */
    Collection<TrustedCa> allVerified();

    /** The CRL configured for a registered CA certificate equal to {@code certificate}, if any. */
    Optional<X509CRL> crl(X509Certificate certificate);

    /** Changes whenever an answer above may have changed (for caches built on them). */
    long version();
}
