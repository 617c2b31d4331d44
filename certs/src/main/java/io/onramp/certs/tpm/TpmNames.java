package io.onramp.certs.tpm;

import static io.onramp.certs.tpm.TpmConstants.ALG_SHA256;

/** TPM object names (TPM 2.0 Part 1, 16): nameAlg followed by the digest of the marshalled TPMT_PUBLIC. */
final class TpmNames {

    private TpmNames() {
    }

    static byte[] sha256Name(byte[] tpmtPublic) {
        return new TpmWriter().u16(ALG_SHA256).bytes(Sha256.digest(tpmtPublic)).toByteArray();
    }
}
