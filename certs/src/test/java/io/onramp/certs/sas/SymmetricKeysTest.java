package io.onramp.certs.sas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class SymmetricKeysTest {

    /** Spec section 4.4: bytes 0x00..0x3F. */
    static final String SPEC_GROUP_KEY =
            "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKissLS4vMDEyMzQ1Njc4OTo7PD0+Pw==";
    static final String SPEC_DEVICE_KEY = "fpdA6sinlo5l7irLeHvyrcKIYBn0rxiNkYH86YlBmFk=";

    @Test
    void derivesTheSpecDeviceKey() {
        assertThat(SymmetricKeys.deriveDeviceKey(SPEC_GROUP_KEY, "sensor-0042")).isEqualTo(SPEC_DEVICE_KEY);
        assertThat(SymmetricKeys.deriveDeviceKey(SymmetricKeys.decode(SPEC_GROUP_KEY), "sensor-0042"))
                .isEqualTo(SymmetricKeys.decode(SPEC_DEVICE_KEY));
    }

    @Test
    void decodesKeysOf16To64Bytes() {
        assertThat(SymmetricKeys.decode(SPEC_GROUP_KEY)).hasSize(64);
        assertThat(SymmetricKeys.decode(base64OfLength(16))).hasSize(16);
    }

    @Test
    void rejectsKeysOfTheWrongLength() {
        assertThatThrownBy(() -> SymmetricKeys.decode(base64OfLength(15)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must be 16 to 64 bytes, was 15");
        assertThatThrownBy(() -> SymmetricKeys.decode(base64OfLength(65)))
                .hasMessageContaining("must be 16 to 64 bytes, was 65");
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {
        "",
        "!!!!!!!!!!!!!!!!!!!!!!!!",
        "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8", // padding missing
        "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\n",
        " AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=",
        "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh-_", // URL-safe alphabet
        "AAECAwQFBgcI==CQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=",
    })
    void rejectsTextThatIsNotStandardBase64(String text) {
        assertThatThrownBy(() -> SymmetricKeys.decode(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not valid base64");
    }

    @Test
    void generatesDistinct64ByteKeys() {
        String first = SymmetricKeys.generate();
        assertThat(first).hasSize(88);
        assertThat(SymmetricKeys.decode(first)).hasSize(64);
        assertThat(SymmetricKeys.generate()).isNotEqualTo(first);
    }

    @Test
    void derivationValidatesTheGroupKey() {
        assertThatThrownBy(() -> SymmetricKeys.deriveDeviceKey("short", "dev"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static String base64OfLength(int bytes) {
        return Base64.getEncoder().encodeToString(new byte[bytes]);
    }
}
