package io.onramp.certs.tpm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.interfaces.RSAPublicKey;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The blob's layout (spec §5.2) and a software activation with the JDK's ciphers for RSA keys whose private halves
 * the test holds. {@link SwtpmActivationTest} proves the same blobs on a real TPM.
 */
class IdentityKeyChallengeTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final byte[] HUB = "hub-1.example.net".getBytes(StandardCharsets.UTF_8);

    static KeyPair ekPair;
    static KeyPair srkPair;
    static TpmPublicArea ek;
    static TpmPublicArea srk;

    @BeforeAll
    static void keys() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        ekPair = generator.generateKeyPair();
        srkPair = generator.generateKeyPair();
        // The swtpm fixtures with the modulus replaced: same templates, keys whose private half we hold.
        ek = TpmPublicArea.parse(withModulus(TpmFixtures.bytes("ek-rsa.pub"), 60, ekPair));
        srk = TpmPublicArea.parse(withModulus(TpmFixtures.bytes("srk-rsa.pub"), 28, srkPair));
    }

    @Test
    void sixItemsWithTheSizesOfTheSpec() {
        ChallengeItems items = ChallengeItems.split(IdentityKeyChallenge.build(ek, srk, key(), HUB, RANDOM));

        assertThat(items.idObject()).hasSize(54);
        assertThat(items.encryptedCredentialSeed()).hasSize(258);
        assertThat(items.duplicate()).hasSize(144);
        assertThat(items.encryptedDuplicationSeed()).hasSize(258);
        assertThat(items.identityPublic()).hasSize(50);
        assertThat(items.encUriData()).hasSize(2 + HUB.length);
    }

    @Test
    void identityKeyPublicAreaIsAnHmacKeyTheTpmCanImport() {
        ChallengeItems items = ChallengeItems.split(IdentityKeyChallenge.build(ek, srk, key(), HUB, RANDOM));
        byte[] publicArea = ChallengeItems.content(items.identityPublic());

        // KEYEDHASH, SHA-256, sign|userWithAuth|noDA, empty policy, HMAC scheme with SHA-256, 32-byte unique.
        assertThat(HexFormat.of().formatHex(Arrays.copyOf(publicArea, 16)))
                .isEqualTo("0008" + "000b" + "00040440" + "0000" + "0005" + "000b" + "0020");
        assertThat(publicArea).hasSize(48);
    }

    @Test
    void softwareActivationRecoversTheKeyAndEncUri() throws Exception {
        byte[] hmacKey = key();

        byte[] blob = IdentityKeyChallenge.build(ek, srk, hmacKey, HUB, RANDOM);
        SoftwareActivation.Result result = SoftwareActivation.activate(blob, ekPair.getPrivate(), 128,
                srkPair.getPrivate(), srk.name(), 128);

        assertThat(result.hmacKey()).isEqualTo(hmacKey);
        assertThat(result.innerKey()).hasSize(16);
        assertThat(result.encUriPlaintext()).isEqualTo(HUB);
    }

    @Test
    void emptyEncUriIsAnEmptyTpm2bData() throws Exception {
        byte[] blob = IdentityKeyChallenge.build(ek, srk, key(), new byte[0], RANDOM);

        assertThat(ChallengeItems.split(blob).encUriData()).containsExactly(0, 0);
        assertThat(SoftwareActivation.activate(blob, ekPair.getPrivate(), 128, srkPair.getPrivate(), srk.name(), 128)
                .encUriPlaintext()).isEmpty();
    }

    @Test
    void theCredentialIsBoundToTheSrkName() {
        // Activating for another object than the SRK (here: the EK's name) must fail the integrity check.
        byte[] blob = IdentityKeyChallenge.build(ek, srk, key(), HUB, RANDOM);

        assertThatThrownBy(() -> SoftwareActivation.activate(blob, ekPair.getPrivate(), 128, srkPair.getPrivate(),
                ek.name(), 128)).hasMessageContaining("credential integrity");
    }

    @Test
    void everyBlobIsFreshlyRandomForTheSameKey() {
        byte[] hmacKey = key();

        byte[] first = IdentityKeyChallenge.build(ek, srk, hmacKey, HUB, RANDOM);
        byte[] second = IdentityKeyChallenge.build(ek, srk, hmacKey, HUB, RANDOM);

        assertThat(first).hasSameSizeAs(second).isNotEqualTo(second);
    }

    @Test
    void sameLayoutAsTheBlobTheJavaSdkAcceptedInTheCapture() {
        // The authenticationKey the Java SDK activated on swtpm (spec captures, dps-tpm-java.txt): 766 + 17 bytes.
        ChallengeItems captured = ChallengeItems.split(Base64.getDecoder().decode(capturedBlob()));
        ChallengeItems ours = ChallengeItems.split(IdentityKeyChallenge.build(ek, srk, key(),
                new byte[17], RANDOM));

        assertThat(sizes(ours)).isEqualTo(sizes(captured));
        assertThat(ChallengeItems.content(ours.identityPublic()))
                .startsWith(Arrays.copyOf(ChallengeItems.content(captured.identityPublic()), 16));
    }

    @Test
    void refusesKeysTheTpmCannotHoldAndOversizedEncUri() {
        assertThatThrownBy(() -> IdentityKeyChallenge.build(ek, srk, new byte[0], HUB, RANDOM))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("hmacKey");
        assertThatThrownBy(() -> IdentityKeyChallenge.build(ek, srk, new byte[129], HUB, RANDOM))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("hmacKey");
        assertThatThrownBy(() -> IdentityKeyChallenge.build(ek, srk, key(), new byte[1025], RANDOM))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("encUriData");
        assertThatThrownBy(() -> IdentityKeyChallenge.build(null, srk, key(), HUB, RANDOM))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("endorsementKey");
        assertThatThrownBy(() -> IdentityKeyChallenge.build(ek, srk, key(), null, RANDOM))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("encUriPlaintext");
    }

    @Test
    void costOfOneChallenge() {
        // A figure for the log, not an assertion: two RSA-OAEP encryptions dominate.
        int rounds = 200;
        for (int i = 0; i < 50; i++) {
            IdentityKeyChallenge.build(ek, srk, key(), HUB, RANDOM);
        }
        long start = System.nanoTime();
        for (int i = 0; i < rounds; i++) {
            IdentityKeyChallenge.build(ek, srk, key(), HUB, RANDOM);
        }
        long micros = (System.nanoTime() - start) / 1000 / rounds;
        System.getLogger(IdentityKeyChallengeTest.class.getName()).log(System.Logger.Level.INFO,
                "IdentityKeyChallenge.build: " + micros + " µs per challenge (mean of " + rounds + ")");
    }

    private static int[] sizes(ChallengeItems items) {
        return new int[] {items.idObject().length, items.encryptedCredentialSeed().length, items.duplicate().length,
            items.encryptedDuplicationSeed().length, items.identityPublic().length, items.encUriData().length};
    }

    private static byte[] key() {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        return key;
    }

    private static byte[] withModulus(byte[] tpm2bPublic, int offset, KeyPair pair) {
        BigInteger modulus = ((RSAPublicKey) pair.getPublic()).getModulus();
        byte[] bytes = modulus.toByteArray();
        byte[] unsigned = bytes.length == 257 ? Arrays.copyOfRange(bytes, 1, 257) : bytes;
        byte[] copy = tpm2bPublic.clone();
        System.arraycopy(unsigned, 0, copy, offset, 256);
        return copy;
    }

    /** The 401 body the Java SDK 2.1.3 activated on swtpm, from the spec's capture dps-tpm-java.txt. */
    private static String capturedBlob() {
        Matcher matcher = Pattern.compile("\"authenticationKey\":\"([^\"]+)\"").matcher(
                new String(TpmFixtures.bytes("java-sdk-challenge.json"), StandardCharsets.UTF_8));
        assertThat(matcher.find()).as("authenticationKey in tpm/java-sdk-challenge.json").isTrue();
        return matcher.group(1);
    }
}
