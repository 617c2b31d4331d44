package io.onramp.policy.allocation;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class StableHashTest {

    @Test
    void matchesPublishedFnv1aVectors() {
        // FNV-1a 64 reference values (draft-eastlake-fnv): "" and "a".
        assertThat(StableHash.START).isEqualTo(0xcbf29ce484222325L);
        assertThat(StableHash.addLowerCase(StableHash.START, "a")).isEqualTo(0xaf63dc4c8601ec8cL);
        assertThat(StableHash.addLowerCase(StableHash.START, "foobar")).isEqualTo(0x85944171f73967e8L);
    }

    @Test
    void asciiFastPathEqualsLowerCasedUtf8() {
        for (String s : new String[] {"Line7-PLC-0042", "HUB-A.Plant1.Example", "x:Y_z"}) {
            assertThat(StableHash.addLowerCase(StableHash.START, s)).isEqualTo(bytewise(s));
        }
    }

    @Test
    void nonAsciiInputIsLowerCasedAsUtf8() {
        // U+212A KELVIN SIGN lower-cases to ASCII 'k', so it must take the full Locale.ROOT path.
        for (String s : new String[] {"HÜB.example", "\u212Aelvin", "\u0130stanbul"}) {
            assertThat(StableHash.addLowerCase(StableHash.START, s)).isEqualTo(bytewise(s));
        }
        assertThat(StableHash.addLowerCase(StableHash.START, "\u212A")).isEqualTo(StableHash.addLowerCase(StableHash.START, "k"));
    }

    @Test
    void unitIntervalExcludesBothEnds() {
        assertThat(StableHash.toOpenUnitInterval(0L)).isGreaterThan(0.0);
        assertThat(StableHash.toOpenUnitInterval(-1L)).isLessThan(1.0);
        assertThat(Math.log(StableHash.toOpenUnitInterval(-1L))).isLessThan(0.0);
        assertThat(StableHash.toOpenUnitInterval(Long.MIN_VALUE)).isEqualTo(0.5 + 0.5 * 0x1.0p-52);
    }

    @Test
    void finishAvalanchesNeighbouringInputs() {
        long a = StableHash.finish(StableHash.addLowerCase(StableHash.START, "device-1"));
        long b = StableHash.finish(StableHash.addLowerCase(StableHash.START, "device-2"));
        assertThat(Long.bitCount(a ^ b)).isBetween(16, 48);
    }

    private static long bytewise(String s) {
        long h = StableHash.START;
        for (byte b : s.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8)) {
            h = StableHash.addByte(h, b);
        }
        return h;
    }
}
