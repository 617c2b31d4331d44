package io.onramp.certs.tpm;

import org.bouncycastle.crypto.StreamCipher;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.modes.CFBBlockCipher;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;

/**
 * AES in full-block CFB (128-bit feedback) with a zero IV and no padding, the symmetric wrapping of TPM 2.0
 * Part 1, 11.4.6.3 as used for credentials and inner/outer duplication wrappers. Any length, key of 16/24/32 bytes.
 */
final class AesCfb {

    private static final int BLOCK_BITS = 128;

    private AesCfb() {
    }

    static byte[] encrypt(byte[] key, byte[] data) {
        StreamCipher cfb = CFBBlockCipher.newInstance(AESEngine.newInstance(), BLOCK_BITS);
        cfb.init(true, new ParametersWithIV(new KeyParameter(key), new byte[BLOCK_BITS / 8]));
        byte[] out = new byte[data.length];
        cfb.processBytes(data, 0, data.length, out, 0);
        return out;
    }
}
