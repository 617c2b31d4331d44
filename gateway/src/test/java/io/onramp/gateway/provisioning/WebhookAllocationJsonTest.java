package io.onramp.gateway.provisioning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WebhookAllocationJsonTest {

    @Test
    void readsTheHubTheTwinAndThePayload() {
        WebhookAllocationJson.Answer answer = answer("""
            {"iotHubHostName": "hub-b.plant1.example", "extra": true,
             "initialTwin": {"tags": {"$version": 4, "hall": "B"}, "properties": {"desired": {"rate": 10}}},
             "payload": {"topic": "plant1/hallB"}}""");

        assertThat(answer.iotHubHostName()).isEqualTo("hub-b.plant1.example");
        assertThat(answer.initialTwin().tags()).isEqualTo(Map.of("hall", "B"));
        assertThat(answer.initialTwin().desiredProperties()).isEqualTo(Map.of("rate", 10));
        assertThat(new JsonObject(answer.payload())).isEqualTo(new JsonObject().put("topic", "plant1/hallB"));
    }

    @Test
    void takesTheHubUnderEitherSpellingOfMicrosoftsDocumentation() {
        assertThat(answer("{\"iotHubHostname\": \"hub-a\"}").iotHubHostName()).isEqualTo("hub-a");
        assertThat(answer("{}").iotHubHostName()).isNull();
    }

    @Test
    void leavesOutWhatTheWebhookLeftOut() {
        WebhookAllocationJson.Answer answer = answer("{\"iotHubHostName\": \"hub-a\", \"initialTwin\": null, \"payload\": null}");

        assertThat(answer.initialTwin()).isNull();
        assertThat(answer.payload()).isNull();
    }

    @Test
    void givesTheDeviceAPayloadObjectWhateverTheWebhookSent() {
        assertThat(answer("{\"payload\": \"{\\\"a\\\": 1}\"}").payload()).isEqualTo("{\"a\":1}");
        assertThat(answer("{\"payload\": [1, 2]}").payload()).isEqualTo("{\"value\":[1,2]}");
    }

    @Test
    void takesAnAnswerFollowedByTextAsJacksonDoes() {
        assertThat(answer("{\"iotHubHostName\": \"hub-a\", \"payload\": {\"a\": 1}}\n--end--").payload()).isEqualTo("{\"a\":1}");
    }

    @Test
    void refusesWhatIsNotAnAnswer() {
        assertThatThrownBy(() -> answer("<html>")).hasMessageStartingWith("not valid JSON");
        assertThatThrownBy(() -> answer("\"hub-a\"")).hasMessage("its answer is not a JSON object");
        assertThatThrownBy(() -> answer("{\"iotHubHostName\": \"hub-a\", \"initialTwin\": {\"tags\": {\"a\": {\"$b\": 1}}}}"))
                .hasMessageContaining("initialTwin.tags.a.$b: property names may not start with '$'");
        assertThatThrownBy(() -> answer("{\"iotHubHostName\": \"hub-a\", \"initialTwin\": {\"reported\": {}}}"))
                .hasMessageContaining("initialTwin.reported: unknown field");
        assertThatThrownBy(() -> answer("{\"iotHubHostName\": {\"name\": \"hub-a\"}}"))
                .hasMessageContaining("iotHubHostName");
    }

    private static WebhookAllocationJson.Answer answer(String json) {
        return WebhookAllocationJson.answer(Buffer.buffer(json));
    }
}
