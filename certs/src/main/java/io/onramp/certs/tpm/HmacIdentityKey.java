package io.onramp.certs.tpm;

import static io.onramp.certs.tpm.TpmConstants.ALG_HMAC;
import static io.onramp.certs.tpm.TpmConstants.ALG_KEYEDHASH;
import static io.onramp.certs.tpm.TpmConstants.ALG_SHA256;
import static io.onramp.certs.tpm.TpmConstants.ATTR_NO_DA;
import static io.onramp.certs.tpm.TpmConstants.ATTR_SIGN;
import static io.onramp.certs.tpm.TpmConstants.ATTR_USER_WITH_AUTH;

/**
 * The HMAC identity key the device imports (spec §5.4 steps 1-3): a KEYEDHASH object with an HMAC-SHA256 scheme,
 * its public area, Name and sensitive area. Attributes are {@code sign|userWithAuth|noDA}: never
 * {@code fixedTPM}/{@code fixedParent}, which TPM2_Import refuses.
 */
final class HmacIdentityKey {

    static final int ATTRIBUTES = ATTR_SIGN | ATTR_USER_WITH_AUTH | ATTR_NO_DA;

    private final byte[] publicArea;
    private final byte[] name;
    private final byte[] sensitive;

    /** @param seedValue the obfuscation value of Part 1, 27.2.4; its size must be the nameAlg digest size, 32 */
    HmacIdentityKey(byte[] hmacKey, byte[] seedValue) {
        if (seedValue.length != TpmConstants.SHA256_SIZE) {
            throw new IllegalArgumentException("seedValue must have 32 bytes, not " + seedValue.length);
        }
        this.publicArea = new TpmWriter()
                .u16(ALG_KEYEDHASH)
                .u16(ALG_SHA256)
                .u32(ATTRIBUTES)
                .tpm2b(new byte[0]) // authPolicy
                .u16(ALG_HMAC) // TPMT_KEYEDHASH_SCHEME.scheme
                .u16(ALG_SHA256) // TPMS_SCHEME_HMAC.hashAlg
                .tpm2b(Sha256.digest(seedValue, hmacKey)) // unique = H(seedValue || key)
                .toByteArray();
        this.name = TpmNames.sha256Name(publicArea);
        this.sensitive = new TpmWriter()
                .u16(ALG_KEYEDHASH)
                .tpm2b(new byte[0]) // authValue: the SDKs use the key without a password
                .tpm2b(seedValue)
                .tpm2b(hmacKey)
                .toByteArray();
    }

    /** The marshalled TPMT_PUBLIC (48 bytes). */
    byte[] publicArea() {
        return publicArea.clone();
    }

    byte[] name() {
        return name.clone();
    }

    /** The marshalled TPMT_SENSITIVE (72 bytes with a 32-byte key). */
    byte[] sensitive() {
        return sensitive.clone();
    }
}
