package io.onramp.certs.tpm;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The default registration ID of a TPM device, against coreutils' base32 of openssl's SHA-256 of the EK. */
class TpmRegistrationIdsTest {

    @Test
    void swtpmEndorsementKey() {
        String id = TpmRegistrationIds.fromEndorsementKey(TpmFixtures.bytes("ek-rsa.pub"));

        assertThat(id).isEqualTo(TpmFixtures.expected("ek-rsa.registrationId"));
    }

    @Test
    void endorsementKeyTheJavaSdkSent() {
        String id = TpmRegistrationIds.fromEndorsementKey(TpmFixtures.base64(TpmFixtures.JAVA_SDK_EK));

        assertThat(id).isEqualTo(TpmFixtures.expected("java-sdk-ek.registrationId"));
    }

    @Test
    void isAValidRegistrationIdForEveryRuleTheSdksApply() {
        String id = TpmRegistrationIds.fromEndorsementKey(TpmFixtures.bytes("ek-rsa.pub"));

        // 256 bits in base32 are 52 characters (plus 4 '=' of padding, removed); Java's TPM provider checks
        // ^[a-z0-9-]{1,128}$ and DPS wants the last character alphanumeric.
        assertThat(id).hasSize(52).matches("[a-z2-7]{52}");
    }
}
