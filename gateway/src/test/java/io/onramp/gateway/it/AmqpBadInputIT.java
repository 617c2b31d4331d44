package io.onramp.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.azure.sdk.iot.provisioning.device.ProvisioningDeviceClientRegistrationResult;
import com.microsoft.azure.sdk.iot.provisioning.device.ProvisioningDeviceClientStatus;
import io.onramp.certs.ca.CaMaterial;
import io.onramp.certs.ca.CertificateBuilder;
import io.onramp.certs.sas.SymmetricKeys;
import io.onramp.gateway.support.RawAmqp;
import io.onramp.gateway.support.RawDps;
import io.onramp.gateway.support.SdkDevice;
import io.onramp.gateway.support.TestGateway;
import io.onramp.gateway.support.TestTls;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import javax.net.ssl.SSLContext;
import org.apache.qpid.proton.amqp.messaging.Accepted;
import org.apache.qpid.proton.amqp.messaging.Data;
import org.apache.qpid.proton.amqp.messaging.Rejected;
import org.apache.qpid.proton.amqp.transport.DeliveryState;
import org.apache.qpid.proton.amqp.transport.ErrorCondition;
import org.apache.qpid.proton.engine.EndpointState;
import org.apache.qpid.proton.engine.Receiver;
import org.apache.qpid.proton.engine.Sasl;
import org.apache.qpid.proton.engine.Sender;
import org.apache.qpid.proton.engine.Session;
import org.apache.qpid.proton.message.Message;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the AMQP head does with what no SDK sends (dps-device-protocol.md 8): bad tokens, links to another
 * registration or to a hub (with a SAS token or a client certificate), no credential at all, malformed requests, and the wire form of a good exchange; and that
 * a good device still provisions after all of it.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AmqpBadInputIT {

    static final String ADDRESS = "127.0.0.219";
    static final String HUB = "127.0.0.218";
    static final String OWNER = "QW1xcEJhZEh1Yk93bmVyS2V5Rm9yVGVzdHNPbmx5MDA=";
    static final String GROUP_KEY = "QW1xcEJhZEdyb3VwS2V5Rm9yVGVzdHNPbmx5MDAwMDA=";
    static final String SCOPE = TestGateway.ID_SCOPE;
    static final CaMaterial X509_DEVICE = CertificateBuilder.selfSignedDevice("amqp-bad-x509").issue();

    @TempDir
    static Path dataDir;
    static TestGateway gateway;

    @BeforeAll
    static void startGateway() throws Exception {
        gateway = TestGateway.startWithAmqp(ADDRESS, dataDir, """
            hubs:
              - { name: amqp-bad-line, hostName: %s, ownerKey: %s }
            enrollmentGroups:
              - enrollmentGroupId: amqp-bad
                attestation: { type: symmetricKey, symmetricKey: { primaryKey: %s } }
            individualEnrollments:
              - registrationId: amqp-bad-x509
                attestation: { type: x509, x509: { clientCertificates: { primary: { certificate: "%s" } } } }
            """.formatted(HUB, OWNER, GROUP_KEY,
                Base64.getEncoder().encodeToString(X509_DEVICE.certificate().getEncoded())));
    }

    @AfterAll
    static void stopGateway() {
        gateway.close();
    }

    @Test
    @Order(1)
    void aWrongSasTokenEndsSaslWithOutcomeAuth() throws Exception {
        String wrongKey = SymmetricKeys.deriveDeviceKey(GROUP_KEY, "someone-else");

        try (RawAmqp amqp = plain("amqp-bad-1", RawDps.token("amqp-bad-1", wrongKey))) {
            assertThat(amqp.saslOutcome()).isEqualTo(Sasl.SaslOutcome.PN_SASL_AUTH);
            assertThat(amqp.socketEnded()).as("the socket closed after the outcome").isTrue();
        }
    }

    @Test
    @Order(2)
    void aTokenForOneRegistrationOpensNoLinkToAnother() throws Exception {
        try (RawAmqp amqp = device("amqp-bad-a")) {
            amqp.sender("/" + SCOPE + "/registrations/amqp-bad-b");

            ErrorCondition closed = amqp.closedWith();
            assertThat(closed).as("connection closed with an error").isNotNull();
            assertThat(closed.getCondition().toString()).isEqualTo("amqp:unauthorized-access");
        }
    }

    @Test
    @Order(3)
    void noSaslAndNoClientCertificateIsClosedAtItsFirstDpsLink() throws Exception {
        // Opened (an IoT hub device proves itself after the open, with a CBS put-token), but nothing vouches for a
        // DPS registration.
        try (RawAmqp amqp = RawAmqp.connect(gateway, TestTls.trusting(gateway.caFile()), null, null)) {
            assertThat(amqp.opened()).isTrue();
            amqp.sender("/" + SCOPE + "/registrations/amqp-bad-1");
            ErrorCondition closed = amqp.closedWith();

            assertThat(closed).as("connection closed with an error").isNotNull();
            assertThat(closed.getCondition().toString()).isEqualTo("amqp:unauthorized-access");
            assertThat(closed.getDescription()).contains("SASL PLAIN").contains("TLS client certificate");
            assertThat(amqp.socketEnded()).isTrue();
        }
    }

    @Test
    @Order(4)
    void aClientCertificateOpensLinksToItsOwnRegistrationOnly() throws Exception {
        SSLContext tls = TestTls.presenting(gateway.caFile(), X509_DEVICE.certificate(), X509_DEVICE.privateKey());
        try (RawAmqp amqp = RawAmqp.connect(gateway, tls, null, null)) {
            assertThat(amqp.opened()).isTrue();
            Sender own = amqp.sender("/" + SCOPE + "/registrations/amqp-bad-x509");
            assertThat(own.getRemoteTarget()).as("attached with its target").isNotNull();
            assertThat(own.getRemoteState()).isEqualTo(EndpointState.ACTIVE);
        }
        try (RawAmqp amqp = RawAmqp.connect(gateway, tls, null, null)) {
            amqp.sender("/" + SCOPE + "/registrations/amqp-bad-1");

            ErrorCondition closed = amqp.closedWith();
            assertThat(closed).as("connection closed with an error").isNotNull();
            assertThat(closed.getCondition().toString()).isEqualTo("amqp:unauthorized-access");
        }
    }

    @Test
    @Order(5)
    void aMalformedBodyIsRejectedWithTheAzureErrorJsonAndTheNextRequestIsAnswered() throws Exception {
        try (RawAmqp amqp = device("amqp-bad-2")) {
            Receiver answers = amqp.receiver(SCOPE + "/registrations/amqp-bad-2");
            Sender requests = amqp.sender(SCOPE + "/registrations/amqp-bad-2");

            DeliveryState outcome = amqp.send(requests, RawAmqp.request(Map.of("iotdps-operation-type", "iotdps-register"),
                    "{not json"));

            JsonObject error = rejectedWith(outcome, "amqp:invalid-field");
            assertThat(error.getInteger("errorCode")).isEqualTo(400004);
            assertThat(error.getString("trackingId")).isNotBlank();
            Message next = RawAmqp.request(Map.of("iotdps-operation-type", "iotdps-register"),
                    "{\"registrationId\":\"amqp-bad-2\"}");
            next.setCorrelationId("corr-after-rejection");
            assertThat(amqp.send(requests, next)).isInstanceOf(Accepted.class);
            Message answer = amqp.receive(answers);
            assertThat(answer.getCorrelationId()).as("the first answer is the good request's").isEqualTo("corr-after-rejection");
        }
    }

    @Test
    @Order(6)
    void anUnknownOperationTypeIsRejected() throws Exception {
        try (RawAmqp amqp = device("amqp-bad-3")) {
            Sender requests = amqp.sender(SCOPE + "/registrations/amqp-bad-3");

            DeliveryState outcome = amqp.send(requests, RawAmqp.request(
                    Map.of("iotdps-operation-type", "iotdps-get-registration"), "{}"));

            JsonObject error = rejectedWith(outcome, "amqp:invalid-field");
            assertThat(error.getInteger("errorCode")).isEqualTo(400004);
            assertThat(error.getString("message")).contains("iotdps-operation-type");
        }
    }

    @Test
    @Order(7)
    void aHubAddressOnARegistrationsConnectionAndAnUnknownAddressAreRefusedSayingWhy() throws Exception {
        try (RawAmqp amqp = device("amqp-bad-4")) {
            Sender telemetry = amqp.sender("/devices/amqp-bad-4/messages/events");

            ErrorCondition detached = amqp.detachedWith(telemetry);
            assertThat(detached).as("link detached with an error").isNotNull();
            assertThat(detached.getCondition().toString()).isEqualTo("amqp:unauthorized-access");
            assertThat(detached.getDescription()).contains("DPS registration");

            Sender elsewhere = amqp.sender("/queues/orders");
            ErrorCondition unknown = amqp.detachedWith(elsewhere);
            assertThat(unknown.getCondition().toString()).isEqualTo("amqp:not-found");
            assertThat(unknown.getDescription()).contains("registrations").contains("$cbs").contains("/twin");
        }
        try (RawAmqp hubDevice = plain("amqp-bad-4@sas." + HUB, "SharedAccessSignature sr=x&sig=y&se=1")) {
            ErrorCondition closed = hubDevice.closedWith();
            assertThat(closed).as("a SASL PLAIN hub user with a bad token closed with an error").isNotNull();
            assertThat(closed.getCondition().toString()).isEqualTo("amqp:unauthorized-access");
        }
        try (RawAmqp nobody = RawAmqp.connect(gateway, TestTls.trusting(gateway.caFile()), "operator", "secret")) {
            ErrorCondition closed = nobody.closedWith();
            assertThat(closed).as("a SASL PLAIN user that is neither closed with an error").isNotNull();
            assertThat(closed.getCondition().toString()).isEqualTo("amqp:not-implemented");
            assertThat(closed.getDescription()).contains("@sas.").contains("CBS put-token");
        }
    }

    @Test
    @Order(8)
    void aTooLargeRequestDetachesItsLink() throws Exception {
        try (RawAmqp amqp = device("amqp-bad-5")) {
            Sender requests = amqp.sender(SCOPE + "/registrations/amqp-bad-5");

            amqp.send(requests, RawAmqp.request(Map.of("iotdps-operation-type", "iotdps-register"),
                    "{\"payload\":\"" + "x".repeat(65 * 1024) + "\"}"));

            ErrorCondition detached = amqp.detachedWith(requests);
            assertThat(detached).isNotNull();
            assertThat(detached.getCondition().toString()).isEqualTo("amqp:link:message-size-exceeded");
        }
    }

    @Test
    @Order(9)
    void aNodeStyleExchangeGetsOneCorrelatedAnswerPerRequest() throws Exception {
        try (RawAmqp amqp = device("amqp-bad-6")) {
            Receiver answers = amqp.receiver(SCOPE + "/registrations/amqp-bad-6");
            Sender requests = amqp.sender(SCOPE + "/registrations/amqp-bad-6");
            Message register = RawAmqp.request(Map.of("iotdps-operation-type", "iotdps-register",
                    "iotdps-forceRegistration", false), "{\"registrationId\":\"amqp-bad-6\"}");
            register.setCorrelationId("corr-register");

            assertThat(amqp.send(requests, register)).isInstanceOf(Accepted.class);
            Message assigning = amqp.receive(answers);

            assertThat(assigning.getCorrelationId()).isEqualTo("corr-register");
            assertThat(assigning.getBody()).isInstanceOf(Data.class);
            assertThat(assigning.getApplicationProperties().getValue()).containsEntry("retry-after", 3)
                    .containsEntry("Retry-After", 3);
            JsonObject status = json(assigning);
            assertThat(status.getString("status")).isEqualTo("assigning");
            Message poll = RawAmqp.request(Map.of("iotdps-operation-type", "iotdps-get-operationstatus",
                    "iotdps-operation-id", status.getString("operationId")), "");
            poll.setCorrelationId("corr-poll");
            assertThat(amqp.send(requests, poll)).isInstanceOf(Accepted.class);
            Message assigned = amqp.receive(answers);
            assertThat(assigned.getCorrelationId()).isEqualTo("corr-poll");
            assertThat(json(assigned).getString("status")).isEqualTo("assigned");
            assertThat(json(assigned).getJsonObject("registrationState").getString("assignedHub")).isEqualTo(HUB);

            // Done, the Node SDK detaches its links and waits for the answering detaches (it failed its registration
            // without them); a detached link frees its place, so more than the limit may come one after another.
            assertThat(amqp.detach(requests)).as("the request link detached in answer").isTrue();
            assertThat(amqp.detach(answers)).as("the answer link detached in answer").isTrue();
            for (int i = 0; i < 8; i++) { // twice the 4 links a connection may hold at once
                Sender again = amqp.sender(SCOPE + "/registrations/amqp-bad-6");
                assertThat(amqp.detach(again)).isTrue();
                assertThat(again.getRemoteCondition() == null || again.getRemoteCondition().getCondition() == null)
                        .as("link %d attached, not refused", i).isTrue();
            }
            assertThat(amqp.endSession()).as("the session ended in answer").isTrue();
        }
    }

    @Test
    @Order(10)
    void aThirdSessionIsRefusedAndEndedSessionsFreeTheirPlace() throws Exception {
        try (RawAmqp amqp = device("amqp-bad-7")) {
            Session second = amqp.beginSession();
            Session third = amqp.beginSession();

            assertThat(amqp.refusedWith(third).getCondition().toString()).isEqualTo("amqp:resource-limit-exceeded");
            assertThat(second.getRemoteState()).as("the second, answered before the third").isEqualTo(EndpointState.ACTIVE);
            assertThat(amqp.endSession(third)).isTrue();
            Session fourth = amqp.beginSession();
            assertThat(amqp.refusedWith(fourth)).as("two are still held").isNotNull();
            assertThat(amqp.endSession(fourth)).isTrue();

            // Ending an accepted session frees its place, and the refused ones, ended, hold none.
            assertThat(amqp.endSession(second)).as("the second ended in answer").isTrue();
            Session fifth = amqp.beginSession();
            Receiver answers = amqp.receiver(SCOPE + "/registrations/amqp-bad-7");
            Sender requests = amqp.sender(SCOPE + "/registrations/amqp-bad-7");
            assertThat(amqp.send(requests, RawAmqp.request(Map.of("iotdps-operation-type", "iotdps-register",
                    "iotdps-forceRegistration", false), "{\"registrationId\":\"amqp-bad-7\"}"))).isInstanceOf(Accepted.class);
            assertThat(json(amqp.receive(answers)).getString("status")).isEqualTo("assigning");
            assertThat(fifth.getRemoteState()).as("the fifth, answered before the registration").isEqualTo(EndpointState.ACTIVE);
        }
    }

    @Test
    @Order(11)
    void afterAllThatAGoodDeviceStillProvisionsWithTheSdk() throws Exception {
        String key = SymmetricKeys.deriveDeviceKey(GROUP_KEY, "amqp-good-after");

        ProvisioningDeviceClientRegistrationResult result = SdkDevice.registerOverAmqp(gateway, "amqp-good-after", key, null);

        assertThat(result.getProvisioningDeviceClientStatus())
                .isEqualTo(ProvisioningDeviceClientStatus.PROVISIONING_DEVICE_STATUS_ASSIGNED);
        assertThat(result.getIothubUri()).isEqualTo(HUB);
    }

    /** A group device with a good token for {@code registrationId}, past SASL. */
    private static RawAmqp device(String registrationId) throws Exception {
        RawAmqp amqp = plain(registrationId, RawDps.token(registrationId,
                SymmetricKeys.deriveDeviceKey(GROUP_KEY, registrationId)));
        assertThat(amqp.saslOutcome()).isEqualTo(Sasl.SaslOutcome.PN_SASL_OK);
        assertThat(amqp.opened()).isTrue();
        return amqp;
    }

    private static RawAmqp plain(String registrationIdOrUser, String token) throws Exception {
        String user = registrationIdOrUser.contains("@") ? registrationIdOrUser : SCOPE + "/registrations/" + registrationIdOrUser;
        return RawAmqp.connect(gateway, TestTls.trusting(gateway.caFile()), user, token);
    }

    private static JsonObject rejectedWith(DeliveryState outcome, String condition) {
        assertThat(outcome).isInstanceOf(Rejected.class);
        ErrorCondition error = ((Rejected) outcome).getError();
        assertThat(error.getCondition().toString()).isEqualTo(condition);
        return new JsonObject(error.getDescription());
    }

    private static JsonObject json(Message message) {
        return new JsonObject(new String(((Data) message.getBody()).getValue().getArray(), StandardCharsets.UTF_8));
    }
}
