package io.onramp.gateway.provisioning;

import java.security.cert.X509Certificate;
import java.util.List;

/** What a device presented to prove who it is. */
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

    /**
     * A TPM device's register request (spec 5.1, 6.5): its EK and SRK as sent in {@code tpm.endorsementKey} and
     * {@code tpm.storageRootKey} (base64 {@code TPM2B_PUBLIC}), and the SAS token signed by the key of an earlier
     * challenge, or null on the first request.
     */
    record Tpm(String endorsementKey, String storageRootKey, String sasToken) implements DeviceCredential {}

    record None() implements DeviceCredential {}
}
