package io.onramp.gateway.provisioning;

import io.onramp.gateway.error.ErrorCode;
import io.onramp.gateway.error.ProvisioningException;
import io.onramp.gateway.store.JdbcEnrollmentStore;
import io.onramp.policy.allocation.AllocationDecision;
import io.onramp.policy.allocation.CustomAllocation;
import io.onramp.policy.enrollment.Enrollment;
import io.onramp.policy.enrollment.InitialTwin;
import io.onramp.policy.registry.HubDescriptor;
import io.vertx.core.Future;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Custom allocation (dps-service-api 12.4): asks the enrollment's webhook where the device goes, on every
 * registration, and checks that the answer names a hub it was offered. Whatever goes wrong (no answer, an error
 * status, an answer that is not JSON or names no offered hub) fails the registration with 400208 and says why;
 * the device is never placed on a hub the webhook did not choose.
 */
final class CustomAllocator {

    private static final Logger LOG = LoggerFactory.getLogger(CustomAllocator.class);

    private final AllocationWebhook webhook;
    private final RegistrationCounts counts;

    CustomAllocator(AllocationWebhook webhook, RegistrationCounts counts) {
        this.webhook = webhook;
        this.counts = counts;
    }

    /** Where a registration goes: the hub, the initial twin it starts with there, and the payload the device gets. */
    record Placement(HubDescriptor hub, InitialTwin initialTwin, String payload) {}

    /**
     * @param offered the hubs the webhook may choose from ({@link HubAllocator#offeredToWebhook})
     * @param payload the device's payload (JSON object text) or null
     */
    Future<Placement> place(AttestedDevice device, Optional<RegistrationRecord> previous, List<HubDescriptor> offered,
            String payload) {
        Enrollment enrollment = device.enrollment();
        return webhook.call(enrollment.customAllocationDefinition().webhookUrl(),
                        WebhookAllocationJson.request(device, previous, offered, payload))
                .transform(called -> {
                    if (called.failed()) {
                        return refused(device, called.cause().getMessage());
                    }
                    WebhookAllocationJson.Answer answer;
                    try {
                        answer = WebhookAllocationJson.answer(called.result());
                    } catch (IllegalArgumentException e) {
                        return refused(device, e.getMessage());
                    } catch (RuntimeException e) {
                        // Whatever else an answer could break in reading it is still the webhook's answer: not a 500.
                        return refused(device, "its answer could not be read (" + e.getClass().getSimpleName() + ")");
                    }
                    AllocationDecision decision = CustomAllocation.accept(offered, answer.iotHubHostName());
                    if (decision instanceof AllocationDecision.Rejected rejected) {
                        return refused(device, rejected.detail());
                    }
                    HubDescriptor hub = ((AllocationDecision.Assigned) decision).hub();
                    InitialTwin twin = answer.initialTwin() != null ? answer.initialTwin() : enrollment.initialTwin();
                    counts.webhookCalled(true);
                    return Future.succeededFuture(new Placement(hub, twin, answer.payload()));
                });
    }

    /** One line per failure, naming the enrollment rather than the URL (an Azure Function's key is in it). */
    private Future<Placement> refused(AttestedDevice device, String why) {
        counts.webhookCalled(false);
        LOG.warn("custom allocation of {} failed: the webhook of enrollment {}: {}", device.registrationId(),
                JdbcEnrollmentStore.name(device.enrollment()), why);
        return Future.failedFuture(new ProvisioningException(ErrorCode.NO_HUB_ALLOCATED,
                "The custom allocation webhook gave no hub: " + why + ".",
                "custom allocation of " + device.registrationId() + ": " + why));
    }
}
