package io.onramp.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.onramp.gateway.support.AdminApi;
import io.onramp.gateway.support.RawDps;
import io.onramp.gateway.support.Resources;
import io.onramp.gateway.support.TestGateway;
import io.onramp.gateway.support.TpmDevice;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The limits of pending TPM challenges as set in the config ({@code tpm: { challengeTimeoutSeconds,
 * maxPendingChallenges }}), against real TPMs (swtpm driven by tpm2-tools): a challenge answered after its time
 * lets nothing through, and beyond the bound a new challenge is refused with 429001, both with nothing recorded.
 * Each test leaves no challenge pending: its devices end provisioned.
 */
class TpmChallengeLimitsIT {

    static final String HUB = "127.0.0.127";
    static final String OWNER_KEY = "VHBtTGltaXRzSHViT3duZXJLZXlGb3JUZXN0czAwMDA=";
    static final String SERVICE_KEY = "VHBtTGltaXRzU2VydmljZUtleUZvclRlc3RzMDAwMDA=";
    static final int TIMEOUT_SECONDS = 8;

    @TempDir
    static Path dir;
    static TpmDevice first;
    static TpmDevice second;
    static TestGateway gateway;
    static RawDps dps;
    static AdminApi service;

    @BeforeAll
    static void start() throws Exception {
        first = TpmDevice.start(Files.createDirectories(dir.resolve("tpm-first")));
        second = TpmDevice.start(Files.createDirectories(dir.resolve("tpm-second")));
        gateway = TestGateway.start("127.0.0.126", Files.createDirectories(dir.resolve("gateway")), """
                tpm: { challengeTimeoutSeconds: %d, maxPendingChallenges: 1 }
                hubs: [ { name: line-l, hostName: %s, ownerKey: %s } ]
                accessPolicies:
                  - { name: provisioningserviceowner, primaryKey: %s, rights: [EnrollmentWrite, RegistrationStatusWrite] }
                individualEnrollments:
                  - registrationId: tpm-first
                    attestation: { type: tpm, tpm: { endorsementKey: %s } }
                  - registrationId: tpm-second
                    attestation: { type: tpm, tpm: { endorsementKey: %s } }
                """.formatted(TIMEOUT_SECONDS, HUB, OWNER_KEY, SERVICE_KEY, first.endorsementKey(),
                second.endorsementKey()));
        dps = new RawDps(gateway);
        service = new AdminApi(gateway, "provisioningserviceowner", SERVICE_KEY);
    }

    @AfterAll
    static void stop() throws Exception {
        Resources.closeAll(gateway, first, second);
    }

    @Test
    void aChallengeAnsweredAfterItsTimeLetsNothingThroughAndTheNextOneDoes() throws Exception {
        String id = "tpm-first";
        String before = registrationEtag(id);
        // GIVEN a challenge the TPM activated and a token it signed
        first.activate(TpmProvisioningIT.assertChallenge(dps.register(path(id), null, first.registerBody(id))));
        String token = first.registrationToken(id);

        // WHEN the signed request comes after the challenge's time
        Thread.sleep((TIMEOUT_SECONDS + 1) * 1000L);
        HttpResponse<String> late = dps.register(path(id), token, first.registerBody(id));

        // THEN it is not accepted (the device is challenged anew) and nothing is recorded
        String again = TpmProvisioningIT.assertChallenge(late);
        assertThat(registrationEtag(id)).isEqualTo(before);

        // AND the new challenge, answered in time, provisions the device
        first.activate(again);
        String fresh = first.registrationToken(id);
        HttpResponse<String> accepted = dps.register(path(id), fresh, first.registerBody(id));
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        JsonObject result = dps.poll(id, new JsonObject(accepted.body()).getString("operationId"), fresh);
        assertThat(result.getString("status")).isEqualTo("assigned");
    }

    @Test
    void beyondTheBoundANewChallengeIsThrottledUntilAPendingOneIsUsed() throws Exception {
        // GIVEN one pending challenge, the most this gateway holds
        String challenge = TpmProvisioningIT.assertChallenge(
                dps.register(path("tpm-first"), null, first.registerBody("tpm-first")));

        // WHEN another device asks for one, THEN 429001 with the Azure error body, and nothing recorded
        HttpResponse<String> refused = dps.register(path("tpm-second"), null, second.registerBody("tpm-second"));
        HttpsBadInputIT.assertError(refused, 429, 429001);
        assertThat(new JsonObject(refused.body()).containsKey("authenticationKey")).isFalse();
        assertNoRegistration("tpm-second");

        // WHEN the pending challenge is used, THEN the other device gets its own and provisions
        first.activate(challenge);
        String firstToken = first.registrationToken("tpm-first");
        HttpResponse<String> accepted = dps.register(path("tpm-first"), firstToken, first.registerBody("tpm-first"));
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);

        second.activate(TpmProvisioningIT.assertChallenge(
                dps.register(path("tpm-second"), null, second.registerBody("tpm-second"))));
        String secondToken = second.registrationToken("tpm-second");
        HttpResponse<String> secondAccepted = dps.register(path("tpm-second"), secondToken,
                second.registerBody("tpm-second"));
        assertThat(secondAccepted.statusCode()).as(secondAccepted.body()).isEqualTo(202);
        JsonObject result = dps.poll("tpm-second", new JsonObject(secondAccepted.body()).getString("operationId"),
                secondToken);
        assertThat(result.getString("status")).isEqualTo("assigned");
    }

    static String path(String id) {
        return "/" + TestGateway.ID_SCOPE + "/registrations/" + id + "/register?" + RawDps.API;
    }

    /** The registration's etag, or null while it has none. */
    static String registrationEtag(String id) throws Exception {
        HttpResponse<String> response = service.send("GET", "/registrations/" + id, null, null);
        if (response.statusCode() == 404) {
            return null;
        }
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return new JsonObject(response.body()).getString("etag");
    }

    static void assertNoRegistration(String id) throws Exception {
        HttpResponse<String> response = service.send("GET", "/registrations/" + id, null, null);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(404);
    }
}
