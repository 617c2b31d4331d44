package io.onramp.gateway.error;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import org.apache.qpid.proton.amqp.Symbol;
import org.apache.qpid.proton.amqp.messaging.Rejected;
import org.junit.jupiter.api.Test;

/** dps-device-protocol.md 8.8: the error JSON as description, retry-after in the info map for 429 and 5xx. */
class AmqpErrorsTest {

    @Test
    void aBadRequestIsRejectedWithTheAzureErrorBodyAndNoRetry() {
        Rejected rejected = AmqpErrors.rejected(ProvisioningException.badRequest("The request body is not a valid JSON object."),
                "track-1");

        assertThat(rejected.getError().getCondition().toString()).isEqualTo("amqp:invalid-field");
        JsonObject body = new JsonObject(rejected.getError().getDescription());
        assertThat(body.getInteger("errorCode")).isEqualTo(400004);
        assertThat(body.getString("trackingId")).isEqualTo("track-1");
        assertThat(body.getString("message")).isEqualTo("The request body is not a valid JSON object.");
        assertThat(rejected.getError().getInfo()).isNull();
    }

    @Test
    void throttlingAndInternalErrorsTellNodeAndCSharpWhenToRetry() {
        Rejected throttled = AmqpErrors.rejected(new ProvisioningException(ErrorCode.THROTTLED, "Too many requests"), "t");
        Rejected internal = AmqpErrors.rejected(new ProvisioningException(ErrorCode.INTERNAL, "Internal error"), "t");

        assertThat(throttled.getError().getCondition().toString()).isEqualTo("amqp:resource-limit-exceeded");
        assertThat(internal.getError().getCondition().toString()).isEqualTo("amqp:internal-error");
        for (Rejected rejected : new Rejected[] {throttled, internal}) {
            assertThat(rejected.getError().getInfo()).containsEntry(Symbol.valueOf("retry-after"), 3)
                    .containsEntry(Symbol.valueOf("Retry-After"), 3);
        }
    }

    @Test
    void authenticationAndLookupFailuresHaveTheirConditions() {
        assertThat(AmqpErrors.condition(401).toString()).isEqualTo("amqp:unauthorized-access");
        assertThat(AmqpErrors.condition(404).toString()).isEqualTo("amqp:not-found");
        assertThat(AmqpErrors.condition(413).toString()).isEqualTo("amqp:link:message-size-exceeded");
    }
}
