package io.onramp.broker.topic;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HubUserNameTest {

    static final String JAVA_UA = "com.microsoft.azure.sdk.iot.iot-device-client/2.5.0 (17.0.15; Linux; amd64)";
    static final String NODE_UA = "azure-iot-device/1.18.4 (node v20.20.2; Debian 12; x64)";

    static HubUserName parsed(String userName) {
        Optional<HubUserName> parsed = HubUserName.parse(userName);
        assertThat(parsed).as(userName).isPresent();
        return parsed.get();
    }

    @Test
    void nodeUserNameFromTheCapture() {
        HubUserName user = parsed("127.0.0.1/node-sym-http/?api-version=2021-04-12&DeviceClientType="
                + "azure-iot-device%2F1.18.4%20(node%20v20.20.2%3B%20Debian%2012%3B%20x64)");

        assertThat(user).isEqualTo(new HubUserName("127.0.0.1", "node-sym-http", null, "2021-04-12", null, NODE_UA));
    }

    @Test
    void javaUserNameFromTheCapture() {
        HubUserName user = parsed("127.0.0.1/java-sym-mqtt-ws/?api-version=2020-09-30&DeviceClientType="
                + "com.microsoft.azure.sdk.iot.iot-device-client%2F2.5.0%20%2817.0.15%3B%20Linux%3B%20amd64%29");

        assertThat(user).isEqualTo(new HubUserName("127.0.0.1", "java-sym-mqtt-ws", null, "2020-09-30", null, JAVA_UA));
    }

    @Test
    void x509UserNameFromTheCaptureIsTheSameShape() {
        HubUserName user = parsed("127.0.0.1/x509-group-dev-1/?api-version=2020-09-30&DeviceClientType="
                + "com.microsoft.azure.sdk.iot.iot-device-client%2F2.5.0%20%2817.0.15%3B%20Linux%3B%20amd64%29");

        assertThat(user.deviceId()).isEqualTo("x509-group-dev-1");
        assertThat(user.clientType()).isEqualTo(JAVA_UA);
    }

    @Test
    void specTranscriptUserName() {
        HubUserName user = parsed("hub1.plant.example/pump-07/?api-version=2020-09-30&DeviceClientType="
                + "com.microsoft.azure.sdk.iot.iot-device-client%2F2.5.0%20%2817.0.9%3B%20Linux%3B%20amd64%29");

        assertThat(user.hubHostName()).isEqualTo("hub1.plant.example");
        assertThat(user.deviceId()).isEqualTo("pump-07");
        assertThat(user.moduleId()).isNull();
        assertThat(user.clientType()).isEqualTo("com.microsoft.azure.sdk.iot.iot-device-client/2.5.0 (17.0.9; Linux; amd64)");
    }

    @Test
    void nodeSendsTheModelIdRaw() {
        HubUserName user = parsed("hub1.plant.example/pump-07/?api-version=2021-04-12"
                + "&model-id=dtmi:com:example:Thermostat;1&DeviceClientType=azure-iot-device%2F1.18.4");

        assertThat(user.modelId()).isEqualTo("dtmi:com:example:Thermostat;1");
        assertThat(user.clientType()).isEqualTo("azure-iot-device/1.18.4");
    }

    @Test
    void javaSendsTheModelIdEncoded() {
        HubUserName user = parsed("hub1.plant.example/pump-07/?api-version=2020-09-30"
                + "&model-id=dtmi%3Acom%3Aexample%3AThermostat%3B1&DeviceClientType=x");

        assertThat(user.modelId()).isEqualTo("dtmi:com:example:Thermostat;1");
    }

    @Test
    void cPutsTheModelIdLastWithLowerCaseEscapes() {
        HubUserName user = parsed("hub1.plant.example/pump-07/?api-version=2020-09-30"
                + "&DeviceClientType=iothubclient%2f1.13.0%20(native%3b%20Linux%3b%20x86_64)&model-id=dtmi%3acom%3aexample%3aThermostat%3b1");

        assertThat(user.clientType()).isEqualTo("iothubclient/1.13.0 (native; Linux; x86_64)");
        assertThat(user.modelId()).isEqualTo("dtmi:com:example:Thermostat;1");
    }

    @Test
    void docsAndRawClientsSendOnlyTheApiVersion() {
        assertThat(parsed("hub1.plant.example/pump-07/?api-version=2021-04-12"))
                .isEqualTo(new HubUserName("hub1.plant.example", "pump-07", null, "2021-04-12", null, null));
    }

    @Test
    void oldSdksLeaveOutTheQuestionMark() {
        assertThat(parsed("hub1.plant.example/pump-07/api-version=2016-11-14&DeviceClientType=old%2F1.0"))
                .isEqualTo(new HubUserName("hub1.plant.example", "pump-07", null, "2016-11-14", null, "old/1.0"));
    }

    @Test
    void moduleForms() {
        assertThat(parsed("hub1.plant.example/pump-07/filter/?api-version=2020-09-30&DeviceClientType=x"))
                .isEqualTo(new HubUserName("hub1.plant.example", "pump-07", "filter", "2020-09-30", null, "x"));
        assertThat(parsed("hub1.plant.example/pump-07/filter/api-version=2018-06-30"))
                .isEqualTo(new HubUserName("hub1.plant.example", "pump-07", "filter", "2018-06-30", null, null));
    }

    @Test
    void aMissingApiVersionIsAcceptedAsNull() {
        // edgeHub refuses this; spec 3.1 [D] accepts it and the caller logs.
        assertThat(parsed("hub1.plant.example/pump-07/?DeviceClientType=x").apiVersion()).isNull();
        assertThat(parsed("hub1.plant.example/pump-07/?").apiVersion()).isNull();
        assertThat(parsed("hub1.plant.example/pump-07/?api-version=").apiVersion()).isNull();
        assertThat(parsed("hub1.plant.example/pump-07/"))
                .isEqualTo(new HubUserName("hub1.plant.example", "pump-07", null, null, null, null));
    }

    @Test
    void unknownParametersAreIgnoredAndTheFirstDuplicateWins() {
        HubUserName user = parsed("h/d/?foo=bar&api-version=1&api-version=2&flag&DeviceClientType=a&DeviceClientType=b");

        assertThat(user.apiVersion()).isEqualTo("1");
        assertThat(user.clientType()).isEqualTo("a");
    }

    @Test
    void parameterNamesAreCaseSensitiveLikeEdgeHub() {
        HubUserName user = parsed("h/d/?API-VERSION=1&deviceclienttype=x&Model-Id=m");

        assertThat(user.apiVersion()).isNull();
        assertThat(user.clientType()).isNull();
        assertThat(user.modelId()).isNull();
    }

    @Test
    void plusStaysPlusInValues() {
        assertThat(parsed("h/d/?api-version=1&DeviceClientType=a+b%2Bc").clientType()).isEqualTo("a+b+c");
    }

    @Test
    void idsAreKeptExactlyAsSent() {
        // '?' and '%' are legal id characters (spec 6.1); edgeHub only treats '?' as a separator at the start of the last level.
        HubUserName user = parsed("h/Dev%41?x/Mod#1/?api-version=1");

        assertThat(user.deviceId()).isEqualTo("Dev%41?x");
        assertThat(user.moduleId()).isEqualTo("Mod#1");
    }

    @Test
    void everyIdCharacterOfTheSpecIsAccepted() {
        assertThat(parsed("h/aZ09-.+%_#*?!(),=@$':/?api-version=1").deviceId()).isEqualTo("aZ09-.+%_#*?!(),=@$':");
    }

    @Test
    void anIdOf128CharactersIsAcceptedAnd129IsNot() {
        assertThat(HubUserName.parse("h/" + "d".repeat(128) + "/?api-version=1")).isPresent();
        assertThat(HubUserName.parse("h/" + "d".repeat(129) + "/?api-version=1")).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "",
        "hub1",
        "hub1/pump-07",
        "hub1/pump-07/DeviceClientType=x",
        "/pump-07/?api-version=1",
        "hub1//?api-version=1",
        "hub1/pump-07//?api-version=1",
        "hub1/pump-07/filter/extra/?api-version=1",
        "hub1/pump-07/filter/extra/api-version=1",
        "hub1/pump 07/?api-version=1",
        "hub1/pump\u000007/?api-version=1",
        "hub1/pump\u00e907/?api-version=1",
        "hub1/pump-07/?api-version=2021%2",
        "hub1/pump-07/?api-version=1&DeviceClientType=%zz",
        "hub1/pump-07/?api-version=1&model-id=%C3%28",
        "hub 1/pump-07/?api-version=1",
        "hub1/pump-07/?api-version=1/extra",
    })
    void malformedUserNamesAreEmpty(String userName) {
        assertThat(HubUserName.parse(userName)).isEmpty();
    }

    @Test
    void nullAndAbsurdlyLongUserNamesAreEmpty() {
        assertThat(HubUserName.parse(null)).isEmpty();
        assertThat(HubUserName.parse("h/d/?api-version=1&x=" + "y".repeat(5000))).isEmpty();
    }

    @Test
    void aBrokenEscapeInAnIgnoredParameterDoesNotMatter() {
        assertThat(HubUserName.parse("h/d/?api-version=1&other=%zz")).isPresent();
    }

    @Test
    void nonAsciiValuesDecodeAsUtf8() {
        assertThat(parsed("h/d/?api-version=1&DeviceClientType=caf%C3%A9%20%E2%9C%93").clientType()).isEqualTo("café ✓");
    }
}
