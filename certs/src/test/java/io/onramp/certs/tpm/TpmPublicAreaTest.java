package io.onramp.certs.tpm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.Arrays;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Parsing EK and SRK public areas made by swtpm and sent by the Java SDK; names as tpm2-tools computes them. */
class TpmPublicAreaTest {

    private static final byte[] EK = TpmFixtures.bytes("ek-rsa.pub");
    private static final byte[] SRK = TpmFixtures.bytes("srk-rsa.pub");

    // Offsets in the TPM2B_PUBLIC fixtures (big-endian fields after the 2-byte size).
    private static final int TYPE = 2;
    private static final int NAME_ALG = 4;
    private static final int ATTRIBUTES = 6;
    /** The SRK has an empty authPolicy, so its parameters start right after the policy size. */
    private static final int SRK_SYMMETRIC = 12;
    private static final int SRK_SCHEME = 18;
    private static final int SRK_KEY_BITS = 20;
    private static final int SRK_EXPONENT = 22;

    @Nested
    class Accepts {

        @Test
        void swtpmEndorsementKey() throws TpmFormatException {
            TpmPublicArea ek = TpmPublicArea.parse(EK);

            assertThat(ek.name()).isEqualTo(TpmFixtures.expectedHex("ek-rsa.name"));
            assertThat(ek.objectAttributes()).isEqualTo(0x000300B2);
            assertThat(ek.symmetricKeyBits()).isEqualTo(128);
            assertThat(ek.isRestrictedDecryptionKey()).isTrue();
            assertThat(ek.rsaPublicKey().getModulus())
                    .isEqualTo(new BigInteger(1, TpmFixtures.expectedHex("ek-rsa.modulus")));
            assertThat(ek.rsaPublicKey().getPublicExponent()).isEqualTo(BigInteger.valueOf(65537));
            assertThat(ek.encoded()).isEqualTo(Arrays.copyOfRange(EK, 2, EK.length));
        }

        @Test
        void swtpmStorageRootKeyWithTheSdkTemplate() throws TpmFormatException {
            TpmPublicArea srk = TpmPublicArea.parse(SRK);

            assertThat(srk.name()).isEqualTo(TpmFixtures.expectedHex("srk-rsa.name"));
            assertThat(srk.objectAttributes()).isEqualTo(0x00030472);
            assertThat(srk.symmetricKeyBits()).isEqualTo(128);
            assertThat(srk.rsaPublicKey().getModulus())
                    .isEqualTo(new BigInteger(1, TpmFixtures.expectedHex("srk-rsa.modulus")));
        }

        @Test
        void keysTheJavaSdkSent() throws TpmFormatException {
            TpmPublicArea ek = TpmPublicArea.parseBase64(TpmFixtures.JAVA_SDK_EK);
            TpmPublicArea srk = TpmPublicArea.parseBase64(TpmFixtures.JAVA_SDK_SRK);

            assertThat(ek.name()).isEqualTo(TpmFixtures.expectedHex("java-sdk-ek.name"));
            assertThat(srk.name()).isEqualTo(TpmFixtures.expectedHex("java-sdk-srk.name"));
            assertThat(srk.objectAttributes()).isEqualTo(0x00030472);
            assertThat(ek.rsaPublicKey().getModulus().bitLength()).isEqualTo(2048);
        }

        @Test
        void base64IsTheSameAsBytes() throws TpmFormatException {
            String base64 = java.util.Base64.getEncoder().encodeToString(EK);

            assertThat(TpmPublicArea.parseBase64(base64)).isEqualTo(TpmPublicArea.parse(EK));
            assertThat(TpmPublicArea.parse(EK)).isNotEqualTo(TpmPublicArea.parse(SRK));
        }

        @Test
        void exponentZeroMeans65537AndAnExplicitOneIsKept() throws TpmFormatException {
            // The SRK fixture says 0; write 3 instead.
            TpmPublicArea three = TpmPublicArea.parse(patched(SRK, SRK_EXPONENT, 0, 0, 0, 3));

            assertThat(TpmPublicArea.parse(SRK).rsaPublicKey().getPublicExponent()).isEqualTo(BigInteger.valueOf(65537));
            assertThat(three.rsaPublicKey().getPublicExponent()).isEqualTo(BigInteger.valueOf(3));
        }
    }

    @Nested
    class Refuses {

        @Test
        void everyTruncation() {
            for (int length = 0; length < EK.length; length++) {
                byte[] truncated = Arrays.copyOf(EK, length);
                assertThatThrownBy(() -> TpmPublicArea.parse(truncated)).as("%d bytes", length)
                        .isInstanceOf(TpmFormatException.class).hasMessageContaining("truncated");
            }
        }

        @Test
        void aSizeThatClaimsLessThanTheStructure() {
            byte[] shortSize = patched(EK, 0, 0x01, 0x00); // 256 of the 314 bytes, the rest trailing

            assertRefused(shortSize, "trailing");
        }

        @Test
        void eccEndorsementKey() {
            assertRefused(TpmFixtures.bytes("ek-ecc.pub"), "ECC keys are not supported");
        }

        @Test
        void otherKeyTypes() {
            assertRefused(patched(EK, TYPE, 0x00, 0x08), "0x0008 is not RSA");
        }

        @Test
        void nameAlgOtherThanSha256() {
            assertRefused(patched(EK, NAME_ALG, 0x00, 0x04), "nameAlg 0x0004 is not SHA-256");
        }

        @Test
        void trailingBytesAfterTheTpm2b() {
            assertRefused(Arrays.copyOf(EK, EK.length + 1), "TPM2B_PUBLIC has 1 trailing byte");
        }

        @Test
        void trailingBytesInsideThePublicArea() {
            byte[] longer = Arrays.copyOf(EK, EK.length + 1);
            longer[1]++; // 0x013A -> 0x013B: the size covers the extra byte

            assertRefused(longer, "TPMT_PUBLIC has 1 trailing byte");
        }

        @Test
        void keysThatAreNotRestricted() {
            byte[] notRestricted = patched(EK, ATTRIBUTES, 0x00, 0x02, 0x00, 0xB2); // 0x000300B2 without restricted

            assertRefused(notRestricted, "not those of a restricted decryption key");
        }

        @Test
        void keysThatAreNotForDecryption() {
            assertRefused(patched(EK, ATTRIBUTES, 0x00, 0x01, 0x00, 0xB2), "restricted decryption key");
        }

        @Test
        void signingKeys() {
            assertRefused(patched(EK, ATTRIBUTES, 0x00, 0x07, 0x00, 0xB2), "restricted decryption key");
        }

        @Test
        void noSymmetricDefinition() {
            assertRefused(patched(SRK, SRK_SYMMETRIC, 0x00, 0x10), "symmetric is NULL");
        }

        @Test
        void symmetricOtherThanAesCfb() {
            assertRefused(patched(SRK, SRK_SYMMETRIC, 0x00, 0x26), "symmetric algorithm 0x0026 is not AES");
            assertRefused(patched(SRK, SRK_SYMMETRIC + 2, 0x00, 0x40), "keyBits 64");
            assertRefused(patched(SRK, SRK_SYMMETRIC + 4, 0x00, 0x44), "mode 0x0044 is not CFB");
        }

        @Test
        void aScheme() {
            assertRefused(patched(SRK, SRK_SCHEME, 0x00, 0x17), "scheme 0x0017 is not NULL");
        }

        @Test
        void aModulusOfAnotherSizeThanKeyBits() {
            assertRefused(patched(SRK, SRK_KEY_BITS, 0x0C, 0x00), "not a 3072-bit number");
            assertRefused(patched(SRK, SRK_KEY_BITS, 0x04, 0x00), "keyBits 1024 is not 2048");
        }

        @Test
        void anEvenExponent() {
            assertRefused(patched(SRK, SRK_EXPONENT, 0, 1, 0, 0), "exponent 65536");
        }

        @Test
        void missingOrNotBase64() {
            assertThatThrownBy(() -> TpmPublicArea.parse(null)).isInstanceOf(TpmFormatException.class);
            assertThatThrownBy(() -> TpmPublicArea.parseBase64(null)).isInstanceOf(TpmFormatException.class);
            assertThatThrownBy(() -> TpmPublicArea.parseBase64("AToA*"))
                    .isInstanceOf(TpmFormatException.class).hasMessageContaining("base64");
            assertThatThrownBy(() -> TpmPublicArea.parseBase64(""))
                    .isInstanceOf(TpmFormatException.class).hasMessageContaining("truncated");
        }

        private void assertRefused(byte[] tpm2bPublic, String why) {
            assertThatThrownBy(() -> TpmPublicArea.parse(tpm2bPublic))
                    .isInstanceOf(TpmFormatException.class).hasMessageContaining(why);
        }
    }

    private static byte[] patched(byte[] original, int offset, int... values) {
        byte[] copy = original.clone();
        for (int i = 0; i < values.length; i++) {
            copy[offset + i] = (byte) values[i];
        }
        return copy;
    }
}
