package io.onramp.gateway.provisioning;

import io.onramp.gateway.error.ProvisioningException;
import io.vertx.core.Future;
import java.util.List;

/** Sends each credential to the attestor for its kind: a certificate chain to X.509, anything else to SAS. */
public final class DeviceAttestor {

    private final SymmetricKeyAttestor symmetricKeys;
    private final X509Attestor x509;

    public DeviceAttestor(SymmetricKeyAttestor symmetricKeys, X509Attestor x509) {
        this.symmetricKeys = symmetricKeys;
        this.x509 = x509;
    }

    public Future<AttestedDevice> attest(String idScope, String registrationId, DeviceCredential credential) {
        return credential instanceof DeviceCredential.X509 chain
                ? x509.attest(idScope, registrationId, chain)
                : symmetricKeys.attest(idScope, registrationId, credential);
    }

    /** Checks a poll against what {@link AttestedDevice#proof()} recorded at register time. */
    public void verifyAgain(String idScope, String registrationId, DeviceCredential credential, List<String> proof) {
        if (proof.size() == 1 && proof.get(0).startsWith(AttestedDevice.X509_PROOF)) {
            x509.verifyAgain(idScope, registrationId, credential, proof.get(0).substring(AttestedDevice.X509_PROOF.length()));
        } else if (credential instanceof DeviceCredential.X509) {
            throw ProvisioningException.unauthorized(
                    "certificate on a poll of " + registrationId + ", registered by key");
        } else {
            symmetricKeys.verifyAgain(idScope, registrationId, credential, proof);
        }
    }
}
