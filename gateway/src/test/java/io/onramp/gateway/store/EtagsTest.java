package io.onramp.gateway.store;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The If-Match rules: strong for the DPS service API, lenient for the hub registry's weak identity etags. */
class EtagsTest {

    static final String STORED = "\"1f2e3d\"";

    @Test
    void theServiceApiComparesStronglySoAWeakEtagMatchesNothing() {
        assertThat(Etags.matchesStrongly(STORED, "W/\"1f2e3d\"")).isFalse();
        assertThat(Etags.matchesStrongly(STORED, " W/1f2e3d")).isFalse();
        assertThat(Etags.matchesStrongly(STORED, "\"1f2e3d\"")).isTrue();
        assertThat(Etags.matchesStrongly(STORED, "1f2e3d")).as("Java sends it unquoted").isTrue();
        assertThat(Etags.matchesStrongly(STORED, "*")).isTrue();
        assertThat(Etags.matchesStrongly(STORED, null)).isTrue();
        assertThat(Etags.matchesStrongly(STORED, "\"other\"")).isFalse();
    }

    @Test
    void theHubRegistryTakesAWeakEtagForItsOwn() {
        assertThat(Etags.matches("MTIzNDU2Nzg5", "W/\"MTIzNDU2Nzg5\"")).isTrue();
    }
}
