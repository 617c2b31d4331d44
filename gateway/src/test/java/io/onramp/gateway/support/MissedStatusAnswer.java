package io.onramp.gateway.support;

import com.microsoft.azure.sdk.iot.provisioning.device.internal.exceptions.ProvisioningDeviceClientException;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers again, once, when provisioning-device-client 2.1.3 gave up waiting for a status answer
 * over MQTT. The SDK publishes a request and only then starts waiting, without looking at what
 * arrived in between, so an answer faster than its own thread (a busy machine, a gateway on the same
 * LAN) is missed and the status poll times out after 10 s. A device application retries as well; the
 * gateway's answers are the same the second time (registrations are idempotent), and a gateway that
 * never answers still fails the test.
 */
final class MissedStatusAnswer {

    private static final Logger LOG = LoggerFactory.getLogger(MissedStatusAnswer.class);

    private MissedStatusAnswer() {}

    static <T> T retriedOnce(String registrationId, Callable<T> registration) throws Exception {
        try {
            return registration.call();
        } catch (ProvisioningDeviceClientException e) {
            if (!(e.getCause() instanceof TimeoutException)) {
                throw e;
            }
            LOG.warn("{}: the SDK missed the gateway's status answer over MQTT; registering again", registrationId);
            return registration.call();
        }
    }
}
