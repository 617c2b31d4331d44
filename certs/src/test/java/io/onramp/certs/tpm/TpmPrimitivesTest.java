package io.onramp.certs.tpm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.MGF1ParameterSpec;
import java.util.HexFormat;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** KDFa against OpenSSL's SP 800-108 KBKDF; CFB and OAEP against the JDK's own ciphers. */
class TpmPrimitivesTest {

    private static final byte[] KEY = HexFormat.of()
            .parseHex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");

    @Test
    void kdfaWithContextMatchesOpenssl() {
        byte[] out = Kdfa.sha256(KEY, "STORAGE", HexFormat.of().parseHex("000b01"), HexFormat.of().parseHex("02030405"),
                128);

        // OpenSSL takes one context; KDFa's contextU || contextV is that context.
        assertThat(out).isEqualTo(TpmFixtures.expectedHex("kdfa.storage"));
    }

    @Test
    void kdfaOverSeveralBlocksMatchesOpenssl() {
        byte[] out = Kdfa.sha256(KEY, "INTEGRITY", new byte[0], new byte[0], 640);

        assertThat(out).isEqualTo(TpmFixtures.expectedHex("kdfa.integrity640"));
    }

    @Test
    void kdfaRefusesSizesThatAreNotWholeBytes() {
        assertThatThrownBy(() -> Kdfa.sha256(KEY, "STORAGE", new byte[0], new byte[0], 12))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Kdfa.sha256(KEY, "STORAGE", new byte[0], new byte[0], 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void cfbIsTheJdksAesCfbWithAZeroIvForAnyLength() throws Exception {
        byte[] key = new byte[16];
        new SecureRandom().nextBytes(key);
        for (int length : new int[] {0, 1, 15, 16, 17, 74, 108}) {
            byte[] data = new byte[length];
            new SecureRandom().nextBytes(data);
            Cipher jdk = Cipher.getInstance("AES/CFB/NoPadding");
            jdk.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(new byte[16]));

            assertThat(AesCfb.encrypt(key, data)).as("%d bytes", length).isEqualTo(jdk.doFinal(data));
        }
    }

    @Test
    void oaepLabelCarriesItsTrailingZero() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair pair = generator.generateKeyPair();
        byte[] seed = new byte[32];
        new SecureRandom().nextBytes(seed);

        byte[] encrypted = OaepEncryptor.encrypt((RSAPublicKey) pair.getPublic(), "IDENTITY", seed, new SecureRandom());

        assertThat(encrypted).hasSize(256);
        assertThat(jdkOaepDecrypt(pair, "IDENTITY\0", encrypted)).isEqualTo(seed);
        assertThatThrownBy(() -> jdkOaepDecrypt(pair, "IDENTITY", encrypted))
                .as("the label without its zero byte must not decrypt")
                .isInstanceOf(javax.crypto.BadPaddingException.class);
    }

    static byte[] jdkOaepDecrypt(KeyPair pair, String label, byte[] encrypted) throws Exception {
        Cipher oaep = Cipher.getInstance("RSA/ECB/OAEPPadding");
        oaep.init(Cipher.DECRYPT_MODE, pair.getPrivate(), new OAEPParameterSpec("SHA-256", "MGF1",
                MGF1ParameterSpec.SHA256, new PSource.PSpecified(label.getBytes(StandardCharsets.US_ASCII))));
        return oaep.doFinal(encrypted);
    }
}
