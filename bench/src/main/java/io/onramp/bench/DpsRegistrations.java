package io.onramp.bench;

import java.nio.file.Path;

/**
 * Devices of a symmetric-key enrollment group registered through DPS over HTTPS by this bench's
 * own load generator (register, then poll until assigned), for benches that need devices on a hub.
 * Each device's key is the group-derived key of its registration ID, which is also its device ID.
 */
public final class DpsRegistrations {

    private static final int CONNECTIONS = 16;
    private static final int IN_FLIGHT = 64;

    private DpsRegistrations() {}

    /**
     * Registers {@code idPrefix + 0 .. idPrefix + (count - 1)} and returns the registrations per second.
     *
     * @throws IllegalStateException naming the first kind of failure when any registration failed
     */
    public static double register(Path caFile, String host, int port, String idScope, String groupKey, String idPrefix,
            int count) throws Exception {
        DeviceBatch devices = DeviceBatch.create(idPrefix, count, idScope, groupKey);
        // One client thread: the gateway being loaded shares the machine's cores.
        try (LoadGenerator load = LoadGenerator.start(caFile, 1, CONNECTIONS, IN_FLIGHT)) {
            RoundResult result = load.run(Target.GATEWAY, "provisioning", host, port, devices, 0);
            ErrorTally errors = result.errors();
            if (errors.total() > 0) {
                String kind = errors.counts().keySet().iterator().next();
                throw new IllegalStateException(errors.total() + " of " + count + " registrations failed, e.g. " + kind
                        + ": " + errors.example(kind));
            }
            return result.registrationsPerSecond();
        }
    }
}
