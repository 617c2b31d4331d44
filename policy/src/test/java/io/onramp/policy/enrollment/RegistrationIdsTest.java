package io.onramp.policy.enrollment;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class RegistrationIdsTest {

    @ParameterizedTest
    @ValueSource(strings = {"a", "7", "line7-plc-0042", "sn-007-888-abc-mac-a1-b2-c3-d4-e5-f6", "A.b_c:d-e", "ends-with-dash-", "UPPER9"})
    void acceptsDocumentedCharacterSet(String id) {
        assertThat(RegistrationIds.isValid(id)).isTrue();
        assertThat(RegistrationIds.isValidEnrollmentGroupId(id)).isTrue();
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"trailing.", "trailing_", "trailing:", "has/slash", "has space", "has#hash", "umlaut-ä", "tab\t", "new\nline", "trailing-newline\n"})
    void rejectsOtherIds(String id) {
        assertThat(RegistrationIds.isValid(id)).isFalse();
        assertThat(RegistrationIds.isValidEnrollmentGroupId(id)).isFalse();
    }

    @Test
    void lengthLimitIs128() {
        assertThat(RegistrationIds.isValid("a".repeat(128))).isTrue();
        assertThat(RegistrationIds.isValid("a".repeat(129))).isFalse();
        assertThat(RegistrationIds.isValidEnrollmentGroupId("g".repeat(128))).isTrue();
        assertThat(RegistrationIds.isValidEnrollmentGroupId("g".repeat(129))).isFalse();
    }

    @Test
    void keyIsCaseInsensitiveAndLocaleIndependent() {
        assertThat(RegistrationIds.key("Line7-PLC")).isEqualTo("line7-plc").isEqualTo(RegistrationIds.key("LINE7-plc"));
        // Locale.ROOT: a Turkish default locale would otherwise turn 'I' into a dotless 'ı'.
        assertThat(RegistrationIds.key("DEVICE-I")).isEqualTo("device-i");
    }
}
