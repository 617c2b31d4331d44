package io.onramp.gateway.amqp;

import java.util.Optional;

/**
 * A DPS registration as an AMQP link address or SASL PLAIN user names it (dps-device-protocol.md 8.2, 8.5):
 * {@code {idScope}/registrations/{registrationId}}, which Java writes with a leading slash and C as
 * {@code amqps://{host}/…}. Anything else (an IoT hub address such as {@code /devices/{id}/messages/events} or
 * {@code $cbs}) is not one.
 */
record DpsLinkAddress(String idScope, String registrationId) {

    private static final String REGISTRATIONS = "registrations";

    static Optional<DpsLinkAddress> parse(String address) {
        if (address == null) {
            return Optional.empty();
        }
        String path = LinkPaths.relativePath(address);
        if (path == null) {
            return Optional.empty();
        }
        String[] parts = path.split("/", -1);
        if (parts.length != 3 || parts[0].isEmpty() || !REGISTRATIONS.equals(parts[1]) || parts[2].isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new DpsLinkAddress(parts[0], parts[2]));
    }

    /** Scope and registration ID compared as the core does: case-insensitively (spec 1.2, 1.3). */
    boolean sameRegistration(DpsLinkAddress other) {
        return idScope.equalsIgnoreCase(other.idScope) && registrationId.equalsIgnoreCase(other.registrationId);
    }

    @Override
    public String toString() {
        return idScope + "/" + REGISTRATIONS + "/" + registrationId;
    }
}
