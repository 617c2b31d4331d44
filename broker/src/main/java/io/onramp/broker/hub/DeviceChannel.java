package io.onramp.broker.hub;

import io.vertx.core.Future;

/**
 * What a protocol head (MQTT, AMQP) gives the hub for one connected device: the hub's way back to it. Callable from
 * any thread; an implementation moves each call onto its connection's own context.
 */
public interface DeviceChannel {

    /** Runs a task on the connection's context, after what it is doing now. */
    void execute(Runnable task);

    /** Ends the device's connection: another one replaced it, its token expired, its identity changed. */
    void close();

    /**
     * The answer to a twin request (hub-device-protocol.md 3.6, 4.6).
     *
     * @param version the new reported version after a PATCH, else null
     * @param body JSON text, "" for none
     */
    void twinResponse(String requestId, int status, Long version, String body);

    /** A desired-properties patch, its JSON with {@code $version} included. */
    void desiredPatch(String body, long version);

    /** A direct method call; the device answers through {@link DeviceSession#methodAnswered}. */
    void methodRequest(String methodName, String requestId, String payloadJson);

    /**
     * Sends a cloud-to-device message; the future tells what the device made of it, and fails when it was not
     * delivered (connection lost, queue full): the message then stays for a later delivery.
     */
    Future<Settlement> cloudToDevice(CloudDelivery delivery);

    /** What a device did with a cloud-to-device message (hub-device-protocol.md 4.5). */
    enum Settlement {
        /** Done with it: removed. */
        COMPLETED,
        /** Given back: sent again at once, and dropped (dead-lettered) once it was delivered ten times. */
        ABANDONED,
        /** Refused for good (dead-lettered): removed. */
        REJECTED
    }
}
