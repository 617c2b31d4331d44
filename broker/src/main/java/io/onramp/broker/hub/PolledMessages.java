package io.onramp.broker.hub;

import io.onramp.broker.hub.CloudMessageStore.Waiting;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The locks of cloud-to-device messages handed to devices that poll for them (HTTPS): a message is the device's to
 * settle for {@link #LOCK}, under a lock token it names it by; after that it is free for the next poll again. Kept in
 * memory: a restart frees every message, which is then delivered again (at least once).
 */
final class PolledMessages {

    /** IoT hub's message lock time for devices that poll. */
    static final Duration LOCK = Duration.ofSeconds(60);

    record Lock(String token, Waiting message, long expiresAtMillis) {}

    /** By device key, then lock token. */
    private final Map<String, Map<String, Lock>> locks = new ConcurrentHashMap<>();

    /** Locks the first of {@code waiting} that no live lock holds. */
    Optional<Lock> lockFirst(String deviceKey, List<Waiting> waiting, long nowMillis) {
        Map<String, Lock> held = locks.computeIfAbsent(deviceKey, k -> new ConcurrentHashMap<>());
        held.values().removeIf(lock -> lock.expiresAtMillis() <= nowMillis);
        Set<Long> taken = new HashSet<>();
        held.values().forEach(lock -> taken.add(lock.message().sequence()));
        for (Waiting message : waiting) {
            if (!taken.contains(message.sequence())) {
                Lock lock = new Lock(UUID.randomUUID().toString(), message, nowMillis + LOCK.toMillis());
                held.put(lock.token(), lock);
                return Optional.of(lock);
            }
        }
        return Optional.empty();
    }

    /** Takes the lock away; the message it held, or null when the lock is unknown or ran out. */
    Waiting release(String deviceKey, String lockToken, long nowMillis) {
        Map<String, Lock> held = locks.get(deviceKey);
        Lock lock = held == null || lockToken == null ? null : held.remove(lockToken);
        return lock == null || lock.expiresAtMillis() <= nowMillis ? null : lock.message();
    }

    /** Drops the locks of devices with nothing waiting any more, and every lock run out. */
    void forgetAllBut(Set<String> deviceKeys, long nowMillis) {
        locks.keySet().retainAll(deviceKeys);
        locks.values().forEach(held -> held.values().removeIf(lock -> lock.expiresAtMillis() <= nowMillis));
    }
}
