package io.onramp.broker.mqtt;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The connect and keep-alive deadlines of one listener's connections, checked by one periodic
 * sweep instead of a timer and a pipeline handler per connection (which cost about 250 bytes of
 * heap per idle device, and a timer task per CONNECT). Confined to the listener's event loop.
 */
final class Deadlines {

    private final Set<MqttConnection> watched = new HashSet<>();

    void watch(MqttConnection connection) {
        watched.add(connection);
    }

    void forget(MqttConnection connection) {
        watched.remove(connection);
    }

    int size() {
        return watched.size();
    }

    /** Closes every connection whose deadline is before {@code nowNanos}. */
    void sweep(long nowNanos) {
        List<MqttConnection> late = null;
        for (MqttConnection connection : watched) {
            if (connection.deadlinePassed(nowNanos)) {
                if (late == null) {
                    late = new ArrayList<>();
                }
                late.add(connection);
            }
        }
        if (late != null) {
            // Closed after the walk: closing removes the connection from the set.
            late.forEach(MqttConnection::expire);
        }
    }
}
