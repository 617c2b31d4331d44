package io.onramp.gateway.provisioning;

import static org.assertj.core.api.Assertions.assertThat;

import io.onramp.broker.hub.HubException;
import io.onramp.gateway.error.ErrorCode;
import java.net.ConnectException;
import org.junit.jupiter.api.Test;

class HubFailureTest {

    @Test
    void aHubThatRefusesTheCredentialsIsHubUnauthorized() {
        HubFailure failure = HubFailure.of("plant-2.example", "s-003", new HubException(401, "IotHubUnauthorizedAccess", "bad_signature"));

        assertThat(failure.errorCode()).isEqualTo(ErrorCode.HUB_UNAUTHORIZED);
        assertThat(failure.reason()).contains("401").contains("IotHubUnauthorizedAccess").contains("bad_signature");
    }

    @Test
    void aHubThatCannotBeReachedIsUnavailableWithTheConnectionError() {
        HubFailure failure = HubFailure.of("plant-2.example", "s-003", new ConnectException("Connection refused: /127.0.0.232:443"));

        assertThat(failure.errorCode()).isEqualTo(ErrorCode.UNAVAILABLE);
        assertThat(failure.reason()).isEqualTo("Connection refused: /127.0.0.232:443");
        assertThat(failure.publicMessage()).doesNotContain("127.0.0.232").contains("register again");
    }

    @Test
    void aDeviceIdAnotherRegistrationHasIsAConflictThatRegisteringAgainDoesNotCure() {
        HubFailure failure = HubFailure.of("plant-2.example", "press-7", new HubException(409, "DeviceAlreadyExists",
                "Device press-7 at hub plant-2.example belongs to registration press-7, not to registration evil2"));

        assertThat(failure.errorCode()).isEqualTo(ErrorCode.DEVICE_RECORD_CONFLICT);
        assertThat(failure.reason()).contains("409", "registration press-7", "registration evil2");
        assertThat(failure.publicMessage()).doesNotContain("press-7").doesNotContain("register again");
    }
}
