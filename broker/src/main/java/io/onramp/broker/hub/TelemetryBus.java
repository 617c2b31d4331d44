package io.onramp.broker.hub;

import io.vertx.core.Future;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Where a hub's telemetry goes: to the local consumers subscribed to it, and to the hub's upstream
 * forwarder when one is plugged in. Consumers get what they can take (their queues are bounded);
 * the forwarder's answer decides when the device is acknowledged.
 */
public final class TelemetryBus {

    private final Map<String, List<ConsumerSession>> consumers = new ConcurrentHashMap<>();
    private final Map<String, TelemetryForwarder> forwarders = new ConcurrentHashMap<>();

    public void plug(String hubHostName, TelemetryForwarder forwarder) {
        forwarders.put(HostedHubs.key(hubHostName), forwarder);
    }

    void attach(String hubHostName, ConsumerSession consumer) {
        consumers.computeIfAbsent(HostedHubs.key(hubHostName), k -> new CopyOnWriteArrayList<>()).add(consumer);
    }

    void detach(String hubHostName, ConsumerSession consumer) {
        List<ConsumerSession> list = consumers.get(HostedHubs.key(hubHostName));
        if (list != null) {
            list.remove(consumer);
        }
    }

    /** Closes the consumer connections whose token expired, swept with the devices' (ConnectedDevices). */
    void closeExpired(long nowMillis) {
        for (List<ConsumerSession> list : consumers.values()) {
            for (ConsumerSession consumer : list) {
                consumer.closeIfExpired(nowMillis);
            }
        }
    }

    /** Hands a message over; {@code hubKey} is the hub's lower-case host name. */
    Future<Void> publish(String hubKey, TelemetryMessage message) {
        List<ConsumerSession> list = consumers.get(hubKey);
        if (list != null) {
            for (ConsumerSession consumer : list) {
                consumer.deliver(message);
            }
        }
        TelemetryForwarder forwarder = forwarders.get(hubKey);
        return forwarder == null ? Future.succeededFuture() : forwarder.forward(message);
    }
}
