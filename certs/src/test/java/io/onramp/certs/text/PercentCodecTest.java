package io.onramp.certs.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PercentCodecTest {

    static String encode(String s) {
        return PercentCodec.encode(new StringBuilder(), s).toString();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "abcXYZ019-._~ | abcXYZ019-._~",
        "$ | %24",
        "a b | a%20b",
        "+ | %2B",
        "/?#&=% | %2F%3F%23%26%3D%25",
        "*'()! | %2A%27%28%29%21",
        "é | %C3%A9",
        "€ | %E2%82%AC",
        "😀 | %F0%9F%98%80",
    })
    void encodesEverythingButUnreservedAsUppercaseUtf8(String plain, String encoded) {
        assertThat(encode(plain)).isEqualTo(encoded);
        assertThat(PercentCodec.decode(encoded)).isEqualTo(plain);
    }

    @Test
    void decodesLowerCaseEscapesAndLeavesPlusAlone() {
        assertThat(PercentCodec.decode("a%2fb%3a+c")).isEqualTo("a/b:+c");
    }

    @Test
    void decodesMixedAsciiAndMultiByteRuns() {
        assertThat(PercentCodec.decode("%41%C3%A9%42x%E2%82%AC%2F")).isEqualTo("AéBx€/");
    }

    @Test
    void decodesARange() {
        assertThat(PercentCodec.decode("xx%41yy", 2, 5)).isEqualTo("A");
        assertThat(PercentCodec.decode("xxabyy", 2, 4)).isEqualTo("ab");
    }

    @Test
    void aStringWithoutEscapesComesBackAsIs() {
        String plain = "nothing-to-decode";

        assertThat(PercentCodec.decode(plain)).isSameAs(plain);
    }

    @Test
    void escapesEndingAtTheRangeEndAreTruncated() {
        assertThatThrownBy(() -> PercentCodec.decode("%41%42", 0, 5)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void loneSurrogatesCannotBeEncoded() {
        assertThatThrownBy(() -> encode("a\uD83D")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> encode("\uDE00a")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void randomStringsRoundTripAndAgreeWithUrlDecoder() {
        Random random = new Random(42);
        for (int n = 0; n < 2_000; n++) {
            StringBuilder s = new StringBuilder();
            for (int i = random.nextInt(20); i > 0; i--) {
                int cp = switch (random.nextInt(4)) {
                    case 0 -> random.nextInt(0x80);
                    case 1 -> 0x80 + random.nextInt(0x780);
                    case 2 -> 0xE000 + random.nextInt(0x1000);
                    default -> 0x10000 + random.nextInt(0x10000);
                };
                s.appendCodePoint(cp);
            }
            String plain = s.toString();
            String encoded = encode(plain);

            assertThat(encoded).matches("[A-Za-z0-9._~%-]*");
            assertThat(PercentCodec.decode(encoded)).isEqualTo(plain);
            assertThat(URLDecoder.decode(encoded, StandardCharsets.UTF_8)).isEqualTo(plain);
        }
    }
}
