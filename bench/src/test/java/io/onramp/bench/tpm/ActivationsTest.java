package io.onramp.bench.tpm;

import static org.assertj.core.api.Assertions.assertThat;

import io.onramp.certs.sas.SasToken;
import io.onramp.certs.sas.SasTokenVerifier;
import io.onramp.certs.tpm.IdentityKeyChallenge;
import io.onramp.certs.tpm.TpmPublicArea;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The phased round's middle step: each challenged device's token is signed with the key its blob carries. */
class ActivationsTest {

    private static final SecureRandom RANDOM = new SecureRandom();

    @Test
    void signsEachChallengedDevicesTokenWithTheKeyItsBlobCarriesAndCountsTheOthers() throws Exception {
        TpmDevices devices = new TpmDevices(3);
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        Activations activations = new Activations(devices.size());
        activations.challenged(0, blob(devices.tpm(0), key));
        activations.challenged(1, blob(devices.tpm(0), key)); // device 0's challenge: device 1 cannot activate it

        assertThat(activations.activateAll(devices, "0ne0000TPM6")).isEqualTo(2);

        SasToken token = SasToken.parse(activations.token(0));
        assertThat(token.decodedResource()).isEqualTo("0ne0000TPM6/registrations/tpm-bench-000000");
        SasTokenVerifier verifier = new SasTokenVerifier(Clock.systemUTC(), Duration.ofMinutes(5));
        assertThat(verifier.verify(token, List.of(key))).isEqualTo(SasTokenVerifier.Verdict.VALID);
        assertThat(activations.token(1)).isNull();
        assertThat(activations.token(2)).isNull();
    }

    private static String blob(SoftwareTpm device, byte[] key) throws Exception {
        return Base64.getEncoder().encodeToString(IdentityKeyChallenge.build(
                TpmPublicArea.parseBase64(device.endorsementKey()), TpmPublicArea.parseBase64(device.storageRootKey()),
                key, new byte[0], RANDOM));
    }
}
