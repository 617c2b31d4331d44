package io.onramp.broker.topic;

import static io.onramp.broker.topic.DeviceSubscription.ACCEPTED_SILENT;
import static io.onramp.broker.topic.DeviceSubscription.CLOUD_TO_DEVICE;
import static io.onramp.broker.topic.DeviceSubscription.METHODS;
import static io.onramp.broker.topic.DeviceSubscription.REFUSED;
import static io.onramp.broker.topic.DeviceSubscription.TWIN_DESIRED;
import static io.onramp.broker.topic.DeviceSubscription.TWIN_RESPONSES;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DeviceSubscriptionTest {

    static DeviceSubscription device(String filter) {
        return DeviceSubscription.classify(filter, "pump-07", null);
    }

    static DeviceSubscription module(String filter) {
        return DeviceSubscription.classify(filter, "pump-07", "filter");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "devices/pump-07/messages/devicebound/#, CLOUD_TO_DEVICE",
        "$iothub/twin/res/#, TWIN_RESPONSES",
        "$iothub/twin/PATCH/properties/desired/#, TWIN_DESIRED",
        "$iothub/methods/POST/#, METHODS",
    })
    void theDeviceFiltersOfTheSpecTable(String filter, DeviceSubscription expected) {
        assertThat(device(filter)).isEqualTo(expected);
    }

    @Test
    void subscriptionsFromTheCapture() {
        assertThat(DeviceSubscription.classify("devices/java-sym-http/messages/devicebound/#", "java-sym-http", null))
                .isEqualTo(CLOUD_TO_DEVICE);
        assertThat(DeviceSubscription.classify("devices/x509-group-dev-1/messages/devicebound/#", "x509-group-dev-1", null))
                .isEqualTo(CLOUD_TO_DEVICE);
        assertThat(DeviceSubscription.classify("$iothub/twin/res/#", "node-sym-mqtt", null)).isEqualTo(TWIN_RESPONSES);
        assertThat(DeviceSubscription.classify("$iothub/twin/PATCH/properties/desired/#", "java-sym-mqtt", null))
                .isEqualTo(TWIN_DESIRED);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "devices/pump-07/modules/filter/messages/devicebound/#",
        "devices/pump-07/modules/filter/inputs/#",
        "devices/pump-07/modules/filter/#",
    })
    void moduleFiltersAreGrantedButSilent(String filter) {
        assertThat(module(filter)).isEqualTo(ACCEPTED_SILENT);
    }

    @Test
    void modulesShareTheTwinAndMethodFilters() {
        assertThat(module("$iothub/twin/res/#")).isEqualTo(TWIN_RESPONSES);
        assertThat(module("$iothub/twin/PATCH/properties/desired/#")).isEqualTo(TWIN_DESIRED);
        assertThat(module("$iothub/methods/POST/#")).isEqualTo(METHODS);
    }

    @Test
    void pythonQuotesTheIds() {
        assertThat(DeviceSubscription.classify("devices/dev%3A1/messages/devicebound/#", "dev:1", null)).isEqualTo(CLOUD_TO_DEVICE);
        assertThat(DeviceSubscription.classify("devices/d%2Bx/messages/devicebound/#", "d+x", null)).isEqualTo(CLOUD_TO_DEVICE);
        assertThat(DeviceSubscription.classify("devices/d/modules/m%23y/inputs/#", "d", "m#y")).isEqualTo(ACCEPTED_SILENT);
    }

    @Test
    void aModuleMayNotDrainItsDevicesQueue() {
        assertThat(module("devices/pump-07/messages/devicebound/#")).isEqualTo(REFUSED);
    }

    @Test
    void aDeviceMayNotTakeModuleFilters() {
        assertThat(device("devices/pump-07/modules/filter/messages/devicebound/#")).isEqualTo(REFUSED);
        assertThat(device("devices/pump-07/modules/filter/inputs/#")).isEqualTo(REFUSED);
        assertThat(device("devices/pump-07/modules/filter/#")).isEqualTo(REFUSED);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "devices/pump-08/messages/devicebound/#",
        "devices/PUMP-07/messages/devicebound/#",
        "devices/pump-0/messages/devicebound/#",
        "devices//messages/devicebound/#",
        "devices/%70ump-08/messages/devicebound/#",
    })
    void anotherDevicesQueueIsRefused(String filter) {
        assertThat(device(filter)).isEqualTo(REFUSED);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "#",
        "+/#",
        "devices/#",
        "devices/+/messages/devicebound/#",
        "devices/+/#",
        "devices/pump-07/#",
        "devices/pump-07/+/devicebound/#",
        "devices/pump-07/messages/#",
        "devices/pump-07/messages/devicebound/+",
        "devices/pump-07/messages/devicebound/",
        "devices/pump-07/messages/devicebound",
        "devices/pump-07/messages/devicebound/a/#",
        "devices/pump-07/messages/events/#",
        "devices/pump-07#/messages/devicebound/#",
        "devices/pump+07/messages/devicebound/#",
        "$iothub/#",
        "$iothub/+/res/#",
        "$iothub/twin/#",
        "$iothub/twin/res/+",
        "$iothub/twin/res/200/#",
        "$iothub/twin/PATCH/properties/#",
        "$iothub/twin/PATCH/properties/reported/#",
        "$iothub/methods/POST/reboot/#",
        "$iothub/methods/POST/+",
        "$iothub/methods/res/#",
        "$IOTHUB/twin/res/#",
        "$iothub/twin/res/#\u0000",
        "",
        "/",
        "something/else",
    })
    void unknownFiltersAndWildcardTricksAreRefused(String filter) {
        assertThat(device(filter)).isEqualTo(REFUSED);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "devices/pump-07/modules/+/#",
        "devices/pump-07/modules/#",
        "devices/+/modules/filter/#",
        "devices/pump-07/modules/other/#",
        "devices/pump-07/modules/Filter/inputs/#",
        "devices/pump-07/modules/filter/inputs/+",
        "devices/pump-07/modules/filter/outputs/#",
        "devices/pump-07/modules/filter/messages/events/#",
        "devices/pump-07/modules/filter",
        "devices/pump-07/modules//#",
        "devices/pump-08/modules/filter/#",
    })
    void moduleWildcardTricksAreRefused(String filter) {
        assertThat(module(filter)).isEqualTo(REFUSED);
    }

    @Test
    void nullFilterIsRefusedAndTheIdentityIsRequired() {
        assertThat(device(null)).isEqualTo(REFUSED);
        assertThatThrownBy(() -> DeviceSubscription.classify("$iothub/twin/res/#", null, null)).isInstanceOf(NullPointerException.class);
    }
}
