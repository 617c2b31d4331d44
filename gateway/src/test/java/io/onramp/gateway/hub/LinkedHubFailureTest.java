package io.onramp.gateway.hub;

import static org.assertj.core.api.Assertions.assertThat;

import io.onramp.broker.hub.HubException;
import io.onramp.gateway.config.GatewayConfig.HubConfig;
import io.onramp.gateway.config.GatewayConfig.RemoteHub;
import java.net.ConnectException;
import org.junit.jupiter.api.Test;

class LinkedHubFailureTest {

    static final HubConfig PLANT_2 = new HubConfig("plant-2", "127.0.0.232", 1, true, null, RemoteHub.parse(
            "HostName=127.0.0.232;SharedAccessKeyName=iothubowner;SharedAccessKey=cGxhbnQtMi1vd25lci1rZXk=", null));

    @Test
    void aRefusedConnectionIsSaidAsSuchWhateverTheTransportWordsIt() {
        assertThat(LinkedHubFailure.describe(PLANT_2, 1, new ConnectException("Connection refused: /127.0.0.232:443")))
                .isEqualTo("linked hub plant-2 (127.0.0.232): unreachable: connection refused");
        assertThat(LinkedHubFailure.describe(PLANT_2, 1, new ConnectException(
                "finishConnect(..) failed with error(-111): Connection refused: /127.0.0.232:443")))
                .isEqualTo("linked hub plant-2 (127.0.0.232): unreachable: connection refused");
        assertThat(LinkedHubFailure.describe(PLANT_2, 1, new ConnectException("connection timed out: /127.0.0.232:443")))
                .isEqualTo("linked hub plant-2 (127.0.0.232): unreachable: connection timed out");
    }

    @Test
    void aWrongKeyNamesTheConnectionStringToFix() {
        assertThat(LinkedHubFailure.describe(PLANT_2, 1, new HubException(401, "IotHubUnauthorizedAccess", "Unauthorized")))
                .isEqualTo("linked hub plant-2 (127.0.0.232): unauthorized: check the SharedAccessKey (and"
                        + " SharedAccessKeyName) of hubs[1].connectionString");
    }

    @Test
    void onlyFailuresOfTheLinkItselfAreExplainedAway() {
        assertThat(LinkedHubFailure.isAboutTheLink(new HubException(401, "IotHubUnauthorizedAccess", "x"))).isTrue();
        assertThat(LinkedHubFailure.isAboutTheLink(new ConnectException("Connection refused"))).isTrue();
        assertThat(LinkedHubFailure.isAboutTheLink(HubException.deviceNotFound("d"))).isFalse();
    }
}
