package io.onramp.broker.hub;

import io.onramp.broker.topic.MessageProperties;

/**
 * A cloud-to-device message on its way to a connected device.
 *
 * @param sequence   the store's number of the message: what the protocol's delivery tag or packet stands for
 * @param properties system properties under hub names, {@code message-id} always and {@code absolute-expiry-time}
 *                   when the message expires, then the service's application properties
 * @param again      the device's current session may have had it before (MQTT's DUP flag)
 */
public record CloudDelivery(long sequence, MessageProperties properties, byte[] body, boolean again) {}
