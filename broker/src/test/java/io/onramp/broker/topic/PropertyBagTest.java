package io.onramp.broker.topic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PropertyBagTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "$.mid, message-id",
        "$.cid, correlation-id",
        "$.uid, user-id",
        "$.to, to",
        "$.exp, absolute-expiry-time",
        "$.ct, content-type",
        "$.ce, content-encoding",
        "$.ctime, iothub-creation-time-utc",
        "$.on, iothub-outputname",
        "$.ifid, iothub-interface-id",
        "$.sub, dt-subject",
        "$.schema, iothub-message-schema",
        "iothub-operation, iothub-operation",
    })
    void everySystemKeyOfTheSpecTableInBothSpellings(String key, String hubName) {
        String encoded = key.replace("$", "%24");

        assertThat(PropertyBag.parse(key + "=v").system()).containsExactly(entry(hubName, "v"));
        assertThat(PropertyBag.parse(encoded + "=v").system()).containsExactly(entry(hubName, "v"));
        assertThat(PropertyBag.parse(key + "=v").application()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"$.cdid=spoofed", "%24.cdid=spoofed", "$.cmid=spoofed", "%24.cmid=spoofed",
        "iothub-connection-device-id=spoofed", "IoTHub-Connection-Auth-Method=x", "iothub%2Dconnection-module-id=m",
        "iothub-enqueuedtime=0"})
    void propertiesTheHubStampsAreDroppedWhenTheDeviceSendsThem(String bag) {
        assertThat(PropertyBag.parse(bag)).isEqualTo(MessageProperties.EMPTY);
    }

    @Test
    void javaTelemetryFromTheCapture() {
        MessageProperties properties = PropertyBag.parse("$.mid=380dbc6f-9204-4d36-a35c-62972ab67579"
                + "&$.cid=f6e45bf7-9b29-4507-82ae-e88e5156239b&$.cdid=java-sym-http&$.ce=utf-8&$.ct=application%2Fjson&test-seq=0");

        assertThat(properties.system()).containsExactly(
                entry("message-id", "380dbc6f-9204-4d36-a35c-62972ab67579"),
                entry("correlation-id", "f6e45bf7-9b29-4507-82ae-e88e5156239b"),
                entry("content-encoding", "utf-8"),
                entry("content-type", "application/json"));
        assertThat(properties.application()).containsExactly(entry("test-seq", "0"));
    }

    @Test
    void nodeTelemetryFromTheCapture() {
        MessageProperties properties = PropertyBag.parse("%24.ct=application%2Fjson&%24.ce=utf-8&test-seq=0");

        assertThat(properties.system()).containsExactly(entry("content-type", "application/json"), entry("content-encoding", "utf-8"));
        assertThat(properties.application()).containsExactly(entry("test-seq", "0"));
    }

    @Test
    void specTranscriptTelemetry() {
        MessageProperties properties = PropertyBag.parse("$.mid=a1&$.ce=utf-8&$.ct=application%2Fjson");

        assertThat(properties.system()).containsExactly(
                entry("message-id", "a1"), entry("content-encoding", "utf-8"), entry("content-type", "application/json"));
    }

    @Test
    void javaEncodesApplicationKeysAndValuesWithUrlEncoderAndPercent20() {
        String key = "room name";
        String value = "Kitchen & Bath = 2+1 /ü";
        String bag = "$.mid=1&" + javaEncode(key) + "=" + javaEncode(value);

        assertThat(PropertyBag.parse(bag).application()).containsExactly(entry(key, value));
    }

    @Test
    void pythonQuotesEverythingAndSortsCustomProperties() {
        MessageProperties properties = PropertyBag.parse("%24.mid=m%201&%24.on=out%2F1&a%20b=1&z=%F0%9F%98%80");

        assertThat(properties.system()).containsExactly(entry("message-id", "m 1"), entry("iothub-outputname", "out/1"));
        assertThat(properties.application()).containsExactly(entry("a b", "1"), entry("z", "😀"));
    }

    @Test
    void cEncodesSystemKeysAndLeavesSafeCharactersRaw() {
        MessageProperties properties = PropertyBag.parse("%24.mid=42&%24.ct=application%2fjson&%24.ce=utf-8&%24.sub=thermostat1&key=v");

        assertThat(properties.system()).containsExactly(entry("message-id", "42"), entry("content-type", "application/json"),
                entry("content-encoding", "utf-8"), entry("dt-subject", "thermostat1"));
        assertThat(properties.application()).containsExactly(entry("key", "v"));
    }

    @Test
    void theKeyIsDecodedBeforeTheDollarTest() {
        assertThat(PropertyBag.parse("%24%2Emid=1").system()).containsExactly(entry("message-id", "1"));
        // An escaped '.' or a different prefix is not the $. namespace.
        assertThat(PropertyBag.parse("%24mid=1").application()).containsExactly(entry("$mid", "1"));
    }

    @Test
    void systemKeysMatchExactlyHoweverTheyAreEscaped() {
        assertThat(PropertyBag.parse("%24.mi%64=1&%24%2Ect=t&iothub%2Doperation=o").system())
                .containsExactly(entry("message-id", "1"), entry("content-type", "t"), entry("iothub-operation", "o"));
        assertThat(PropertyBag.parse("$.MID=1&%24.midx=2&$.=3&%24.=4&$.mi=5&iothub-operatio=6&IOTHUB-OPERATION=7").application())
                .containsExactly(entry("$.MID", "1"), entry("$.midx", "2"), entry("$.", "3"), entry("$.mi", "5"),
                        entry("iothub-operatio", "6"), entry("IOTHUB-OPERATION", "7"));
    }

    @Test
    void unknownDollarKeysAreApplicationProperties() {
        assertThat(PropertyBag.parse("$.foo=1&%24.bar=2").application()).containsExactly(entry("$.foo", "1"), entry("$.bar", "2"));
    }

    @Test
    void plusStaysPlus() {
        MessageProperties properties = PropertyBag.parse("$.ct=a+b&k+1=x+y");

        assertThat(properties.system()).containsExactly(entry("content-type", "a+b"));
        assertThat(properties.application()).containsExactly(entry("k+1", "x+y"));
    }

    @Test
    void emptyBagsAndTrailingSlashes() {
        assertThat(PropertyBag.parse("")).isSameAs(MessageProperties.EMPTY);
        assertThat(PropertyBag.parse("/")).isSameAs(MessageProperties.EMPTY);
        assertThat(PropertyBag.parse("a=1/").application()).containsExactly(entry("a", "1"));
        assertThat(PropertyBag.parse("%24.on=output1/").system()).containsExactly(entry("iothub-outputname", "output1"));
    }

    @Test
    void emptyPairsAreSkippedAndAKeyWithoutValueIsEmpty() {
        MessageProperties properties = PropertyBag.parse("&a=1&&b&c=&=orphan&");

        assertThat(properties.application()).containsExactly(entry("a", "1"), entry("b", ""), entry("c", ""));
    }

    @Test
    void onlyTheFirstEqualsSplits() {
        assertThat(PropertyBag.parse("a=b=c").application()).containsExactly(entry("a", "b=c"));
    }

    @Test
    void theFirstOfDuplicateKeysWins() {
        MessageProperties properties = PropertyBag.parse("$.mid=1&%24.mid=2&a=x&a=y");

        assertThat(properties.system()).containsExactly(entry("message-id", "1"));
        assertThat(properties.application()).containsExactly(entry("a", "x"));
    }

    @Test
    void applicationPropertiesKeepTheirOrder() {
        StringBuilder bag = new StringBuilder();
        Map<String, String> expected = new LinkedHashMap<>();
        for (int i = 20; i > 0; i--) {
            bag.append("k").append(i).append('=').append(i).append('&');
            expected.put("k" + i, String.valueOf(i));
        }

        assertThat(PropertyBag.parse(bag.toString()).application()).containsExactlyEntriesOf(expected);
    }

    @Test
    void theResultIsUnmodifiable() {
        MessageProperties properties = PropertyBag.parse("$.mid=1&a=2");

        assertThatThrownBy(() -> properties.system().put("x", "y")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> properties.application().clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> properties.application().entrySet().iterator().next().setValue("z"))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"a=%", "a=%4", "a=%zz", "%=1", "a=%4g", "a=%C3%28", "a=%C3", "a=%ED%A0%80", "a=%C0%AF", "$.mid=%%41"})
    void malformedPercentEncodingThrows(String bag) {
        assertThatThrownBy(() -> PropertyBag.parse(bag)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void nonAsciiHexDigitsAreNotHex() {
        // Character.digit would read U+0663 ARABIC-INDIC DIGIT THREE as 3.
        assertThatThrownBy(() -> PropertyBag.parse("a=%\u06631")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rawNonAsciiIsKept() {
        assertThat(PropertyBag.parse("temp=21°C").application()).containsExactly(entry("temp", "21°C"));
    }

    @Test
    void aLongBagOfShortPairsParsesInLinearTime() {
        String bag = "a&".repeat(30_000) + "b=%41";

        long start = System.nanoTime();
        MessageProperties properties = PropertyBag.parse(bag);
        long millis = (System.nanoTime() - start) / 1_000_000;

        assertThat(properties.application()).containsExactly(entry("a", ""), entry("b", "A"));
        assertThat(millis).isLessThan(1_000);
    }

    static String javaEncode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    @Test
    void propertiesThatCameAnotherWayAreWrittenAsABagThatReadsBackTheSame() {
        Map<String, String> system = new LinkedHashMap<>();
        system.put("message-id", "m 1");
        system.put("content-type", "application/json");
        system.put("iothub-creation-time-utc", "2026-11-30T08:00:00Z");
        system.put("iothub-operation", "update");
        system.put("not-a-system-property", "x");
        Map<String, String> application = new LinkedHashMap<>();
        application.put("line", "a b+c&d=e");
        application.put("IoThub-Connection-Device-Id", "someone-else");
        application.put("iothub-enqueuedtime", "then");
        application.put("$.mid", "posing");
        application.put("empty", null);

        String bag = PropertyBag.appendEncoded(new StringBuilder(), new MessageProperties(system, application)).toString();
        MessageProperties read = PropertyBag.parse(bag);

        assertThat(read.system()).containsExactly(entry("message-id", "m 1"), entry("content-type", "application/json"),
                entry("iothub-creation-time-utc", "2026-11-30T08:00:00Z"), entry("iothub-operation", "update"));
        assertThat(read.application()).as("what the hub owns and what would pose as a system key is left out")
                .containsExactly(entry("line", "a b+c&d=e"), entry("empty", ""));
    }

    @Test
    void withoutHubOwnedKeepsTheSameInstanceWhenThereIsNothingToDrop() {
        MessageProperties clean = new MessageProperties(Map.of("message-id", "1"), Map.of("k", "v"));

        assertThat(PropertyBag.withoutHubOwned(clean)).isSameAs(clean);
        assertThat(PropertyBag.withoutHubOwned(new MessageProperties(Map.of(), Map.of("iothub-connection-auth-method", "x",
                "k", "v"))).application()).containsExactly(entry("k", "v"));
    }
}
