package io.onramp.gateway.store;

import io.onramp.broker.registry.DeviceIdentity;
import io.vertx.core.Future;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Device identities recently read, so that a device reconnecting does not cost a database read.
 * Every write of a device invalidates its entry once committed; a read that raced with any write
 * is not cached, so an entry is never older than the last committed write. Bounded: when full it
 * starts over, which is cheap and rare.
 */
final class IdentityCache {

    private final int capacity;
    private final Map<String, DeviceIdentity> entries;
    private final AtomicLong invalidations = new AtomicLong();

    IdentityCache(int capacity) {
        this.capacity = capacity;
        // Sized for its bound now: a map growing copies itself inside one put, on the event loop of a connect.
        this.entries = new ConcurrentHashMap<>(capacity);
    }

    Future<Optional<DeviceIdentity>> find(String hubHostName, String deviceId, Supplier<Future<Optional<DeviceIdentity>>> read) {
        String key = key(hubHostName, deviceId);
        DeviceIdentity cached = entries.get(key);
        if (cached != null) {
            return Future.succeededFuture(Optional.of(cached));
        }
        long before = invalidations.get();
        return read.get().map(found -> {
            if (found.isPresent() && invalidations.get() == before) {
                if (entries.size() >= capacity) {
                    entries.clear();
                }
                entries.put(key, found.get());
            }
            return found;
        });
    }

    /** Wraps a write of one device: its entry goes once the write is done, before the caller hears of it. */
    <T> Future<T> afterWrite(String hubHostName, String deviceId, Future<T> write) {
        return write.andThen(done -> {
            invalidations.incrementAndGet();
            entries.remove(key(hubHostName, deviceId));
        });
    }

    private static String key(String hubHostName, String deviceId) {
        return hubHostName.toLowerCase(Locale.ROOT) + '/' + deviceId;
    }
}
