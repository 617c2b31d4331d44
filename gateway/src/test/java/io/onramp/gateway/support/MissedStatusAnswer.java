package io.onramp.gateway.support;

import com.microsoft.azure.sdk.iot.provisioning.device.internal.exceptions.ProvisioningDeviceClientException;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers again, at most twice, when provisioning-device-client 2.1.3 gave up waiting for a status
 * answer over MQTT. The SDK publishes a request and only then starts waiting, without looking at what
 * arrived in between, so an answer faster than its own thread (a busy machine, a gateway on the same
 * LAN) is missed and the status poll times out after 10 s. A device application retries as well; the
 * gateway's answers are the same each time (registrations are idempotent), and a gateway that never
 * answers still fails the test. Twice, because CI on two loaded cores once saw two misses in a row.
 */
final class MissedStatusAnswer {

    private static final Logger LOG = LoggerFactory.getLogger(MissedStatusAnswer.class);
    private static final int RETRIES = 2;

    private MissedStatusAnswer() {}

    static <T> T retried(String registrationId, Callable<T> registration) throws Exception {
        for (int retry = 1; ; retry++) {
            try {
                return registration.call();
            } catch (ProvisioningDeviceClientException e) {
                if (!(e.getCause() instanceof TimeoutException) || retry > RETRIES) {
                    throw e;
                }
                LOG.warn("{}: the SDK missed the gateway's status answer over MQTT; registering again", registrationId);
            }
        }
    }
}
