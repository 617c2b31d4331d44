package io.onramp.gateway.amqp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.onramp.gateway.error.ProvisioningException;
import io.onramp.gateway.provisioning.OperationStatus;
import io.onramp.gateway.provisioning.RegistrationStatus;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.qpid.proton.Proton;
import org.apache.qpid.proton.amqp.Binary;
import org.apache.qpid.proton.amqp.messaging.AmqpValue;
import org.apache.qpid.proton.amqp.messaging.ApplicationProperties;
import org.apache.qpid.proton.amqp.messaging.Data;
import org.apache.qpid.proton.message.Message;
import org.junit.jupiter.api.Test;

/** Requests as the captures show them (spec/captures/dps-amqp.txt), answers as the SDKs need them (8.7). */
class DpsAmqpMessagesTest {

    @Test
    void nodesRegisterCarriesItsCorrelationIdAndForceFlag() {
        Message message = request(Map.of("iotdps-operation-type", "iotdps-register", "iotdps-forceRegistration", true),
                new Data(new Binary("{\"registrationId\":\"node-sym-amqp\"}".getBytes(StandardCharsets.UTF_8))));
        message.setCorrelationId("fee02110-febf-475f-a925-22b5c3f86c18");

        assertThat(DpsAmqpMessages.parse(message)).isEqualTo(new DpsAmqpMessages.Register(
                "{\"registrationId\":\"node-sym-amqp\"}", true, "fee02110-febf-475f-a925-22b5c3f86c18"));
    }

    @Test
    void javasStatusPollHasNoBodyAndNoCorrelationId() {
        Message message = request(Map.of("iotdps-operation-type", "iotdps-get-operationstatus",
                "iotdps-operation-id", "4.946731c3932c46cd.a6ac51fe-368f-43b1-91eb-4a4e031cb5fa"), null);

        assertThat(DpsAmqpMessages.parse(message)).isEqualTo(new DpsAmqpMessages.Status(
                "4.946731c3932c46cd.a6ac51fe-368f-43b1-91eb-4a4e031cb5fa", null));
    }

    @Test
    void aRegisterBodyAsAmqpValueStringIsTaken() {
        Message message = request(Map.of("iotdps-operation-type", "iotdps-register"), new AmqpValue("{}"));

        assertThat(((DpsAmqpMessages.Register) DpsAmqpMessages.parse(message)).body()).isEqualTo("{}");
    }

    @Test
    void unknownOperationsAndMissingPartsAreBadRequests() {
        assertBadRequest(request(Map.of("iotdps-operation-type", "iotdps-get-registration"), null), "iotdps-operation-type");
        assertBadRequest(request(Map.of(), null), "iotdps-operation-type");
        assertBadRequest(request(Map.of("iotdps-operation-type", "iotdps-get-operationstatus"), null), "iotdps-operation-id");
        assertBadRequest(request(Map.of("iotdps-operation-type", "iotdps-register"), null), "data section");
        assertBadRequest(request(Map.of("iotdps-operation-type", "iotdps-register"),
                new Data(new Binary(new byte[] {(byte) 0xC3, 0x28}))), "UTF-8");
    }

    @Test
    void anAssigningAnswerHasOneDataSectionTheCorrelationIdAndBothRetryAfters() {
        Message answer = DpsAmqpMessages.response(new OperationStatus("4.1.op", RegistrationStatus.ASSIGNING, null), "corr-1");

        assertThat(answer.getBody()).isInstanceOf(Data.class);
        JsonObject body = new JsonObject(new String(((Data) answer.getBody()).getValue().getArray(), StandardCharsets.UTF_8));
        assertThat(body.getString("operationId")).isEqualTo("4.1.op");
        assertThat(body.getString("status")).isEqualTo("assigning");
        assertThat(answer.getCorrelationId()).isEqualTo("corr-1");
        assertThat(answer.getApplicationProperties().getValue()).containsEntry("retry-after", 3).containsEntry("Retry-After", 3);
    }

    @Test
    void withoutACorrelationIdTheAnswerHasNone() {
        Message answer = DpsAmqpMessages.response(new OperationStatus("4.1.op", RegistrationStatus.ASSIGNING, null), null);

        assertThat(answer.getCorrelationId()).isNull();
    }

    private static Message request(Map<String, Object> properties, org.apache.qpid.proton.amqp.messaging.Section body) {
        Message message = Proton.message();
        message.setApplicationProperties(new ApplicationProperties(properties));
        message.setBody(body);
        return message;
    }

    private static void assertBadRequest(Message message, String named) {
        assertThatThrownBy(() -> DpsAmqpMessages.parse(message)).isInstanceOf(ProvisioningException.class)
                .satisfies(e -> assertThat(((ProvisioningException) e).errorCode()).isEqualTo(400004))
                .hasMessageContaining(named);
    }
}
