package io.onramp.bench;

import java.nio.file.Path;
import java.util.List;

/**
 * Devices of a symmetric-key enrollment group registered through DPS over HTTPS by this bench's
 * own load generator (register, then poll until assigned), for benches that need devices on a hub.
 * Each device's key is the group-derived key of its registration ID, which is also its device ID.
 */
public final class DpsRegistrations {

    private static final int CONNECTIONS = 16;
    private static final int IN_FLIGHT = 64;

    /** What one run of registrations did: rate, latency from register to assigned, failures. */
    public record Figures(long succeeded, double registrationsPerSecond, double p50Millis, double p99Millis,
            long errors, String firstError) {}

    private DpsRegistrations() {}

    /**
     * Registers {@code idPrefix + 0 .. idPrefix + (count - 1)} and returns the registrations per second.
     *
     * @throws IllegalStateException naming the first kind of failure when any registration failed
     */
    public static double register(Path caFile, String host, int port, String idScope, String groupKey, String idPrefix,
            int count) throws Exception {
        Figures figures = register(caFile, host, port, idScope, groupKey,
                DeviceBatch.create(idPrefix, count, idScope, groupKey), CONNECTIONS, IN_FLIGHT);
        if (figures.errors() > 0) {
            throw new IllegalStateException(figures.errors() + " of " + count + " registrations failed, e.g. "
                    + figures.firstError());
        }
        return figures.registrationsPerSecond();
    }

    /**
     * Registers the given IDs (in order, {@code inFlight} at once over {@code connections} keep-alive
     * connections), each signed with the derived key of {@code keySource} for its ID, and reports
     * what happened; failures are counted, not thrown.
     */
    public static Figures register(Path caFile, String host, int port, String idScope, String keySource,
            List<String> registrationIds, int connections, int inFlight) throws Exception {
        return register(caFile, host, port, idScope, keySource, DeviceBatch.of(registrationIds, idScope, keySource),
                connections, inFlight);
    }

    private static Figures register(Path caFile, String host, int port, String idScope, String keySource,
            DeviceBatch devices, int connections, int inFlight) throws Exception {
        // One client thread: the gateway being loaded shares the machine's cores.
        try (LoadGenerator load = LoadGenerator.start(caFile, 1, connections, inFlight)) {
            RoundResult result = load.run(Target.GATEWAY, "provisioning", host, port, devices, 0);
            ErrorTally errors = result.errors();
            String first = null;
            if (errors.total() > 0) {
                String kind = errors.counts().keySet().iterator().next();
                first = kind + ": " + errors.example(kind);
            }
            return new Figures(result.succeeded(), result.registrationsPerSecond(), result.latencyMillis(50),
                    result.latencyMillis(99), errors.total(), first);
        }
    }
}
