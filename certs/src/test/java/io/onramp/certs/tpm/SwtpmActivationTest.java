package io.onramp.certs.tpm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real check: challenges built for the EK and SRK of a swtpm are activated and imported by the TPM itself
 * (tpm2-tools doing what the SDKs do, spec §5.6), and the TPM then computes HMACs equal to the server's. Needs swtpm
 * and tpm2-tools (.ci/run installs them); fails, does not skip, without them.
 */
class SwtpmActivationTest {

    private static final SecureRandom RANDOM = new SecureRandom();

    @TempDir
    static Path dir;
    static SwtpmDevice device;
    static TpmPublicArea ek;
    static TpmPublicArea srk;

    @BeforeAll
    static void startTpm() throws TpmFormatException {
        device = SwtpmDevice.start(dir);
        ek = TpmPublicArea.parse(device.endorsementKey());
        srk = TpmPublicArea.parse(device.storageRootKey());
    }

    @AfterAll
    static void stopTpm() {
        if (device != null) {
            device.close();
        }
    }

    @Test
    void theTpmImportsTheKeyAndSignsAsTheServerDoes() throws Exception {
        // GIVEN a challenge for this TPM's EK and SRK
        byte[] hmacKey = key();
        byte[] hub = "hub-1.example.net".getBytes(StandardCharsets.UTF_8);
        byte[] blob = IdentityKeyChallenge.build(ek, srk, hmacKey, hub, RANDOM);

        // WHEN the TPM activates it
        byte[] innerKey = device.activateIdentityKey(blob);

        // THEN its HMACs are the server's, and the inner key it recovered opens encUriData
        for (String data : new String[] {"", "0ne0000AB12%2Fregistrations%2Fdev-1\n1795701297", "x".repeat(3000)}) {
            byte[] bytes = data.getBytes(StandardCharsets.UTF_8);
            assertThat(device.sign(bytes)).as("%d bytes", bytes.length).isEqualTo(hmac(hmacKey, bytes));
        }
        assertThat(SoftwareActivation.cfbDecrypt(innerKey,
                ChallengeItems.content(ChallengeItems.split(blob).encUriData()))).isEqualTo(hub);
    }

    @Test
    void aSecondChallengeReplacesTheIdentityKey() throws Exception {
        byte[] first = key();
        byte[] second = key();
        byte[] data = "sign me".getBytes(StandardCharsets.UTF_8);

        device.activateIdentityKey(IdentityKeyChallenge.build(ek, srk, first, new byte[0], RANDOM));
        byte[] before = device.sign(data);
        device.activateIdentityKey(IdentityKeyChallenge.build(ek, srk, second, new byte[0], RANDOM));

        assertThat(before).isEqualTo(hmac(first, data));
        assertThat(device.sign(data)).isEqualTo(hmac(second, data));
    }

    @Test
    void theTpmRefusesAChallengeForAnotherSrk() throws TpmFormatException {
        // The credential names another TPM's SRK: ActivateCredential's integrity check fails.
        TpmPublicArea otherSrk = TpmPublicArea.parse(TpmFixtures.bytes("srk-rsa.pub"));

        byte[] blob = IdentityKeyChallenge.build(ek, otherSrk, key(), new byte[0], RANDOM);

        assertThatThrownBy(() -> device.activateIdentityKey(blob))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("tpm2_activatecredential");
    }

    @Test
    void theTpmRefusesAChallengeForAnotherEk() throws TpmFormatException {
        // The seed is encrypted to another TPM's EK: this TPM cannot decrypt it.
        TpmPublicArea otherEk = TpmPublicArea.parse(TpmFixtures.bytes("ek-rsa.pub"));

        byte[] blob = IdentityKeyChallenge.build(otherEk, srk, key(), new byte[0], RANDOM);

        assertThatThrownBy(() -> device.activateIdentityKey(blob))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("tpm2_activatecredential");
    }

    @Test
    void theDeviceSendsWhatTheSdksSend() throws TpmFormatException {
        // The swtpm keys parse, with the attributes the SDK templates give them.
        assertThat(ek.objectAttributes()).isEqualTo(0x000300B2);
        assertThat(srk.objectAttributes()).isEqualTo(0x00030472);
        assertThat(TpmPublicArea.parseBase64(device.endorsementKeyBase64())).isEqualTo(ek);
    }

    @Test
    void toolsAreFoundOnThePathOrNamedWhenMissing(@TempDir Path empty) {
        assertThat(TpmToolsCheck.missing(System.getenv("PATH"))).isEmpty();
        assertThat(TpmToolsCheck.missing(empty.toString())).contains("swtpm", "tpm2_activatecredential");
    }

    private static byte[] key() {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        return key;
    }

    private static byte[] hmac(byte[] key, byte[] data) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(data);
    }
}
