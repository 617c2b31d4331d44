package io.onramp.gateway.provisioning;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PayloadsTest {

    @Test
    void anObjectIsKeptAsItIs() {
        assertThat(Payloads.normalize(new JsonObject().put("a", 1))).isEqualTo("{\"a\":1}");
        assertThat(Payloads.normalize(Map.of("a", 1))).isEqualTo("{\"a\":1}");
    }

    @Test
    void javaSendsAStringHoldingAnObject() {
        assertThat(Payloads.normalize("{\"modelId\":\"dtmi:test;1\"}")).isEqualTo("{\"modelId\":\"dtmi:test;1\"}");
    }

    @Test
    void pythonSendsNull() {
        assertThat(Payloads.normalize(null)).isNull();
    }

    @Test
    void anythingElseIsWrappedSoTheAnswerIsAlwaysAnObject() {
        assertThat(Payloads.normalize("plain text")).isEqualTo("{\"value\":\"plain text\"}");
        assertThat(Payloads.normalize("{not json")).isEqualTo("{\"value\":\"{not json\"}");
        assertThat(Payloads.normalize(42)).isEqualTo("{\"value\":42}");
        assertThat(Payloads.normalize(new JsonArray().add(1))).isEqualTo("{\"value\":[1]}");
    }

    @Test
    void aStringThatIsNoStrictJsonObjectStaysTheStringItIs() {
        assertThat(Payloads.normalize("{\"n\":1e999999999}")).isEqualTo("{\"value\":\"{\\\"n\\\":1e999999999}\"}");
        assertThat(Payloads.normalize("{\"a\":1,\"a\":2}")).isEqualTo("{\"value\":\"{\\\"a\\\":1,\\\"a\\\":2}\"}");
    }
}
