package io.onramp.policy.enrollment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SymmetricKeyAttestationTest {

    static final String PRIMARY = "8isrFI1sGsIlvvFSSFRiMfCNzv21fjbE/+ah/lSh3lF8e2YG1Te7w1KpZhJFFXJrqYKi9yegxkqIChbqOS9Egw==";
    static final String SECONDARY = "Jsm0lyGpjaVYVP2g3FnmnmG9dI/9qU24wNoykUmermc=";

    @Test
    void typeIsTheWireName() {
        assertThat(new SymmetricKeyAttestation(PRIMARY, null).type()).isEqualTo("symmetricKey");
    }

    @Test
    void keysArePrimaryFirstWithoutNulls() {
        assertThat(new SymmetricKeyAttestation(PRIMARY, SECONDARY).keys()).containsExactly(PRIMARY, SECONDARY);
        assertThat(new SymmetricKeyAttestation(PRIMARY, null).keys()).containsExactly(PRIMARY);
    }

    @Test
    void blankSecondaryMeansAbsent() {
        SymmetricKeyAttestation attestation = new SymmetricKeyAttestation(PRIMARY, " ");
        assertThat(attestation.secondaryKey()).isNull();
        assertThat(attestation.keys()).containsExactly(PRIMARY);
    }

    @Test
    void primaryKeyIsRequired() {
        assertThatThrownBy(() -> new SymmetricKeyAttestation(null, SECONDARY))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("primaryKey");
        assertThatThrownBy(() -> new SymmetricKeyAttestation("", SECONDARY))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("primaryKey");
    }

    @Test
    void keysMustBeBase64() {
        assertThatThrownBy(() -> new SymmetricKeyAttestation("not base64!", null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("primaryKey");
        assertThatThrownBy(() -> new SymmetricKeyAttestation(PRIMARY, "%%%"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("secondaryKey");
    }

    @Test
    void toStringDoesNotLeakKeys() {
        String text = new SymmetricKeyAttestation(PRIMARY, SECONDARY).toString();
        assertThat(text).doesNotContain(PRIMARY).doesNotContain(SECONDARY);
    }
}
