package io.onramp.gateway.amqp;

import java.security.cert.X509Certificate;
import java.util.List;

/** Who the device on a connection proved to be before its AMQP open (dps-device-protocol.md 8.1). */
sealed interface DpsAmqpPeer {

    /** SASL PLAIN: the user names the registration, the password (a SAS token) was verified for it. */
    record Sas(DpsLinkAddress registration, String token) implements DpsAmqpPeer {}

    /**
     * SASL TPM: the registration and the keys the init and the responses carried, and the token signed in the TPM,
     * which the core verifies with the register request (see {@link DpsAmqpTpmSasl} for why not before).
     */
    record Tpm(DpsLinkAddress registration, String endorsementKey, String storageRootKey, String token)
            implements DpsAmqpPeer {}

    /**
     * No SASL layer, a TLS client certificate (X.509 devices): the registration comes with the link address and the
     * core judges the chain for it then.
     */
    record Certificate(List<X509Certificate> chain) implements DpsAmqpPeer {
        public Certificate {
            chain = List.copyOf(chain);
        }
    }

    /** No SASL layer and no client certificate: nothing proves anything, the connection is closed at its open. */
    record Anonymous() implements DpsAmqpPeer {}

    /**
     * SASL PLAIN as legacy IoT hub clients use it (hub-device-protocol.md 4.1): user {@code {deviceId}@sas.{hub}},
     * password the device's SAS token, checked at the open as a CBS put-token would be.
     */
    record HubPlain(String deviceId, String token) implements DpsAmqpPeer {}

    /**
     * SASL PLAIN with a user that is no DPS registration, e.g. an IoT hub device ({@code {deviceId}@sas.{hub}}): told
     * at its open, in an AMQP error, that Onramp serves hubs over MQTT and HTTPS only. Nothing was verified.
     */
    record NotServed(String user) implements DpsAmqpPeer {}
}
