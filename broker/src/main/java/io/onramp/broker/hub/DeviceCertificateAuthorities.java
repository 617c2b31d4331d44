package io.onramp.broker.hub;

import io.onramp.certs.x509.TrustedCa;
import io.vertx.core.Future;
import java.util.Collection;
import java.util.List;

/**
 * The CA certificates a hub trusts for one device of type {@code certificateAuthority} (hub spec 2.3). The broker
 * knows no enrollments: whoever hosts it says which CAs count for that device, so that a CA trusted for one
 * device's enrollment does not vouch for another's.
 */
@FunctionalInterface
public interface DeviceCertificateAuthorities {

    Future<Collection<TrustedCa>> trusted(String hubHostName, String deviceId);

    static DeviceCertificateAuthorities none() {
        return (hub, device) -> Future.succeededFuture(List.of());
    }
}
