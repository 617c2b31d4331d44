package io.onramp.gateway.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DpsTopicsTest {

    @Test
    void userNamesOfEverySdkParse() {
        // Node and Java, from spec/captures/dps-mqtt.txt
        assertThat(DpsUserName.parse("0ne0000AB12/registrations/node-sym-mqtt/api-version=2019-03-31&ClientVersion=azure-iot-provisioning-device%2F1.9.1"))
                .contains(new DpsUserName("0ne0000AB12", "node-sym-mqtt", "2019-03-31"));
        assertThat(DpsUserName.parse("0ne0000AB12/registrations/java-sym-mqtt/api-version=2019-03-31&ClientVersion=2019-03-31"))
                .contains(new DpsUserName("0ne0000AB12", "java-sym-mqtt", "2019-03-31"));
        assertThat(DpsUserName.parse("0ne0000AB12/registrations/no-version/")).contains(new DpsUserName("0ne0000AB12", "no-version", null));
    }

    @Test
    void malformedUserNamesDoNotParse() {
        assertThat(DpsUserName.parse("0ne0000AB12/registrations/")).isEmpty();
        assertThat(DpsUserName.parse("0ne0000AB12/registrations/id-without-slash")).isEmpty();
        assertThat(DpsUserName.parse("/registrations/x/api-version=1")).isEmpty();
        assertThat(DpsUserName.parse("hub.example/device/?api-version=2021-04-12")).isEmpty();
    }

    @Test
    void realmIsToldByTheScopePrefix() {
        assertThat(DpsUserName.isFor("0ne0000AB12/registrations/x/api-version=1", "0ne0000AB12")).isTrue();
        assertThat(DpsUserName.isFor("0NE0000ab12/registrations/x/api-version=1", "0ne0000AB12")).isTrue();
        assertThat(DpsUserName.isFor("0ne0000AB12/devices/x", "0ne0000AB12")).isFalse();
        assertThat(DpsUserName.isFor("127.0.0.2/x/?api-version=1", "0ne0000AB12")).isFalse();
        assertThat(DpsUserName.isFor(null, "0ne0000AB12")).isFalse();
    }

    @Test
    void requestTopicsParseWithTheRidKeptAsSent() {
        assertThat(DpsTopics.parse("$dps/registrations/PUT/iotdps-register/?$rid=7507d4e6-b797-4fa8-9edd-8478001fc423"))
                .isEqualTo(new DpsTopics.Register("7507d4e6-b797-4fa8-9edd-8478001fc423"));
        assertThat(DpsTopics.parse("$dps/registrations/GET/iotdps-get-operationstatus/?$rid=ad20&operationId=4.1a59a56c9f2c6d72.cac621a6"))
                .isEqualTo(new DpsTopics.Status("ad20", "4.1a59a56c9f2c6d72.cac621a6"));
        // Python percent-encodes; the rid is echoed undecoded, the operation ID is decoded
        assertThat(DpsTopics.parse("$dps/registrations/GET/iotdps-get-operationstatus/?$rid=%22a%22&operationId=4.a%2Eb"))
                .isEqualTo(new DpsTopics.Status("%22a%22", "4.a.b"));
    }

    @Test
    void otherTopicsAreUnknown() {
        assertThat(DpsTopics.parse("$dps/registrations/PUT/iotdps-register/")).isInstanceOf(DpsTopics.Unknown.class);
        assertThat(DpsTopics.parse("$dps/registrations/PUT/iotdps-register/?$rid=")).isInstanceOf(DpsTopics.Unknown.class);
        assertThat(DpsTopics.parse("$dps/registrations/GET/iotdps-get-operationstatus/?$rid=1")).isInstanceOf(DpsTopics.Unknown.class);
        assertThat(DpsTopics.parse("devices/x/messages/events/")).isInstanceOf(DpsTopics.Unknown.class);
    }

    @Test
    void responseTopicsPutTheRidFirst() {
        assertThat(DpsTopics.response(202, "1", 3)).isEqualTo("$dps/registrations/res/202/?$rid=1&retry-after=3");
        assertThat(DpsTopics.response(200, "b29", null)).isEqualTo("$dps/registrations/res/200/?$rid=b29");
    }
}
