package io.onramp.certs.tpm;

import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.params.KeyParameter;

/** SHA-256 and HMAC-SHA256 over concatenated parts, the two hashes every TPM wrapping step needs. */
final class Sha256 {

    private Sha256() {
    }

    static byte[] digest(byte[]... parts) {
        SHA256Digest digest = new SHA256Digest();
        for (byte[] part : parts) {
            digest.update(part, 0, part.length);
        }
        byte[] out = new byte[digest.getDigestSize()];
        digest.doFinal(out, 0);
        return out;
    }

    static byte[] hmac(byte[] key, byte[]... parts) {
        HMac mac = new HMac(new SHA256Digest());
        mac.init(new KeyParameter(key));
        for (byte[] part : parts) {
            mac.update(part, 0, part.length);
        }
        byte[] out = new byte[mac.getMacSize()];
        mac.doFinal(out, 0);
        return out;
    }
}
