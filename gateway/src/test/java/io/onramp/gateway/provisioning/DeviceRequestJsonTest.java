package io.onramp.gateway.provisioning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.onramp.gateway.error.ProvisioningException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A device's request body is read strictly, the same on every transport. */
class DeviceRequestJsonTest {

    @Test
    void aFieldTwiceIsABadRequestNamingIt() {
        assertRefused("{\"registrationId\":\"press-7\",\"registrationId\":\"sensor-0042\"}",
                "The request body has the field registrationId more than once; send each field once.");
        assertRefused("{\"registrationId\":\"a\",\"payload\":{\"n\":1,\"m\":{\"k\":1,\"k\":2}}}",
                "The request body has the field k more than once; send each field once.");
        assertRefused("{\"" + "x".repeat(500) + "\":1,\"" + "x".repeat(500) + "\":2}",
                "The request body has the field " + "x".repeat(100) + "... more than once; send each field once.");
    }

    @Test
    void aNumberBeyondADoubleIsABadRequestNamingWhereItIs() {
        assertRefused("{\"payload\":{\"n\":1e999999999}}",
                "The request body's payload.n is a number out of range (beyond a double); send it as a string.");
        assertRefused("{\"payload\":{\"list\":[1,-1e400]}}",
                "The request body's payload.list[1] is a number out of range (beyond a double); send it as a string.");
        assertRefused("{\"payload\":{\"n\":NaN}}", "The request body is not a valid JSON object.");
    }

    @Test
    void whatIsNotOneJsonObjectIsABadRequest() {
        for (String bad : List.of("", "null", "[1]", "\"text\"", "{\"a\":1} {\"b\":2}", "{\"a\":", "[".repeat(5000))) {
            assertRefused(bad, "The request body is not a valid JSON object.");
        }
    }

    @Test
    void aGoodBodyReadsAsVertxJson() {
        JsonObject body = DeviceRequestJson.object(
                "{\"registrationId\":\"a\",\"tpm\":{\"endorsementKey\":\"ek\"},\"payload\":{\"l\":[1,2.5,12345678901]}}");

        assertThat(body.getString("registrationId")).isEqualTo("a");
        assertThat(body.getValue("tpm")).isInstanceOf(JsonObject.class);
        assertThat(body.getJsonObject("payload").getValue("l")).isInstanceOf(JsonArray.class);
        assertThat(body.encode()).isEqualTo(
                "{\"registrationId\":\"a\",\"tpm\":{\"endorsementKey\":\"ek\"},\"payload\":{\"l\":[1,2.5,12345678901]}}");
    }

    private static void assertRefused(String body, String message) {
        assertThatThrownBy(() -> DeviceRequestJson.object(body)).as(body).isInstanceOfSatisfying(ProvisioningException.class,
                e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.errorCode()).isEqualTo(400004);
                    assertThat(e.publicMessage()).isEqualTo(message);
                });
    }
}
