package io.onramp.certs.sas;

import static io.onramp.certs.sas.SasTokenVerifier.Verdict.BAD_SIGNATURE;
import static io.onramp.certs.sas.SasTokenVerifier.Verdict.EXPIRED;
import static io.onramp.certs.sas.SasTokenVerifier.Verdict.VALID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class SasTokenVerifierTest {

    // Throwaway keys of spec/captures (README.md there).
    private static final byte[] DEVICE_KEY = SymmetricKeys.decode("S2V5Rm9yVGVzdFZlY3RvcnNPbmx5MDAwMDAwMDAwMDA=");
    private static final String GROUP_KEY = "R3JvdXBLZXlGb3JUZXN0VmVjdG9yc09ubHkwMDAwMDA=";
    private static final byte[] OTHER_KEY = SymmetricKeys.decode(SymmetricKeys.generate());
    private static final byte[] SPEC_KEY = SymmetricKeys.decode(SymmetricKeysTest.SPEC_DEVICE_KEY);
    private static final Duration SKEW = Duration.ofMinutes(5);

    /** Before every captured expiry (the earliest is 1795700855). */
    private static final SasTokenVerifier BEFORE_CAPTURE_EXPIRY = verifierAt(1_795_700_000L);

    private static final String SPEC_NODE_TOKEN = "SharedAccessSignature sr=0ne000A1B2C/registrations/sensor-0042"
            + "&sig=FhPTNF1nJktYFjKZqtCQmcPc8vAOu8WT4S%2F14r5AxMM%3D&skn=registration&se=1767225600";
    private static final String SPEC_C_TOKEN = "SharedAccessSignature sr=0ne000A1B2C%2fregistrations%2fsensor-0042"
            + "&sig=XTDuJOKzzsdPWLwrOrbTrm%2BtwVgBe5G6PyYazejgguk%3D&se=1767225600&skn=registration";
    private static final long SPEC_EXPIRY = 1_767_225_600L;

    record Capture(String token, String keyName, String verifiedWith, String stringToSign) {
        @Override
        public String toString() {
            return token.substring(0, Math.min(80, token.length()));
        }
    }

    static List<Capture> captures() throws IOException {
        String text;
        try (InputStream in = SasTokenVerifierTest.class.getResourceAsStream("/sas-vectors.txt")) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Pattern entry = Pattern.compile(
                "token: (\\S+ \\S+)\\n\\s+field order: \\S+\\s+skn=(null|\"[^\"]*\")\\n"
                        + "\\s+verified with: (\\w+); string-to-sign = \"(.*)\" \\(sr as sent\\)");
        Matcher matcher = entry.matcher(text);
        List<Capture> captures = new ArrayList<>();
        while (matcher.find()) {
            String skn = matcher.group(2);
            captures.add(new Capture(matcher.group(1),
                    skn.equals("null") ? null : skn.substring(1, skn.length() - 1),
                    matcher.group(3),
                    matcher.group(4).replace("\\n", "\n")));
        }
        return captures;
    }

    @Test
    void theCaptureFileIsReadCompletely() throws IOException {
        assertThat(captures()).hasSize(22);
    }

    @ParameterizedTest
    @MethodSource("captures")
    void verifiesEveryCapturedSdkToken(Capture capture) {
        SasToken token = SasToken.parse(capture.token());
        byte[] key = switch (capture.verifiedWith()) {
            case "key" -> DEVICE_KEY;
            case "derivedFromGroup" -> SymmetricKeys.decode(
                    SymmetricKeys.deriveDeviceKey(GROUP_KEY, registrationIdOf(token)));
            default -> throw new IllegalStateException(capture.verifiedWith());
        };

        assertThat(token.stringToSign()).isEqualTo(capture.stringToSign());
        assertThat(token.keyName()).isEqualTo(capture.keyName());
        assertThat(BEFORE_CAPTURE_EXPIRY.verify(token, List.of(key))).isEqualTo(VALID);
        assertThat(BEFORE_CAPTURE_EXPIRY.verify(token, List.of(OTHER_KEY))).isEqualTo(BAD_SIGNATURE);
    }

    @Test
    void theGroupTokenNeedsTheKeyDerivedForItsRegistrationId() {
        SasToken token = SasToken.parse(captureFor("node-group-dev-1").token());
        byte[] derived = SymmetricKeys.decode(SymmetricKeys.deriveDeviceKey(GROUP_KEY, "node-group-dev-1"));
        byte[] derivedForOther = SymmetricKeys.decode(SymmetricKeys.deriveDeviceKey(GROUP_KEY, "node-group-dev-2"));

        assertThat(BEFORE_CAPTURE_EXPIRY.verify(token, List.of(derived))).isEqualTo(VALID);
        assertThat(BEFORE_CAPTURE_EXPIRY.verify(token, List.of(derivedForOther))).isEqualTo(BAD_SIGNATURE);
        assertThat(BEFORE_CAPTURE_EXPIRY.verify(token, List.of(SymmetricKeys.decode(GROUP_KEY))))
                .isEqualTo(BAD_SIGNATURE);
    }

    @Test
    void verifiesTheServiceOwnerToken() {
        SasToken token = SasToken.parse(captureFor("provisioningserviceowner").token());

        assertThat(token.keyName()).isEqualTo("provisioningserviceowner");
        assertThat(BEFORE_CAPTURE_EXPIRY.verify(token, List.of(DEVICE_KEY))).isEqualTo(VALID);
    }

    @Test
    void verifiesTheSpecTokens() {
        SasTokenVerifier verifier = verifierAt(SPEC_EXPIRY - 60);

        assertThat(verifier.verify(SasToken.parse(SPEC_NODE_TOKEN), List.of(SPEC_KEY))).isEqualTo(VALID);
        assertThat(verifier.verify(SasToken.parse(SPEC_C_TOKEN), List.of(SPEC_KEY))).isEqualTo(VALID);
    }

    @Test
    void acceptsFieldsInAnyOrder() {
        SasTokenVerifier verifier = verifierAt(SPEC_EXPIRY - 60);
        String reordered = "SharedAccessSignature se=1767225600&skn=registration"
                + "&sig=XTDuJOKzzsdPWLwrOrbTrm%2BtwVgBe5G6PyYazejgguk%3D&sr=0ne000A1B2C%2fregistrations%2fsensor-0042";

        assertThat(verifier.verify(SasToken.parse(reordered), List.of(SPEC_KEY))).isEqualTo(VALID);
    }

    @Test
    void tellsExpiredFromValidAroundTheSkew() {
        SasToken token = SasToken.parse(SPEC_NODE_TOKEN);
        long limit = SPEC_EXPIRY + SKEW.toSeconds();

        assertThat(verifierAt(SPEC_EXPIRY + 1).verify(token, List.of(SPEC_KEY))).isEqualTo(VALID);
        assertThat(verifierAt(limit - 1).verify(token, List.of(SPEC_KEY))).isEqualTo(VALID);
        assertThat(verifierAt(limit).verify(token, List.of(SPEC_KEY))).isEqualTo(EXPIRED);
        assertThat(new SasTokenVerifier(fixedClock(SPEC_EXPIRY), Duration.ZERO).verify(token, List.of(SPEC_KEY)))
                .isEqualTo(EXPIRED);
    }

    @Test
    void reportsBadSignatureRatherThanExpiredForAWrongKey() {
        assertThat(verifierAt(SPEC_EXPIRY + 3600).verify(SasToken.parse(SPEC_NODE_TOKEN), List.of(OTHER_KEY)))
                .isEqualTo(BAD_SIGNATURE);
    }

    @Test
    void triesEveryCandidateKey() {
        SasTokenVerifier verifier = verifierAt(SPEC_EXPIRY - 60);
        SasToken token = SasToken.parse(SPEC_NODE_TOKEN);

        assertThat(verifier.verify(token, List.of(OTHER_KEY, SPEC_KEY))).isEqualTo(VALID);
        assertThat(verifier.verify(token, Arrays.asList(null, new byte[0], SPEC_KEY))).isEqualTo(VALID);
        assertThat(verifier.verify(token, List.of())).isEqualTo(BAD_SIGNATURE);
    }

    @Test
    void rejectsATamperedResourceOrExpiry() {
        SasTokenVerifier verifier = verifierAt(SPEC_EXPIRY - 60);

        assertThat(verifier.verify(SasToken.parse(SPEC_NODE_TOKEN.replace("sensor-0042", "sensor-0043")),
                List.of(SPEC_KEY))).isEqualTo(BAD_SIGNATURE);
        assertThat(verifier.verify(SasToken.parse(SPEC_NODE_TOKEN.replace("se=1767225600", "se=1767229200")),
                List.of(SPEC_KEY))).isEqualTo(BAD_SIGNATURE);
    }

    @Test
    void signsTheResourceAsSentSoAnotherEncodingOfItFails() {
        // Same decoded resource as SPEC_C_TOKEN, but sent with upper-case hex: a different string to sign.
        String reEncoded = SPEC_C_TOKEN.replace("%2f", "%2F");
        SasToken token = SasToken.parse(reEncoded);

        assertThat(token.decodedResource()).isEqualTo(SasToken.parse(SPEC_C_TOKEN).decodedResource());
        assertThat(verifierAt(SPEC_EXPIRY - 60).verify(token, List.of(SPEC_KEY))).isEqualTo(BAD_SIGNATURE);
    }

    @Test
    void acceptsARawPlusLeftInTheSignature() {
        String rawPlus = SPEC_C_TOKEN.replace("%2B", "+");

        assertThat(rawPlus).contains("Trm+tw");
        assertThat(verifierAt(SPEC_EXPIRY - 60).verify(SasToken.parse(rawPlus), List.of(SPEC_KEY))).isEqualTo(VALID);
    }

    @Test
    void treatsAnUndecodableOrTruncatedSignatureAsBad() {
        SasTokenVerifier verifier = verifierAt(SPEC_EXPIRY - 60);

        assertThat(verifier.verify(new SasToken("r", "not*base64!", "1767225600", null), List.of(SPEC_KEY)))
                .isEqualTo(BAD_SIGNATURE);
        assertThat(verifier.verify(new SasToken("0ne000A1B2C/registrations/sensor-0042",
                "FhPTNF1nJktYFjKZqtCQmcPc8vAOu8WT4S/14r5A", "1767225600", null), List.of(SPEC_KEY)))
                .isEqualTo(BAD_SIGNATURE);
    }

    @Test
    void handlesTheLargestExpiryWithoutOverflow() {
        SasToken token = SasToken.parse(SasTokenSigner.sign("r", Long.MAX_VALUE, SPEC_KEY, null));

        assertThat(new SasTokenVerifier(fixedClock(SPEC_EXPIRY), Duration.ofDays(365)).verify(token, List.of(SPEC_KEY)))
                .isEqualTo(VALID);
    }

    @Test
    void refusesANegativeSkew() {
        assertThatThrownBy(() -> new SasTokenVerifier(Clock.systemUTC(), Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static Capture captureFor(String fragment) {
        try {
            return captures().stream().filter(c -> c.token().contains(fragment)).findFirst().orElseThrow();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static String registrationIdOf(SasToken token) {
        String resource = token.decodedResource();
        return resource.substring(resource.lastIndexOf('/') + 1);
    }

    private static SasTokenVerifier verifierAt(long epochSecond) {
        return new SasTokenVerifier(fixedClock(epochSecond), SKEW);
    }

    private static Clock fixedClock(long epochSecond) {
        return Clock.fixed(Instant.ofEpochSecond(epochSecond), ZoneOffset.UTC);
    }
}
