package io.onramp.gateway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** IDs in service API paths: each one segment, whatever it holds, and never escaped twice. */
class ServiceApiPathTest {

    @Test
    void eachSegmentIsEscapedOnItsOwn() {
        assertThat(ServiceApiClient.path("enrollments", "a b")).isEqualTo("/enrollments/a%20b");
        assertThat(ServiceApiClient.path("enrollments", "a/b", "attestationmechanism"))
                .isEqualTo("/enrollments/a%2Fb/attestationmechanism");
        assertThat(ServiceApiClient.path("registrations", "x?y#z%")).isEqualTo("/registrations/x%3Fy%23z%25");
        assertThat(ServiceApiClient.path("registrations", "press-7.a_b:c")).isEqualTo("/registrations/press-7.a_b%3Ac");
    }

    @Test
    void aPathBuiltByConcatenationHasWhatAUriCannotHoldEscaped() {
        assertThat(ServiceApiClient.escapeIllegal("/enrollments/a b")).isEqualTo("/enrollments/a%20b");
        assertThat(ServiceApiClient.escapeIllegal("/admin/certificates/bad name?x#y")).isEqualTo("/admin/certificates/bad%20name%3Fx%23y");
        assertThat(ServiceApiClient.escapeIllegal("/enrollments/caf\u00e9")).isEqualTo("/enrollments/caf%C3%A9");
        assertThat(ServiceApiClient.escapeIllegal("/enrollments/100%")).isEqualTo("/enrollments/100%25");
    }

    @Test
    void anEscapedPathIsLeftAsItIs() {
        String escaped = ServiceApiClient.path("enrollments", "a b/c%d\u00e9", "attestationmechanism");
        assertThat(ServiceApiClient.escapeIllegal(escaped)).isEqualTo(escaped);
    }
}
