package io.onramp.certs.sas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class SasTokenTest {

    private static final String JAVA_TOKEN = "SharedAccessSignature sr=0ne0000AB12/registrations/java-sym-http"
            + "&sig=u7DyN7Q%2FvhNqADQ6YYClrOondjVICDChiNdnueE1kSU%3D&se=1795700857&skn=";

    @Test
    void parsesTheFieldsKeepingSrAsSent() {
        SasToken token = SasToken.parse("SharedAccessSignature sr=0ne000A1B2C%2fregistrations%2fsensor-0042"
                + "&sig=XTDuJOKzzsdPWLwrOrbTrm%2BtwVgBe5G6PyYazejgguk%3D&se=1767225600&skn=registration");

        assertThat(token.resource()).isEqualTo("0ne000A1B2C%2fregistrations%2fsensor-0042");
        assertThat(token.signature()).isEqualTo("XTDuJOKzzsdPWLwrOrbTrm+twVgBe5G6PyYazejgguk=");
        assertThat(token.expiry()).isEqualTo("1767225600");
        assertThat(token.keyName()).isEqualTo("registration");
        assertThat(token.stringToSign()).isEqualTo("0ne000A1B2C%2fregistrations%2fsensor-0042\n1767225600");
        assertThat(token.expiresAtEpochSecond()).isEqualTo(1767225600L);
        assertThat(token.decodedResource()).isEqualTo("0ne000A1B2C/registrations/sensor-0042");
    }

    @Test
    void decodesUpperAndLowerCaseHexInSr() {
        assertThat(SasToken.parse("sr=a%2Fb%2fc&sig=x&se=1").decodedResource()).isEqualTo("a/b/c");
    }

    @Test
    void prefixIsOptional() {
        assertThat(SasToken.parse(JAVA_TOKEN.substring("SharedAccessSignature ".length())))
                .isEqualTo(SasToken.parse(JAVA_TOKEN));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "sr=r&sig=s&se=5&skn=k",
        "sig=s&se=5&sr=r&skn=k",
        "skn=k&se=5&sig=s&sr=r",
        "se=5&skn=k&sr=r&sig=s&extra=ignored",
    })
    void acceptsFieldsInAnyOrderAndIgnoresUnknownKeys(String value) {
        assertThat(SasToken.parse(value)).isEqualTo(new SasToken("r", "s", "5", "k"));
    }

    @Test
    void keyNameIsNullWhenAbsentAndEmptyWhenEmpty() {
        assertThat(SasToken.parse("sr=r&sig=s&se=5").keyName()).isNull();
        assertThat(SasToken.parse("sr=r&sig=s&se=5&skn=").keyName()).isEmpty();
        assertThat(SasToken.parse("sr=r&sig=s&se=5&skn=a%20b+c").keyName()).isEqualTo("a b+c");
    }

    @Test
    void keepsARawPlusInTheSignature() {
        assertThat(SasToken.parse("sr=r&sig=ab+c%2Bd%3D&se=5").signature()).isEqualTo("ab+c+d=");
    }

    @Test
    void splitsEachPairOnTheFirstEquals() {
        assertThat(SasToken.parse("sr=r&sig=abc==&se=5").signature()).isEqualTo("abc==");
    }

    @Test
    void toStringLeavesTheSignatureOut() {
        assertThat(SasToken.parse(JAVA_TOKEN).toString()).doesNotContain("u7DyN7Q").contains("java-sym-http");
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {
        "",
        "   ",
        "SharedAccessSignature ",
        "sig=s&se=5",
        "sr=r&se=5",
        "sr=r&sig=s",
        "sr=&sig=s&se=5",
        "sr=r&sig=&se=5",
        "sr=r&sig=s&se=",
        "sr=r&sig=s&se=12a",
        "sr=r&sig=s&se=-5",
        "sr=r&sig=s&se=+5",
        "sr=r&sig=s&se=5.0",
        "sr=r&sig=s&se=12345678901234567890",
        "sr=r&sig=s&se=9999999999999999999",
        "sr=r&sig=s&se=5&sr=r",
        "sr=r&sig=s&se=5&skn=a&skn=b",
        "sr=r&sig=s&se=5&",
        "sr=r&&sig=s&se=5",
        "sr=r&sig=s&se=5&skn",
        "sr=r&sig=s&se=5&=x",
        "sr=r&sig=%2&se=5",
        "sr=r&sig=%zz&se=5",
        "sr=r%&sig=s&se=5",
        "sr=r&sig=s&se=5&skn=%ff",
        "sr=r&sig=s&se=\u0661",
        "sharedaccesssignature sr=r&sig=s&se=5",
        "SharedAccessSignature  sr=r&sig=s&se=5",
        "SharedAccessSignaturesr=r&sig=s&se=5",
    })
    void rejectsMalformedTokens(String value) {
        assertThatThrownBy(() -> SasToken.parse(value))
                .isInstanceOf(SasTokenException.class)
                .hasMessageNotContaining("null");
    }

    @Test
    void rejectsOverlongTokens() {
        String padding = "&x=" + "a".repeat(SasToken.MAX_LENGTH);
        assertThatThrownBy(() -> SasToken.parse("sr=r&sig=s&se=5" + padding))
                .isInstanceOf(SasTokenException.class)
                .hasMessageContaining("longer than 4096");
    }

    @Test
    void acceptsATokenOfExactlyTheMaximumLength() {
        String base = "sr=r&sig=s&se=5&x=";
        assertThat(SasToken.parse(base + "a".repeat(SasToken.MAX_LENGTH - base.length())).resource()).isEqualTo("r");
    }

    @Test
    void canonicalConstructorValidatesToo() {
        assertThatThrownBy(() -> new SasToken("r", "s", "soon", null)).isInstanceOf(SasTokenException.class);
        assertThatThrownBy(() -> new SasToken(null, "s", "5", null)).isInstanceOf(SasTokenException.class);
    }
}
