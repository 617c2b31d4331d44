package io.onramp.broker.topic;

/** What a device's PUBLISH topic asks for (spec 3.2). */
public sealed interface DeviceTopic {

    /**
     * Telemetry on {@code devices/{d}/messages/events/{bag}} or {@code devices/{d}/modules/{m}/messages/events/{bag}}.
     *
     * @param moduleId the connected module, or {@code null} for a device
     */
    record Telemetry(String moduleId, MessageProperties properties) implements DeviceTopic {}

    /** {@code $iothub/twin/GET/?$rid={rid}}; {@code rid} exactly as sent, to be echoed byte-for-byte. */
    record TwinGet(String rid) implements DeviceTopic {}

    /** {@code $iothub/twin/PATCH/properties/reported/?$rid={rid}[&$version={n}]}; {@code version} is {@code null} when absent. */
    record TwinReportedPatch(String rid, Integer version) implements DeviceTopic {}

    /** {@code $iothub/methods/res/{status}/?$rid={rid}}; any integer status the device chose. */
    record MethodResponse(int status, String rid) implements DeviceTopic {}

    /** Not a topic this identity may publish to (another device's topic, unknown, wildcard chars, malformed bag...). */
    record Forbidden(String reason) implements DeviceTopic {}

    /**
     * Classifies a PUBLISH topic of the connected identity. Never throws on device input: anything not
     * recognised is {@link Forbidden}, which the caller answers by closing the connection (spec 3.2).
     * Ids are compared exactly (case-sensitive), raw or percent-decoded (Python quotes them).
     *
     * @param deviceId the connected device
     * @param moduleId the connected module, or {@code null} for a device identity
     */
    static DeviceTopic parse(String topic, String deviceId, String moduleId) {
        return DeviceTopicParser.parse(topic, deviceId, moduleId);
    }
}
