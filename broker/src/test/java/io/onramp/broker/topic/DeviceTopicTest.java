package io.onramp.broker.topic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import io.onramp.broker.topic.DeviceTopic.Forbidden;
import io.onramp.broker.topic.DeviceTopic.MethodResponse;
import io.onramp.broker.topic.DeviceTopic.Telemetry;
import io.onramp.broker.topic.DeviceTopic.TwinGet;
import io.onramp.broker.topic.DeviceTopic.TwinReportedPatch;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DeviceTopicTest {

    static DeviceTopic device(String topic) {
        return DeviceTopic.parse(topic, "pump-07", null);
    }

    static DeviceTopic module(String topic) {
        return DeviceTopic.parse(topic, "pump-07", "filter");
    }

    @Nested
    class TelemetryTopics {

        @Test
        void javaTelemetryFromTheCapture() {
            DeviceTopic parsed = DeviceTopic.parse("devices/java-sym-mqtt/messages/events/$.mid=66156e8f-bbd2-4a17-9e56-f40c6161b6c0"
                    + "&$.cid=e7417d36-bca1-4bc1-a3d6-fc310abec89e&$.cdid=java-sym-mqtt&$.ce=utf-8&$.ct=application%2Fjson&test-seq=0",
                    "java-sym-mqtt", null);

            assertThat(parsed).isInstanceOfSatisfying(Telemetry.class, telemetry -> {
                assertThat(telemetry.moduleId()).isNull();
                assertThat(telemetry.properties().system()).containsExactly(
                        entry("message-id", "66156e8f-bbd2-4a17-9e56-f40c6161b6c0"),
                        entry("correlation-id", "e7417d36-bca1-4bc1-a3d6-fc310abec89e"),
                        entry("content-encoding", "utf-8"),
                        entry("content-type", "application/json"));
                assertThat(telemetry.properties().application()).containsExactly(entry("test-seq", "0"));
            });
        }

        @Test
        void nodeTelemetryFromTheCapture() {
            DeviceTopic parsed = DeviceTopic.parse("devices/node-sym-mqtt-ws/messages/events/%24.ct=application%2Fjson&%24.ce=utf-8&test-seq=0",
                    "node-sym-mqtt-ws", null);

            assertThat(parsed).isEqualTo(new Telemetry(null, new MessageProperties(
                    Map.of("content-type", "application/json", "content-encoding", "utf-8"), Map.of("test-seq", "0"))));
        }

        @Test
        void x509TelemetryFromTheCapture() {
            DeviceTopic parsed = DeviceTopic.parse("devices/x509-group-dev-1/messages/events/$.mid=74f24182-16dc-4a13-b51c-8e6df4f931ce"
                    + "&$.cid=0ad99220-1ccc-4c19-bc8d-d20cfcd17359&$.cdid=x509-group-dev-1&$.ce=utf-8&$.ct=application%2Fjson&test-seq=0",
                    "x509-group-dev-1", null);

            assertThat(parsed).isInstanceOf(Telemetry.class);
            assertThat(((Telemetry) parsed).properties().system()).doesNotContainKey("iothub-connection-device-id").hasSize(4);
        }

        @ParameterizedTest
        @ValueSource(strings = {
            "devices/pump-07/messages/events",
            "devices/pump-07/messages/events/",
            "devices/pump-07/messages/events//",
        })
        void emptyBagsWithAndWithoutSlashes(String topic) {
            assertThat(device(topic)).isEqualTo(new Telemetry(null, MessageProperties.EMPTY));
        }

        @Test
        void aTrailingSlashAfterTheBag() {
            assertThat(device("devices/pump-07/messages/events/a=1/")).isEqualTo(new Telemetry(null,
                    new MessageProperties(Map.of(), Map.of("a", "1"))));
        }

        @Test
        void moduleTelemetryAndNodeOutputEvents() {
            assertThat(module("devices/pump-07/modules/filter/messages/events/%24.on=alerts&level=high/"))
                    .isEqualTo(new Telemetry("filter", new MessageProperties(Map.of("iothub-outputname", "alerts"), Map.of("level", "high"))));
            assertThat(module("devices/pump-07/modules/filter/messages/events/")).isEqualTo(new Telemetry("filter", MessageProperties.EMPTY));
            assertThat(module("devices/pump-07/modules/filter/messages/events")).isEqualTo(new Telemetry("filter", MessageProperties.EMPTY));
        }

        @Test
        void pythonPercentEncodesTheIds() {
            assertThat(DeviceTopic.parse("devices/dev%3A1/messages/events/a=1", "dev:1", null)).isInstanceOf(Telemetry.class);
            assertThat(DeviceTopic.parse("devices/d%2Bx/modules/m%23y/messages/events/", "d+x", "m#y")).isInstanceOf(Telemetry.class);
        }

        @Test
        void idsContainingPercentMatchAsSent() {
            // Java and Node send ids raw, so "a%41" arrives as is; decoding it would give "aA".
            assertThat(DeviceTopic.parse("devices/a%41/messages/events/", "a%41", null)).isInstanceOf(Telemetry.class);
            assertThat(DeviceTopic.parse("devices/a%zz/messages/events/", "a%zz", null)).isInstanceOf(Telemetry.class);
        }

        @Test
        void theBagIsParsedByPropertyBagRules() {
            // A raw '+' cannot appear (topic names may not hold wildcards), so a plus arrives as %2B.
            DeviceTopic parsed = device("devices/pump-07/messages/events/%24.mid=1&$.cmid=x&iothub-operation=op&k%2B1=a%20b");

            assertThat(parsed).isEqualTo(new Telemetry(null, new MessageProperties(
                    Map.of("message-id", "1", "iothub-operation", "op"), Map.of("k+1", "a b"))));
        }
    }

    @Nested
    class TwinAndMethodTopics {

        @ParameterizedTest
        @ValueSource(strings = {
            "2d7160ad-d1c7-4426-bc59-f5502ef902dd",
            "e9efb44b-341f-4156-9f96-881005ff2d91",
            "27e5a2e5-232a-48ed-9242-d255e1362ce9",
            "6eef4d99-fc6e-4ef2-a205-1e7c09093006",
            "e8b5b4d6-8f0d-4b18-b61d-16bde2ad92b8",
            "2a3ce1ce-23db-4e8d-a472-fb9d6941d4fd",
            "ffc4ab14-4646-47d1-ba3a-aba464f8e176",
            "db19612b-81d1-4d58-a2bf-3a4cda7fa186",
        })
        void twinGetsFromTheCapture(String rid) {
            assertThat(device("$iothub/twin/GET/?$rid=" + rid)).isEqualTo(new TwinGet(rid));
        }

        @Test
        void ridsAreOpaqueAndKeptByteForByte() {
            assertThat(device("$iothub/twin/GET/?$rid=7")).isEqualTo(new TwinGet("7"));
            assertThat(device("$iothub/twin/GET/?$rid='a%20b'")).isEqualTo(new TwinGet("'a%20b'"));
            assertThat(device("$iothub/twin/GET/?$rid=x=y")).isEqualTo(new TwinGet("x=y"));
        }

        @Test
        void twinAndMethodTopicsAreTheSameForModules() {
            assertThat(module("$iothub/twin/GET/?$rid=1")).isEqualTo(new TwinGet("1"));
            assertThat(module("$iothub/methods/res/200/?$rid=1")).isEqualTo(new MethodResponse(200, "1"));
        }

        @Test
        void unknownQueryParametersAreIgnoredInAnyOrder() {
            assertThat(device("$iothub/twin/GET/?foo=1&$rid=9&bar")).isEqualTo(new TwinGet("9"));
            assertThat(device("$iothub/twin/PATCH/properties/reported/?$version=3&$rid=9")).isEqualTo(new TwinReportedPatch("9", 3));
        }

        @Test
        void reportedPatches() {
            assertThat(device("$iothub/twin/PATCH/properties/reported/?$rid=77e2")).isEqualTo(new TwinReportedPatch("77e2", null));
            assertThat(device("$iothub/twin/PATCH/properties/reported/?$rid=77e2&$version=12"))
                    .isEqualTo(new TwinReportedPatch("77e2", 12));
            assertThat(device("$iothub/twin/PATCH/properties/reported/?$rid=1&$version=2147483647"))
                    .isEqualTo(new TwinReportedPatch("1", Integer.MAX_VALUE));
        }

        @ParameterizedTest
        @ValueSource(strings = {"", "x", "-1", "2147483648", "99999999999", "1.0", " 1", "\u0661"})
        void badReportedVersionsAreForbidden(String version) {
            assertThat(device("$iothub/twin/PATCH/properties/reported/?$rid=1&$version=" + version)).isInstanceOf(Forbidden.class);
        }

        @Test
        void methodResponses() {
            assertThat(device("$iothub/methods/res/200/?$rid=1a")).isEqualTo(new MethodResponse(200, "1a"));
            assertThat(device("$iothub/methods/res/0/?$rid=1")).isEqualTo(new MethodResponse(0, "1"));
            assertThat(device("$iothub/methods/res/-1/?$rid=1")).isEqualTo(new MethodResponse(-1, "1"));
            assertThat(device("$iothub/methods/res/2147483647/?$rid=1")).isEqualTo(new MethodResponse(Integer.MAX_VALUE, "1"));
            assertThat(device("$iothub/methods/res/-2147483647/?$rid=1")).isEqualTo(new MethodResponse(-Integer.MAX_VALUE, "1"));
        }

        @ParameterizedTest
        @ValueSource(strings = {
            "$iothub/methods/res//?$rid=1",
            "$iothub/methods/res/abc/?$rid=1",
            "$iothub/methods/res/2147483648/?$rid=1",
            "$iothub/methods/res/200?$rid=1",
            "$iothub/methods/res/200/$rid=1",
            "$iothub/methods/res/200/?",
            "$iothub/methods/res/200/?$rid=",
            "$iothub/methods/res/200/?$rid=1&$rid=2",
            "$iothub/methods/res/200",
            "$iothub/methods/POST/reboot/?$rid=1",
        })
        void malformedMethodResponsesAreForbidden(String topic) {
            assertThat(device(topic)).isInstanceOf(Forbidden.class);
        }

        @ParameterizedTest
        @ValueSource(strings = {
            "$iothub/twin/GET/",
            "$iothub/twin/GET/?",
            "$iothub/twin/GET/?$rid=",
            "$iothub/twin/GET/?rid=1",
            "$iothub/twin/GET/?$RID=1",
            "$iothub/twin/GET/?$rid=1&$rid=2",
            "$iothub/twin/GET?$rid=1",
            "$iothub/twin/get/?$rid=1",
            "$iothub/twin/PATCH/properties/reported/",
            "$iothub/twin/PATCH/properties/reported/?$rid=1&$version=1&$version=2",
            "$iothub/twin/PATCH/properties/desired/?$rid=1",
            "$iothub/twin/PATCH/properties/?$rid=1",
            "$iothub/twin/res/200/?$rid=1",
            "$iothub/twin/PATCH/properties/desired/?$version=3",
        })
        void malformedOrUnknownTwinTopicsAreForbidden(String topic) {
            assertThat(device(topic)).isInstanceOf(Forbidden.class);
        }
    }

    @Nested
    class ForbiddenTopics {

        @ParameterizedTest
        @ValueSource(strings = {
            "devices/pump-08/messages/events/a=1",
            "devices/PUMP-07/messages/events/a=1",
            "devices/pump-0/messages/events/",
            "devices/pump-07x/messages/events/",
            "devices//messages/events/",
            "devices/%70ump-08/messages/events/",
        })
        void anotherDevicesTopic(String topic) {
            assertThat(device(topic)).isInstanceOfSatisfying(Forbidden.class,
                    f -> assertThat(f.reason()).contains("another device"));
        }

        @ParameterizedTest
        @ValueSource(strings = {
            "devices/+/messages/events/",
            "devices/pump-07/messages/events/#",
            "devices/pump-07/messages/events/a=+",
            "devices/pump-07/messages/events/a=1&b=#",
            "#",
            "+",
            "$iothub/twin/GET/?$rid=+",
            "$iothub/twin/GET/?$rid=1#",
            "devices/pump-07/messages/events/a=\u0000",
        })
        void wildcardsAndNulAreNeverTopicNames(String topic) {
            assertThat(device(topic)).isInstanceOfSatisfying(Forbidden.class,
                    f -> assertThat(f.reason()).contains("wildcard or NUL"));
        }

        @ParameterizedTest
        @ValueSource(strings = {
            "",
            "devices",
            "devices/",
            "devices/pump-07",
            "devices/pump-07/",
            "devices/pump-07/messages",
            "devices/pump-07/messages/eventsx",
            "devices/pump-07/messages/devicebound/a=1",
            "devices/pump-07/messages/events/a=1/b=2",
            "devices/pump-07/messages/events/a=1//",
            "devices/pump-07/messages/events//a=1",
            "Devices/pump-07/messages/events/",
            "/devices/pump-07/messages/events/",
            "events",
            "$iothub/",
            "$iothub/methods/POST/x",
            "$sys/broker",
            "devices/pump-07/modules//messages/events/",
        })
        void unknownAndMalformedTopics(String topic) {
            assertThat(device(topic)).isInstanceOf(Forbidden.class);
        }

        @Test
        void nullTopic() {
            assertThat(device(null)).isInstanceOf(Forbidden.class);
        }

        @Test
        void malformedBagsAreForbiddenNotThrown() {
            assertThat(device("devices/pump-07/messages/events/a=%zz")).isInstanceOfSatisfying(Forbidden.class,
                    f -> assertThat(f.reason()).contains("malformed property bag"));
            assertThat(device("devices/pump-07/messages/events/%24.mid=%C3%28")).isInstanceOf(Forbidden.class);
        }

        @Test
        void aDeviceMayNotUseModuleTopics() {
            assertThat(device("devices/pump-07/modules/filter/messages/events/")).isInstanceOf(Forbidden.class);
        }

        @Test
        void aModuleMayNotUseItsDevicesTopicOrAnotherModules() {
            assertThat(module("devices/pump-07/messages/events/")).isInstanceOf(Forbidden.class);
            assertThat(module("devices/pump-07/modules/other/messages/events/")).isInstanceOf(Forbidden.class);
            assertThat(module("devices/pump-07/modules/Filter/messages/events/")).isInstanceOf(Forbidden.class);
            assertThat(module("devices/pump-08/modules/filter/messages/events/")).isInstanceOf(Forbidden.class);
            assertThat(module("devices/pump-07/modules/filter")).isInstanceOf(Forbidden.class);
            assertThat(module("devices/pump-07/modules/filter/inputs/x")).isInstanceOf(Forbidden.class);
        }

        @Test
        void aBadlyEncodedIdIsJustAnotherDevice() {
            assertThat(device("devices/pump%2-07/messages/events/")).isInstanceOf(Forbidden.class);
        }
    }

    @Test
    void theConnectedIdentityIsRequired() {
        assertThatThrownBy(() -> DeviceTopic.parse("devices/a/messages/events/", null, null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> DeviceTopic.parse("devices/a/messages/events/", "a", "")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aLongTelemetryTopicParsesInLinearTime() {
        String topic = "devices/pump-07/messages/events/" + "a&".repeat(30_000);

        long start = System.nanoTime();
        DeviceTopic parsed = device(topic);
        long millis = (System.nanoTime() - start) / 1_000_000;

        assertThat(parsed).isInstanceOf(Telemetry.class);
        assertThat(millis).isLessThan(1_000);
    }
}
