package io.onramp.gateway.provisioning;

import io.onramp.gateway.error.ProvisioningException;
import java.util.EnumMap;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Registrations since the start, for the metrics: those that ended (assigned, failed, disabled), and the requests
 * refused before any work by the Azure error code the device got (401002 for a token that does not verify, say).
 */
public final class RegistrationCounts {

    /** A refusal that is not the provisioning core's own (a bug, a store failure): the 500 the device got. */
    static final int INTERNAL = 500001;

    private final Map<RegistrationStatus, LongAdder> ended = new EnumMap<>(RegistrationStatus.class);
    private final Map<Integer, LongAdder> refused = new ConcurrentHashMap<>();
    private final LongAdder tpmChallenges = new LongAdder();
    private final LongAdder throttled = new LongAdder();
    private final LongAdder webhookPlaced = new LongAdder();
    private final LongAdder webhookFailed = new LongAdder();

    public RegistrationCounts() {
        for (RegistrationStatus status : RegistrationStatus.values()) {
            if (status.terminal()) {
                ended.put(status, new LongAdder());
            }
        }
    }

    void ended(RegistrationStatus status) {
        LongAdder count = ended.get(status);
        if (count != null) {
            count.increment();
        }
    }

    void refused(Throwable failure) {
        if (failure instanceof ProvisioningException refusal && refusal.tpmAuthenticationKey() != null) {
            tpmChallenges.increment(); // the first step of a TPM registration, not a refusal
            return;
        }
        int code = failure instanceof ProvisioningException refusal ? refusal.errorCode() : INTERNAL;
        refused.computeIfAbsent(code, c -> new LongAdder()).increment();
    }

    /** By status, in the enum's order: assigned, failed, disabled. */
    public Map<RegistrationStatus, Long> ended() {
        Map<RegistrationStatus, Long> counts = new EnumMap<>(RegistrationStatus.class);
        ended.forEach((status, count) -> counts.put(status, count.sum()));
        return counts;
    }

    /** The TPM challenges answered (each a 401 carrying the blob the device activates: spec 6.6). */
    public long tpmChallenges() {
        return tpmChallenges.sum();
    }

    /** An attempt answered 429001 unchecked: its address had spent its refusal budget ({@link RefusalThrottle}). */
    void throttled() {
        throttled.increment();
    }

    /** Attempts answered unchecked for their address, over every transport: registers, polls, MQTT and AMQP logins. */
    public long throttledAttempts() {
        return throttled.sum();
    }

    /** By Azure error code, in order. */
    public SortedMap<Integer, Long> refused() {
        SortedMap<Integer, Long> counts = new TreeMap<>();
        refused.forEach((code, count) -> counts.put(code, count.sum()));
        return counts;
    }

    /** A custom allocation's webhook call ended: it placed the device, or gave no usable hub. */
    void webhookCalled(boolean placed) {
        (placed ? webhookPlaced : webhookFailed).increment();
    }

    /** Custom allocation webhook calls that placed the device. */
    public long webhookPlaced() {
        return webhookPlaced.sum();
    }

    /** Custom allocation webhook calls that gave no usable hub (no answer, an error, a hub not offered...). */
    public long webhookFailed() {
        return webhookFailed.sum();
    }
}
