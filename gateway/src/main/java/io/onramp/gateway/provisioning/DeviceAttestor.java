package io.onramp.gateway.provisioning;

import io.onramp.gateway.error.ProvisioningException;
import io.vertx.core.Future;
import java.util.List;

/**
 * Sends each credential to the attestor for its kind: a certificate chain to X.509, a request with TPM keys to TPM,
 * anything else to SAS. A TPM device's polls carry SAS tokens signed with its identity key, checked as SAS.
 */
public final class DeviceAttestor {

    private final SymmetricKeyAttestor symmetricKeys;
    private final X509Attestor x509;
    private final TpmAttestor tpm;

    public DeviceAttestor(SymmetricKeyAttestor symmetricKeys, X509Attestor x509, TpmAttestor tpm) {
        this.symmetricKeys = symmetricKeys;
        this.x509 = x509;
        this.tpm = tpm;
    }

    public Future<AttestedDevice> attest(String idScope, String registrationId, DeviceCredential credential) {
        if (credential instanceof DeviceCredential.X509 chain) {
            return x509.attest(idScope, registrationId, chain);
        }
        if (credential instanceof DeviceCredential.Tpm keys) {
            return tpm.attest(idScope, registrationId, keys);
        }
        // A TPM device's later requests carry only a token, signed with the identity key its TPM imported.
        return symmetricKeys.attest(idScope, registrationId, credential).recover(refused -> tpm
                .attestRegistered(idScope, registrationId, credential)
                .recover(notTpm -> Future.failedFuture(refused)));
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
