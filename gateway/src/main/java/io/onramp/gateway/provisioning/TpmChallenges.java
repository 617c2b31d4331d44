package io.onramp.gateway.provisioning;

import io.onramp.gateway.error.ErrorCode;
import io.onramp.gateway.error.ProvisioningException;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * TPM challenges waiting for the device's signed request (dps-device-protocol 5.6): per (ID scope, registration,
 * EK), the identity key the challenge carried. Bounded in number (a new one beyond the bound is refused with 429
 * before any RSA work) and expiring (ten minutes by default: Java over AMQP waits up to 60 s before it answers).
 * A challenge is used once: the signed request that it lets through removes it.
 *
 * <p>A challenge asked for again while one is pending carries the same key (with fresh seeds), so that whoever
 * knows a device's public EK cannot replace the key the device is about to sign with. Thread-safe.
 *
 * <p>In memory, like the registration operations ({@link OperationRegistry}): a restart loses pending challenges,
 * and the devices then get a new one when they retry.
 */
public final class TpmChallenges {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(10);
    public static final int DEFAULT_MAX_PENDING = 100_000;

    /**
     * The identity key a challenge carried, when the challenge stops being answerable, and the last blob that
     * carried it with the SRK it was wrapped to (null until the blob is built).
     */
    private record Pending(byte[] identityKey, long expiresAtMillis, String storageKeyName, String blob) {}

    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    private final AtomicInteger count = new AtomicInteger();
    private final Clock clock;
    private final Duration timeout;
    private final int maxPending;

    public TpmChallenges(Clock clock, Duration timeout, int maxPending) {
        if (timeout.isNegative() || timeout.isZero() || maxPending < 1) {
            throw new IllegalArgumentException("timeout must be positive and maxPending at least 1");
        }
        this.clock = clock;
        this.timeout = timeout;
        this.maxPending = maxPending;
    }

    /** The lookup key of a device's challenge: its scope, its registration ID (case-insensitive) and its EK. */
    public static String key(String idScope, String registrationKey, String endorsementKeyName) {
        return idScope + '/' + registrationKey + '/' + endorsementKeyName;
    }

    /**
     * Records a challenge and answers the identity key it must carry: the pending one's when a challenge for the
     * same device is still answerable (its time restarts), else a key from {@code newKey}.
     *
     * @throws ProvisioningException 429001 when {@code maxPending} challenges are pending already
     */
    public byte[] issue(String key, Supplier<byte[]> newKey) {
        long now = clock.millis();
        Pending issued = pending.compute(key, (k, old) -> {
            if (old == null) {
                if (count.incrementAndGet() > maxPending) {
                    count.decrementAndGet();
                    throw new ProvisioningException(ErrorCode.THROTTLED,
                            "Too many TPM challenges pending; retry later.",
                            "more than " + maxPending + " TPM challenges pending");
                }
                return new Pending(newKey.get(), now + timeout.toMillis(), null, null);
            }
            return old.expiresAtMillis > now
                    ? new Pending(old.identityKey, now + timeout.toMillis(), old.storageKeyName, old.blob)
                    : new Pending(newKey.get(), now + timeout.toMillis(), null, null);
        });
        return issued.identityKey.clone();
    }

    /** The identity key of the device's answerable challenge, if there is one. */
    public Optional<byte[]> find(String key) {
        Pending found = pending.get(key);
        return found == null || found.expiresAtMillis <= clock.millis() ? Optional.empty()
                : Optional.of(found.identityKey.clone());
    }

    /**
     * Keeps the blob a challenge was answered with, so that the assigned answer can carry it again (spec 5.6 asks
     * for the same key; the blob's randomness may be the same or fresh) instead of building another: two RSA-2048
     * encryptions per registration fewer. Ignored if the pending challenge now carries another key.
     */
    public void rememberBlob(String key, byte[] identityKey, String storageKeyName, String blob) {
        pending.computeIfPresent(key, (k, p) -> Arrays.equals(p.identityKey, identityKey)
                ? new Pending(p.identityKey, p.expiresAtMillis, storageKeyName, blob) : p);
    }

    /** The blob kept for the pending challenge, if it carries {@code identityKey} to the SRK named. */
    public Optional<String> blob(String key, byte[] identityKey, String storageKeyName) {
        Pending found = pending.get(key);
        return found != null && found.blob != null && Arrays.equals(found.identityKey, identityKey)
                && storageKeyName.equals(found.storageKeyName) ? Optional.of(found.blob) : Optional.empty();
    }

    /**
     * Ends the device's challenge once its signed request was accepted; false if it is no longer pending (used by
     * a concurrent request, expired and swept), in which case the request must not pass.
     */
    public boolean use(String key) {
        Pending removed = pending.remove(key);
        if (removed == null) {
            return false;
        }
        count.decrementAndGet();
        return removed.expiresAtMillis > clock.millis();
    }

    /** Drops challenges past their time; called by a periodic timer on a worker. */
    public int expire() {
        long now = clock.millis();
        int removed = 0;
        for (Map.Entry<String, Pending> entry : pending.entrySet()) {
            if (entry.getValue().expiresAtMillis <= now && pending.remove(entry.getKey(), entry.getValue())) {
                count.decrementAndGet();
                removed++;
            }
        }
        return removed;
    }

    /** Challenges held, answerable or not yet swept. */
    public int size() {
        return count.get();
    }
}
