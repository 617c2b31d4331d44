package io.onramp.bench.tpm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.onramp.certs.tpm.IdentityKeyChallenge;
import io.onramp.certs.tpm.TpmPublicArea;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** The bench's software device against the gateway's challenge builder: it must recover the identity key. */
class SoftwareTpmTest {

    private static final SecureRandom RANDOM = new SecureRandom();

    @Test
    void activatesTheChallengeOfItsOwnKeys() throws Exception {
        SoftwareTpm device = new SoftwareTpm(SoftwareTpm.rsaKeyPair(), SoftwareTpm.rsaKeyPair());
        TpmPublicArea ek = TpmPublicArea.parseBase64(device.endorsementKey());
        TpmPublicArea srk = TpmPublicArea.parseBase64(device.storageRootKey());
        byte[] hmacKey = new byte[32];
        RANDOM.nextBytes(hmacKey);

        String blob = Base64.getEncoder().encodeToString(
                IdentityKeyChallenge.build(ek, srk, hmacKey, "hub".getBytes(), RANDOM));

        assertThat(device.activate(blob)).isEqualTo(hmacKey);
    }

    @Test
    void anotherDevicesChallengeFails() throws Exception {
        SoftwareTpm device = new SoftwareTpm(SoftwareTpm.rsaKeyPair(), SoftwareTpm.rsaKeyPair());
        SoftwareTpm other = new SoftwareTpm(SoftwareTpm.rsaKeyPair(), SoftwareTpm.rsaKeyPair());
        String blob = Base64.getEncoder().encodeToString(IdentityKeyChallenge.build(
                TpmPublicArea.parseBase64(other.endorsementKey()), TpmPublicArea.parseBase64(other.storageRootKey()),
                new byte[32], new byte[0], RANDOM));

        assertThatThrownBy(() -> device.activate(blob)).isInstanceOf(GeneralSecurityException.class);
    }
}
