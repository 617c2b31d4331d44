package io.onramp.certs.tpm;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * KDFa with HMAC-SHA256, the counter-mode key derivation of TPM 2.0 Part 1, 11.4.10.2 (NIST SP 800-108):
 * {@code K(i) = HMAC(key, UINT32(i) || label || 0x00 || contextU || contextV || UINT32(bits))}, output the first
 * {@code bits/8} bytes of {@code K(1) || K(2) || ...}.
 */
final class Kdfa {

    private Kdfa() {
    }

    /**
     * @param label ASCII label without its terminating zero ("STORAGE", "INTEGRITY"); the zero is added here
     * @param bits  output size in bits, a positive multiple of 8 (every size the TPM wrapping uses is)
     */
    static byte[] sha256(byte[] key, String label, byte[] contextU, byte[] contextV, int bits) {
        if (bits <= 0 || bits % 8 != 0) {
            throw new IllegalArgumentException("KDFa output of " + bits + " bits is not a positive multiple of 8");
        }
        byte[] labelZ = Arrays.copyOf(label.getBytes(StandardCharsets.US_ASCII), label.length() + 1);
        byte[] bitsField = new TpmWriter().u32(bits).toByteArray();
        byte[] out = new byte[bits / 8];
        int filled = 0;
        for (int counter = 1; filled < out.length; counter++) {
            byte[] block = Sha256.hmac(key, new TpmWriter().u32(counter).toByteArray(), labelZ, contextU, contextV,
                    bitsField);
            int take = Math.min(block.length, out.length - filled);
            System.arraycopy(block, 0, out, filled, take);
            filled += take;
        }
        return out;
    }
}
