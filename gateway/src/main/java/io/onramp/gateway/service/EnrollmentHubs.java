package io.onramp.gateway.service;

import io.onramp.gateway.config.GatewayConfig.HubConfig;
import io.onramp.gateway.error.ProvisioningException;
import io.onramp.policy.enrollment.Enrollment;
import io.onramp.policy.enrollment.EnrollmentGroup;
import java.util.List;
import java.util.Optional;

/**
 * The service API's check that an enrollment names only hubs its devices can be assigned to (spec
 * 5.1 step 2: hubs in {@code iotHubs}/{@code iotHubHostName} must be linked), so a typo is a 400 on the
 * write rather than a 400208 at every registration. The API takes host names, as Azure does: static
 * allocation matches only host names, so a hub's name is refused with its host name in the message.
 */
public final class EnrollmentHubs {

    private final List<HubConfig> hubs;

    public EnrollmentHubs(List<HubConfig> hubs) {
        this.hubs = List.copyOf(hubs);
    }

    /** @throws ProvisioningException 400 naming the field and the hubs it may name */
    public void require(Enrollment enrollment) {
        for (String hub : enrollment.iotHubs()) {
            requireHostName(enrollment, "iotHubs", hub);
        }
        if (enrollment.iotHubHostName() != null) {
            requireHostName(enrollment, "iotHubHostName", enrollment.iotHubHostName());
        }
    }

    private void requireHostName(Enrollment enrollment, String field, String value) {
        if (hubs.stream().anyMatch(h -> h.hostName().equalsIgnoreCase(value))) {
            return;
        }
        String noun = enrollment instanceof EnrollmentGroup ? "enrollment group" : "enrollment";
        Optional<HubConfig> named = hubs.stream().filter(h -> h.name() != null && h.name().equalsIgnoreCase(value)).findFirst();
        String why = named.map(h -> "'" + value + "' is a hub name; give its host name, " + h.hostName())
                .orElseGet(() -> "'" + value + "' is not a hub of this gateway; " + (hubs.isEmpty()
                        ? "it has no hubs configured" : "give one of the host names "
                        + String.join(", ", hubs.stream().map(HubConfig::hostName).toList())));
        throw ProvisioningException.badRequest("Invalid " + noun + ": " + field + ": " + why + ".");
    }
}
