package io.onramp.gateway.provisioning;

import java.security.cert.X509Certificate;
import java.util.List;

/** What a device presented to prove who it is. TPM credentials join later. */
public sealed interface DeviceCredential {

    /** A SAS token (the Authorization header, MQTT password or AMQP SASL password), or none. */
    record Sas(String token) implements DeviceCredential {}

    /**
     * The certificate chain the device sent in the TLS handshake, leaf first. The handshake has
     * already proven that the device holds the leaf's private key.
     */
    record X509(List<X509Certificate> chain) implements DeviceCredential {
        public X509 {
            chain = List.copyOf(chain);
        }

        public X509Certificate leaf() {
            return chain.get(0);
        }
    }

    record None() implements DeviceCredential {}
}
