package io.onramp.broker.hub;

import io.vertx.core.Future;
import java.time.Instant;
import java.util.List;

/**
 * Where cloud-to-device messages wait for their device, durably: a message is stored before the
 * service is told it was accepted, and removed once the device acknowledged it, so neither a
 * restart nor a lost connection loses one. Deleting a device deletes its messages.
 */
public interface CloudMessageStore {

    /** A message waiting for its device; {@code sequence} orders a device's messages and names one in {@link #remove}. */
    record Waiting(long sequence, String messageId, CloudMessage message, Instant expiresAt) {}

    /** How many unexpired messages wait for one device. */
    record Backlog(String hubHostName, String deviceId, int count) {}

    /** Stores the message unless {@code limit} unexpired ones already wait for the device: true when stored. */
    Future<Boolean> add(String hubHostName, String deviceId, String messageId, CloudMessage message, Instant expiresAt,
            int limit, Instant now);

    /** The device's unexpired messages, oldest first. */
    Future<List<Waiting>> waiting(String hubHostName, String deviceId, Instant now);

    /** The device acknowledged the message. */
    Future<Void> remove(String hubHostName, String deviceId, long sequence);

    /** Deletes the expired messages, then counts what waits per device (devices with none are left out). */
    Future<List<Backlog>> dropExpired(Instant now);
}
