package io.onramp.gateway.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.onramp.gateway.provisioning.EnrollmentRef;
import io.onramp.gateway.store.EnrollmentErrors;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BulkOperationTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void allItemsReachTheStoreAtOnceInArrayOrderAndErrorsComeBackInThatOrder() throws Exception {
        // GIVEN a bulk create of ten enrollments
        StringBuilder items = new StringBuilder();
        for (int i = 0; i < 10; i++) {
            items.append(i == 0 ? "" : ",").append("{\"registrationId\":\"dev-").append(i)
                    .append("\",\"attestation\":{\"type\":\"symmetricKey\"}}");
        }
        BulkOperation bulk = BulkOperation.parse(EnrollmentRef.Kind.INDIVIDUAL,
                MAPPER.readTree("{\"mode\":\"create\",\"enrollments\":[" + items + "]}"));
        List<String> handedOver = new ArrayList<>();
        List<Promise<Void>> pending = new ArrayList<>();

        // WHEN it runs against a store that has answered none of them yet
        Future<JsonObject> result = bulk.run((item, id) -> {
            handedOver.add(id);
            Promise<Void> promise = Promise.promise();
            pending.add(promise);
            return promise.future();
        });

        // THEN all ten are with the store already (one commit can take them all), in array order
        assertThat(handedOver).containsExactly("dev-0", "dev-1", "dev-2", "dev-3", "dev-4", "dev-5", "dev-6", "dev-7",
                "dev-8", "dev-9");
        assertThat(result.isComplete()).isFalse();

        // WHEN the store answers out of order, two of them refused
        for (int i = 9; i >= 0; i--) {
            if (i == 7 || i == 2) {
                pending.get(i).fail(EnrollmentErrors.exists(EnrollmentRef.Kind.INDIVIDUAL, "dev-" + i));
            } else {
                pending.get(i).complete();
            }
        }

        // THEN the result lists the refused ones in array order, each with its code
        JsonObject answer = result.toCompletionStage().toCompletableFuture().getNow(null);
        assertThat(answer.getBoolean("isSuccessful")).isFalse();
        assertThat(answer.getJsonArray("errors").stream().map(e -> ((JsonObject) e).getString("registrationId")))
                .containsExactly("dev-2", "dev-7");
        assertThat(answer.getJsonArray("errors").getJsonObject(0).getInteger("errorCode")).isEqualTo(409201);
    }
}
