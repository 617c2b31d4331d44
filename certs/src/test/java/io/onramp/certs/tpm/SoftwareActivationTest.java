package io.onramp.certs.tpm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.interfaces.RSAPublicKey;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The software device: its public areas are the SDK templates swtpm made (the committed fixtures), and its
 * activation recovers what {@link IdentityKeyChallenge#build} wrapped, or says which check a bad blob failed.
 * {@link IdentityKeyChallengeTest} covers the credential's binding to the SRK name.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SoftwareActivationTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final byte[] HUB = "hub-1.example.net".getBytes(StandardCharsets.UTF_8);

    private final KeyPair ekPair;
    private final KeyPair srkPair;
    private final TpmPublicArea ek;
    private final TpmPublicArea srk;

    /** One EK and SRK for all the tests (an RSA key pair costs 50 to 100 ms). */
    SoftwareActivationTest() throws Exception {
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        ekPair = rsa.generateKeyPair();
        ek = TpmPublicArea.parse(SoftwareActivation.storageKeyPublic((RSAPublicKey) ekPair.getPublic(), true));
        srkPair = rsa.generateKeyPair();
        srk = TpmPublicArea.parse(SoftwareActivation.storageKeyPublic((RSAPublicKey) srkPair.getPublic(), false));
    }

    @Test
    void publicAreasAreTheTemplatesSwtpmMadeButForTheModulus() {
        byte[] ekPublic = SoftwareActivation.storageKeyPublic((RSAPublicKey) ekPair.getPublic(), true);
        byte[] srkPublic = SoftwareActivation.storageKeyPublic((RSAPublicKey) srkPair.getPublic(), false);

        // Everything up to the modulus: size, type, nameAlg, attributes, policy, AES-128-CFB, scheme, bits, exponent.
        assertThat(Arrays.copyOf(ekPublic, 60)).isEqualTo(Arrays.copyOf(TpmFixtures.bytes("ek-rsa.pub"), 60));
        assertThat(Arrays.copyOf(srkPublic, 28)).isEqualTo(Arrays.copyOf(TpmFixtures.bytes("srk-rsa.pub"), 28));
        assertThat(ekPublic).hasSameSizeAs(TpmFixtures.bytes("ek-rsa.pub"));
        assertThat(srkPublic).hasSameSizeAs(TpmFixtures.bytes("srk-rsa.pub"));
        assertThat(ek.rsaPublicKey()).isEqualTo(ekPair.getPublic());
        assertThat(srk.isRestrictedDecryptionKey()).isTrue();
    }

    @Test
    void recoversTheIdentityKeyTheInnerKeyAndEncUri() throws Exception {
        byte[] hmacKey = key();

        SoftwareActivation.Result result = activate(IdentityKeyChallenge.build(ek, srk, hmacKey, HUB, RANDOM));

        assertThat(result.hmacKey()).isEqualTo(hmacKey);
        assertThat(result.innerKey()).hasSize(IdentityKeyChallenge.INNER_KEY_BYTES);
        assertThat(result.encUriPlaintext()).isEqualTo(HUB);
    }

    @Test
    void anotherEkCannotDecryptTheCredentialSeed() {
        byte[] blob = IdentityKeyChallenge.build(ek, srk, key(), HUB, RANDOM);

        assertThatThrownBy(() -> SoftwareActivation.activate(blob, srkPair.getPrivate(), ek.symmetricKeyBits(),
                srkPair.getPrivate(), srk.name(), srk.symmetricKeyBits()))
                .isInstanceOf(GeneralSecurityException.class);
    }

    @Test
    void aTamperedDuplicateFailsTheOuterIntegrity() {
        byte[] blob = IdentityKeyChallenge.build(ek, srk, key(), HUB, RANDOM);
        ChallengeItems items = ChallengeItems.split(blob);
        // The last byte of TPM2B_PRIVATE: idObject and the EK's secret come first.
        blob[items.idObject().length + items.encryptedCredentialSeed().length + items.duplicate().length - 1] ^= 1;

        assertThatThrownBy(() -> activate(blob)).isInstanceOf(GeneralSecurityException.class)
                .hasMessageContaining("outer integrity");
    }

    @Test
    void aBlobWithATrailingByteIsMalformed() {
        byte[] blob = IdentityKeyChallenge.build(ek, srk, key(), HUB, RANDOM);
        byte[] longer = Arrays.copyOf(blob, blob.length + 1);

        assertThatThrownBy(() -> activate(longer)).isInstanceOf(GeneralSecurityException.class)
                .hasMessageContaining("trailing");
        assertThatThrownBy(() -> activate(Arrays.copyOf(blob, 100))).isInstanceOf(GeneralSecurityException.class)
                .hasMessageContaining("truncated");
    }

    private SoftwareActivation.Result activate(byte[] blob) throws GeneralSecurityException {
        return SoftwareActivation.activate(blob, ekPair.getPrivate(), ek.symmetricKeyBits(), srkPair.getPrivate(),
                srk.name(), srk.symmetricKeyBits());
    }

    private static byte[] key() {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        return key;
    }
}
