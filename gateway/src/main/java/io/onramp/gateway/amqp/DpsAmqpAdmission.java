package io.onramp.gateway.amqp;

import io.onramp.gateway.error.ProvisioningException;
import io.onramp.gateway.provisioning.DeviceCredential;
import io.onramp.gateway.provisioning.ProvisioningService;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * Which DPS registration a connection's links may be for: the SASL user's (SAS token, TPM), or the one the first link
 * names when the TLS client certificate is the proof, which the core's X.509 attestation then judges (leaf CN =
 * registration ID, chain = enrollment). One registration per connection: every further link must name the same.
 */
final class DpsAmqpAdmission {

    private final Vertx vertx;
    private final Context context;
    private final ProvisioningService provisioning;
    private final AmqpLimits limits;
    private final AmqpHandshake handshake;
    private final DpsAmqpPeer peer;
    private DpsLinkAddress registration;
    private Future<DpsAmqpLink> admitted;

    DpsAmqpAdmission(Vertx vertx, Context context, ProvisioningService provisioning, AmqpLimits limits,
            AmqpHandshake handshake, DpsAmqpPeer peer) {
        this.vertx = vertx;
        this.context = context;
        this.provisioning = provisioning;
        this.limits = limits;
        this.handshake = handshake;
        this.peer = peer;
    }

    /** The connection's one registration: proven once, and every further link must name the same one. */
    Future<DpsAmqpLink> admit(DpsLinkAddress address) {
        if (registration != null) {
            return registration.sameRegistration(address) ? admitted : Future.failedFuture(
                    ProvisioningException.unauthorized("the connection is for " + registration + ", not " + address));
        }
        registration = address;
        admitted = proof(address).map(credential -> new DpsAmqpLink(vertx, context, provisioning, address, credential,
                limits, handshake.clientAddress()));
        return admitted;
    }

    private Future<DeviceCredential> proof(DpsLinkAddress address) {
        if (peer instanceof DpsAmqpPeer.Sas sas) {
            return sameRegistration(sas.registration(), address, new DeviceCredential.Sas(sas.token()));
        }
        if (peer instanceof DpsAmqpPeer.Tpm tpm) {
            return sameRegistration(tpm.registration(), address,
                    new DeviceCredential.Tpm(tpm.endorsementKey(), tpm.storageRootKey(), tpm.token()));
        }
        if (!(peer instanceof DpsAmqpPeer.Certificate certificate)) {
            return Future.failedFuture(ProvisioningException.unauthorized("no SASL PLAIN, TPM or client certificate"));
        }
        DeviceCredential.X509 x509 = new DeviceCredential.X509(certificate.chain());
        return provisioning.authenticate(handshake.clientAddress(), address.idScope(), address.registrationId(), x509)
                .map(x509);
    }

    private static Future<DeviceCredential> sameRegistration(DpsLinkAddress sasl, DpsLinkAddress link,
            DeviceCredential credential) {
        return sasl.sameRegistration(link) ? Future.succeededFuture(credential)
                : Future.failedFuture(ProvisioningException.unauthorized("SASL user " + sasl
                        + " is not the link's registration " + link));
    }
}
