package io.onramp.certs.sas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SasTokenSignerTest {

    private static final byte[] SPEC_KEY = SymmetricKeys.decode(SymmetricKeysTest.SPEC_DEVICE_KEY);

    /** Spec section 4.4, one row per sr form. */
    @ParameterizedTest
    @CsvSource({
        "0ne000A1B2C/registrations/sensor-0042,     FhPTNF1nJktYFjKZqtCQmcPc8vAOu8WT4S/14r5AxMM=",
        "0ne000A1B2C%2Fregistrations%2Fsensor-0042, gBsd/6mQhPA7mG/3oCtFqU7qQQaqAirmLeIbggM0IUU=",
        "0ne000A1B2C%2fregistrations%2fsensor-0042, XTDuJOKzzsdPWLwrOrbTrm+twVgBe5G6PyYazejgguk=",
    })
    void signsTheSpecRows(String resourceAsSent, String expectedSignature) {
        assertThat(SasTokenSigner.signature(SPEC_KEY, resourceAsSent + "\n1767225600")).isEqualTo(expectedSignature);
    }

    @Test
    void buildsTheSpecCToken() {
        assertThat(SasTokenSigner.sign("0ne000A1B2C%2fregistrations%2fsensor-0042", 1767225600L, SPEC_KEY,
                "registration"))
                .isEqualTo("SharedAccessSignature sr=0ne000A1B2C%2fregistrations%2fsensor-0042"
                        + "&sig=XTDuJOKzzsdPWLwrOrbTrm%2BtwVgBe5G6PyYazejgguk%3D&se=1767225600&skn=registration");
    }

    @Test
    void omitsSknWhenTheKeyNameIsNull() {
        assertThat(SasTokenSigner.sign("0ne000A1B2C/registrations/sensor-0042", 1767225600L, SPEC_KEY, null))
                .isEqualTo("SharedAccessSignature sr=0ne000A1B2C/registrations/sensor-0042"
                        + "&sig=FhPTNF1nJktYFjKZqtCQmcPc8vAOu8WT4S%2F14r5AxMM%3D&se=1767225600");
    }

    @Test
    void keepsAnEmptyKeyName() {
        assertThat(SasTokenSigner.sign("r", 5, SPEC_KEY, "")).endsWith("&se=5&skn=");
    }

    @Test
    void roundTripsThroughTheParser() {
        SasToken token = SasToken.parse(SasTokenSigner.sign("scope/registrations/dev", 42, SPEC_KEY, "a b&c=d"));

        assertThat(token.keyName()).isEqualTo("a b&c=d");
        assertThat(token.signature()).isEqualTo(SasTokenSigner.signature(SPEC_KEY, "scope/registrations/dev\n42"));
    }

    @Test
    void rejectsAResourceThatWouldBreakTheToken() {
        assertThatThrownBy(() -> SasTokenSigner.sign("a&b", 5, SPEC_KEY, null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SasTokenSigner.sign("", 5, SPEC_KEY, null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SasTokenSigner.sign("r", -1, SPEC_KEY, null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SasTokenSigner.signature(new byte[0], "x"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void givesTheSameAnswersFromManyThreads() {
        byte[] otherKey = {1, 2, 3};
        String expected = SasTokenSigner.signature(SPEC_KEY, "x\n1");
        String expectedOther = SasTokenSigner.signature(otherKey, "x\n1");

        List<Boolean> correct = IntStream.range(0, 2000).parallel()
                .mapToObj(i -> i % 2 == 0
                        ? SasTokenSigner.signature(SPEC_KEY, "x\n1").equals(expected)
                        : SasTokenSigner.signature(otherKey, "x\n1").equals(expectedOther))
                .collect(Collectors.toList());

        assertThat(correct).hasSize(2000).containsOnly(true);
    }
}
