package io.onramp.certs.tpm;

/** The TPM 2.0 algorithm identifiers and object attribute bits this package uses (TPM 2.0 Part 2, 6.3 and 8.3). */
final class TpmConstants {

    static final int ALG_RSA = 0x0001;
    static final int ALG_SHA256 = 0x000B;
    static final int ALG_HMAC = 0x0005;
    static final int ALG_AES = 0x0006;
    static final int ALG_KEYEDHASH = 0x0008;
    static final int ALG_NULL = 0x0010;
    static final int ALG_ECC = 0x0023;
    static final int ALG_CFB = 0x0043;

    static final int SHA256_SIZE = 32;

    static final int ATTR_USER_WITH_AUTH = 1 << 6;
    static final int ATTR_NO_DA = 1 << 10;
    static final int ATTR_RESTRICTED = 1 << 16;
    static final int ATTR_DECRYPT = 1 << 17;
    static final int ATTR_SIGN = 1 << 18;

    private TpmConstants() {
    }
}
