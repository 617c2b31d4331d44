package io.onramp.broker.hub;

import io.onramp.certs.x509.TrustedCa;
import java.util.Collection;
import java.util.List;

/**
 * The CA certificates a hub trusts for devices of type {@code certificateAuthority} (hub spec 2.3).
 * The broker knows no enrollments: whoever hosts it says which CAs count.
 */
@FunctionalInterface
public interface DeviceCertificateAuthorities {

    Collection<TrustedCa> trusted(String hubHostName);

    static DeviceCertificateAuthorities none() {
        return hub -> List.of();
    }
}
