package io.onramp.gateway.provisioning;

/** What a device presented to prove who it is. X.509 and TPM credentials join later. */
public sealed interface DeviceCredential {

    /** A SAS token (the Authorization header, MQTT password or AMQP SASL password), or none. */
    record Sas(String token) implements DeviceCredential {}

    record None() implements DeviceCredential {}
}
