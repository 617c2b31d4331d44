package io.onramp.broker.topic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HubTopicsTest {

    @Nested
    class TelemetryForConsumers {

        @Test
        void namesTheDeviceAsTheHubKnowsItHoweverTheDeviceSpelledIt() {
            assertThat(HubTopics.telemetryForConsumers("mq-0001", "devices/mq%2D0001/messages/events/k=v", Map.of()))
                    .isEqualTo("devices/mq-0001/messages/events/k=v");
            assertThat(HubTopics.telemetryForConsumers("a+b#c", "devices/a%2Bb%23c/messages/events", Map.of()))
                    .as("wildcard characters stay escaped").isEqualTo("devices/a%2Bb%23c/messages/events/");
        }

        @Test
        void addsStampsToTheBagWhateverShapeTheDeviceSentItIn() {
            Map<String, String> retain = Map.of("mqtt-retain", "true");
            assertThat(HubTopics.telemetryForConsumers("d", "devices/d/messages/events/", retain))
                    .isEqualTo("devices/d/messages/events/mqtt-retain=true");
            assertThat(HubTopics.telemetryForConsumers("d", "devices/d/messages/events", retain))
                    .isEqualTo("devices/d/messages/events/mqtt-retain=true");
            assertThat(HubTopics.telemetryForConsumers("d", "devices/d/messages/events/a=1/", Map.of("k", "v w")))
                    .isEqualTo("devices/d/messages/events/a=1&k=v%20w");
            Map<String, String> two = new LinkedHashMap<>();
            two.put("iothub-MessageType", "Will");
            two.put("auth", "{\"type\":\"sas\"}");
            assertThat(HubTopics.telemetryForConsumers("d", "devices/d/messages/events/$.mid=1&&a", two))
                    .isEqualTo("devices/d/messages/events/$.mid=1&a&iothub-MessageType=Will&auth=%7B%22type%22%3A%22sas%22%7D");
        }

        @Test
        void dropsWhatTheDeviceSaysOfPropertiesTheHubOwns() {
            String sent = "devices/d/messages/events/%24.cdid=evil&$.cmid=m&iothub-connection-device-id=evil"
                    + "&IoTHub-Connection-Auth-Method=x&iothub%2Dconnection%2Dauth-generation-id=1&iothub-enqueuedtime=0"
                    + "&%24.mid=7&iothub-connectionless=kept&k=v";
            assertThat(HubTopics.telemetryForConsumers("d", sent, Map.of("iothub-connection-device-id", "d")))
                    .isEqualTo("devices/d/messages/events/%24.mid=7&iothub-connectionless=kept&k=v"
                            + "&iothub-connection-device-id=d");
        }

        @Test
        void refusesAnythingButDeviceTelemetry() {
            assertThatThrownBy(() -> HubTopics.telemetryForConsumers("d", "$iothub/twin/GET/?$rid=1", Map.of()))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> HubTopics.telemetryForConsumers("d", "devices/d/messages/devicebound/", Map.of()))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Nested
    class TwinResponses {

        @Test
        void topicsFromTheCaptureAndTheSpec() {
            assertThat(HubTopics.twinResponse(200, "2d7160ad-d1c7-4426-bc59-f5502ef902dd", null))
                    .isEqualTo("$iothub/twin/res/200/?$rid=2d7160ad-d1c7-4426-bc59-f5502ef902dd");
            assertThat(HubTopics.twinResponse(204, "4", 13L)).isEqualTo("$iothub/twin/res/204/?$rid=4&$version=13");
            assertThat(HubTopics.twinResponse(400, "7", null)).isEqualTo("$iothub/twin/res/400/?$rid=7");
        }

        @Test
        void theRidIsEchoedByteForByte() {
            String rid = "'a%20b'/=x~";

            assertThat(HubTopics.twinResponse(200, rid, null)).isEqualTo("$iothub/twin/res/200/?$rid=" + rid);
        }

        @Test
        void aTopicJavaParsesTheWaySpec36Says() {
            // Java: status level matches \d{3}; rid cut at "&$version="; version through Integer.parseInt.
            String topic = HubTopics.twinResponse(204, "77e2c0de", 2_147_483_647L);
            String[] levels = topic.split("/");
            String query = topic.substring(topic.indexOf("?$rid=") + "?$rid=".length());

            assertThat(levels[3]).matches("\\d{3}");
            assertThat(levels[4]).startsWith("?$rid=");
            assertThat(query.substring(0, query.indexOf("&$version="))).isEqualTo("77e2c0de");
            assertThat(Integer.parseInt(query.substring(query.indexOf("&$version=") + "&$version=".length()))).isEqualTo(Integer.MAX_VALUE);
        }

        @ParameterizedTest
        @ValueSource(ints = {-1, 0, 20, 99, 1000, 2000})
        void theStatusMustHaveThreeDigits(int status) {
            assertThatThrownBy(() -> HubTopics.twinResponse(status, "1", null)).isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        void theVersionMustFitAnInt() {
            assertThat(HubTopics.twinResponse(204, "1", 0L)).endsWith("&$version=0");
            assertThatThrownBy(() -> HubTopics.twinResponse(204, "1", 2_147_483_648L)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> HubTopics.twinResponse(204, "1", -1L)).isInstanceOf(IllegalArgumentException.class);
        }

        @ParameterizedTest
        @ValueSource(strings = {"", "a&b", "a#", "a+", "a\u0000"})
        void ridsThatCannotHaveComeFromAParsedTopicAreBugs(String rid) {
            assertThatThrownBy(() -> HubTopics.twinResponse(200, rid, null)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> HubTopics.twinResponse(200, null, null)).isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        void roundTripWithTheDeviceRequest() {
            DeviceTopic request = DeviceTopic.parse("$iothub/twin/PATCH/properties/reported/?$rid=e9efb44b-341f&$version=12", "d", null);
            String rid = ((DeviceTopic.TwinReportedPatch) request).rid();

            assertThat(HubTopics.twinResponse(204, rid, 13L)).isEqualTo("$iothub/twin/res/204/?$rid=e9efb44b-341f&$version=13");
        }
    }

    @Nested
    class DesiredPatches {

        @Test
        void alwaysCarriesTheVersion() {
            assertThat(HubTopics.desiredPatch(8)).isEqualTo("$iothub/twin/PATCH/properties/desired/?$version=8");
            assertThat(HubTopics.desiredPatch(Integer.MAX_VALUE)).endsWith("?$version=2147483647");
        }

        @Test
        void theVersionMustFitAnInt() {
            assertThatThrownBy(() -> HubTopics.desiredPatch(2_147_483_648L)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> HubTopics.desiredPatch(-1)).isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        void itIsDeliveredOnTheDesiredFilter() {
            assertThat(ConsumerFilters.matches("$iothub/twin/PATCH/properties/desired/#", HubTopics.desiredPatch(8))).isTrue();
        }
    }

    @Nested
    class MethodRequests {

        @Test
        void theSpecExample() {
            assertThat(HubTopics.methodRequest("reboot", "1a")).isEqualTo("$iothub/methods/POST/reboot/?$rid=1a");
        }

        @Test
        void theNameIsPlacedRawInLevelThree() {
            String topic = HubTopics.methodRequest("set.Temp_2-x:y", "ff");

            assertThat(topic.split("/")[3]).isEqualTo("set.Temp_2-x:y");
            assertThat(ConsumerFilters.matches("$iothub/methods/POST/#", topic)).isTrue();
        }

        @ParameterizedTest
        @ValueSource(strings = {"", "a/b", "a?b", "a#", "a+b", "a&b", "a%20b", "a\u0000"})
        void namesThatWouldBreakTheTopicAreRefused(String name) {
            assertThatThrownBy(() -> HubTopics.methodRequest(name, "1")).isInstanceOf(IllegalArgumentException.class);
        }

        @ParameterizedTest
        @ValueSource(strings = {"", "a/b", "a?b", "a#", "a+b", "a&b"})
        void ridsThatWouldBreakTheTopicAreRefused(String rid) {
            assertThatThrownBy(() -> HubTopics.methodRequest("reboot", rid)).isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        void nullsAreRefused() {
            assertThatThrownBy(() -> HubTopics.methodRequest(null, "1")).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> HubTopics.methodRequest("reboot", null)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Nested
    class CloudToDevice {

        @Test
        void theComposedExampleOfSpec35() {
            Map<String, String> system = new LinkedHashMap<>();
            system.put("content-encoding", "utf-8");
            system.put("iothub-ack", "full");
            system.put("content-type", "application/json");
            system.put("message-id", "9b1c0f4e-2d6a-4c1e-9f33-0c2a7d1e5b10");

            String topic = HubTopics.cloudToDevice("pump-07", new MessageProperties(system, Map.of("valve", "open slowly")));

            assertThat(topic).isEqualTo("devices/pump-07/messages/devicebound/%24.mid=9b1c0f4e-2d6a-4c1e-9f33-0c2a7d1e5b10"
                    + "&%24.to=%2Fdevices%2Fpump-07%2Fmessages%2FdeviceBound&%24.ct=application%2Fjson&%24.ce=utf-8"
                    + "&iothub-ack=full&valve=open%20slowly");
        }

        @Test
        void systemPropertiesComeInTheSpecOrderWhateverTheInputOrder() {
            Map<String, String> system = new LinkedHashMap<>();
            system.put("iothub-ack", "none");
            system.put("absolute-expiry-time", "2026-01-15T10:22:31Z");
            system.put("content-encoding", "utf-8");
            system.put("content-type", "text/plain");
            system.put("user-id", "ops");
            system.put("correlation-id", "c1");
            system.put("message-id", "m1");

            String topic = HubTopics.cloudToDevice("d", new MessageProperties(system, Map.of()));

            assertThat(topic).isEqualTo("devices/d/messages/devicebound/%24.mid=m1&%24.to=%2Fdevices%2Fd%2Fmessages%2FdeviceBound"
                    + "&%24.cid=c1&%24.uid=ops&%24.ct=text%2Fplain&%24.ce=utf-8&%24.exp=2026-01-15T10%3A22%3A31Z&iothub-ack=none");
        }

        @Test
        void toIsAlwaysPresentAndNeverTakenFromTheInput() {
            assertThat(HubTopics.cloudToDevice("pump-07", MessageProperties.EMPTY))
                    .isEqualTo("devices/pump-07/messages/devicebound/%24.to=%2Fdevices%2Fpump-07%2Fmessages%2FdeviceBound");
            assertThat(HubTopics.cloudToDevice("pump-07", new MessageProperties(Map.of("to", "/devices/other/messages/deviceBound"), null)))
                    .isEqualTo("devices/pump-07/messages/devicebound/%24.to=%2Fdevices%2Fpump-07%2Fmessages%2FdeviceBound");
        }

        @Test
        void nullAndEmptyValuesAreDropped() {
            Map<String, String> system = new HashMap<>();
            system.put("message-id", "");
            system.put("correlation-id", null);
            system.put("iothub-ack", "");
            Map<String, String> application = new LinkedHashMap<>();
            application.put("a", "");
            application.put("b", null);
            application.put("", "x");
            application.put("c", "1");

            String topic = HubTopics.cloudToDevice("d", new MessageProperties(system, application));

            assertThat(topic).isEqualTo("devices/d/messages/devicebound/%24.to=%2Fdevices%2Fd%2Fmessages%2FdeviceBound&c=1");
        }

        @Test
        void systemPropertiesWithoutAC2dWireKeyAreLeftOut() {
            String topic = HubTopics.cloudToDevice("d", new MessageProperties(
                    Map.of("iothub-operation", "x", "iothub-outputname", "y", "iothub-creation-time-utc", "z"), Map.of()));

            assertThat(topic).isEqualTo("devices/d/messages/devicebound/%24.to=%2Fdevices%2Fd%2Fmessages%2FdeviceBound");
        }

        @Test
        void applicationPropertiesThatWouldPoseAsSystemOnesAreLeftOut() {
            Map<String, String> application = new LinkedHashMap<>();
            application.put("$.mid", "spoof");
            application.put("$anything", "spoof");
            application.put("iothub-ack", "spoof");
            application.put("ok", "1");

            String topic = HubTopics.cloudToDevice("d", new MessageProperties(Map.of(), application));

            assertThat(topic).endsWith("%24.to=%2Fdevices%2Fd%2Fmessages%2FdeviceBound&ok=1");
        }

        @Test
        void spacesArePercent20AndPlusIsPercent2B() {
            String topic = HubTopics.cloudToDevice("d", new MessageProperties(Map.of(), Map.of("a b+c", "1 + 1")));

            assertThat(topic).endsWith("&a%20b%2Bc=1%20%2B%201").doesNotContain("+", " ");
        }

        @Test
        void deviceIdsWithWildcardCharactersAreEscapedInTheTopicLevel() {
            String topic = HubTopics.cloudToDevice("a+b#c", MessageProperties.EMPTY);

            assertThat(topic).isEqualTo("devices/a%2Bb%23c/messages/devicebound/%24.to=%2Fdevices%2Fa%2Bb%23c%2Fmessages%2FdeviceBound");
            assertThat(ConsumerFilters.matches("devices/a%2Bb%23c/messages/devicebound/#", topic)).isTrue();
        }

        @Test
        void theTopicMatchesTheDevicesSubscriptionAndHasNoWildcards() {
            String topic = HubTopics.cloudToDevice("java-sym-mqtt", new MessageProperties(Map.of("message-id", "#1+"), Map.of("#", "+")));

            assertThat(ConsumerFilters.matches("devices/java-sym-mqtt/messages/devicebound/#", topic)).isTrue();
            assertThat(topic).doesNotContain("+", "#", " ");
        }

        @ParameterizedTest
        @ValueSource(strings = {"", "a/b", "a b", "a&b", "é"})
        void invalidDeviceIdsAreBugs(String deviceId) {
            assertThatThrownBy(() -> HubTopics.cloudToDevice(deviceId, MessageProperties.EMPTY)).isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        void javaSdkParserRoundTrip() {
            MessageProperties sent = awkwardMessage();

            Map<String, String> seen = javaSdkView(HubTopics.cloudToDevice("pump-07", sent));

            assertThat(seen).containsExactly(
                    entry("$.mid", "9b1c 0f4e+x"),
                    entry("$.to", "/devices/pump-07/messages/deviceBound"),
                    entry("$.cid", "c=1&d"),
                    entry("$.uid", "ops@plant"),
                    entry("$.ct", "application/json; charset=utf-8"),
                    entry("$.ce", "utf-8"),
                    entry("$.exp", "2026-01-15T10:22:31.104Z"),
                    entry("iothub-ack", "positive"),
                    entry("valve", "open slowly"),
                    entry("a+b", "1+1=2 & 100%"),
                    entry("ünï", "😀/?#"));
        }

        @Test
        void nodeSdkParserRoundTrip() {
            MessageProperties sent = awkwardMessage();

            Map<String, String> seen = nodeSdkView(HubTopics.cloudToDevice("pump-07", sent));

            assertThat(seen).containsEntry("$.mid", "9b1c 0f4e+x").containsEntry("$.cid", "c=1&d")
                    .containsEntry("a+b", "1+1=2 & 100%").containsEntry("ünï", "😀/?#").hasSize(11);
        }

        @Test
        void ourOwnTelemetryParserReadsItBackUnderHubNames() {
            String topic = HubTopics.cloudToDevice("pump-07", awkwardMessage());
            String bag = topic.substring("devices/pump-07/messages/devicebound/".length());

            MessageProperties parsed = PropertyBag.parse(bag);

            assertThat(parsed.system()).containsExactly(
                    entry("message-id", "9b1c 0f4e+x"),
                    entry("to", "/devices/pump-07/messages/deviceBound"),
                    entry("correlation-id", "c=1&d"),
                    entry("user-id", "ops@plant"),
                    entry("content-type", "application/json; charset=utf-8"),
                    entry("content-encoding", "utf-8"),
                    entry("absolute-expiry-time", "2026-01-15T10:22:31.104Z"));
            assertThat(parsed.application()).containsExactly(entry("iothub-ack", "positive"), entry("valve", "open slowly"),
                    entry("a+b", "1+1=2 & 100%"), entry("ünï", "😀/?#"));
        }

        private MessageProperties awkwardMessage() {
            Map<String, String> system = new LinkedHashMap<>();
            system.put("iothub-ack", "positive");
            system.put("absolute-expiry-time", "2026-01-15T10:22:31.104Z");
            system.put("content-type", "application/json; charset=utf-8");
            system.put("content-encoding", "utf-8");
            system.put("message-id", "9b1c 0f4e+x");
            system.put("correlation-id", "c=1&d");
            system.put("user-id", "ops@plant");
            Map<String, String> application = new LinkedHashMap<>();
            application.put("valve", "open slowly");
            application.put("a+b", "1+1=2 & 100%");
            application.put("ünï", "😀/?#");
            return new MessageProperties(system, application);
        }

        /** Java {@code Mqtt.constructMessage} as spec 3.5 describes it: from the first %24, split, index 1, URLDecoder. */
        private Map<String, String> javaSdkView(String topic) {
            Map<String, String> seen = new LinkedHashMap<>();
            for (String pair : topic.substring(topic.indexOf("%24")).split("&")) {
                String[] kv = pair.split("=");
                seen.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8), URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
            }
            return seen;
        }

        /** Node: the last topic level split on '&' then '=', decodeURIComponent both sides. */
        private Map<String, String> nodeSdkView(String topic) {
            Map<String, String> seen = new LinkedHashMap<>();
            Matcher escape = Pattern.compile("%[0-9A-F]{2}").matcher("");
            for (String pair : topic.substring(topic.lastIndexOf('/') + 1).split("&")) {
                int eq = pair.indexOf('=');
                seen.put(decodeUriComponent(pair.substring(0, eq)), decodeUriComponent(pair.substring(eq + 1)));
                assertThat(escape.reset(pair).replaceAll("")).matches("[A-Za-z0-9._~=-]*");
            }
            return seen;
        }

        private String decodeUriComponent(String s) {
            // decodeURIComponent leaves '+' alone, unlike URLDecoder.
            return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
        }
    }
}
