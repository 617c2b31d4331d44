package io.onramp.broker.twin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.onramp.broker.hub.HubException;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TwinDocumentTest {

    static final Instant T1 = Instant.parse("2026-01-15T09:00:00Z");
    static final Instant T2 = Instant.parse("2026-01-15T09:05:00Z");

    static TwinDocument enrolled() {
        return TwinDocument.initial(new JsonObject("{\"site\":\"north\"}"),
                new JsonObject("{\"interval\":30,\"$version\":9,\"$metadata\":{\"x\":1}}"), T1);
    }

    @Test
    void theInitialTwinComesFromTheEnrollmentWithBothVersionsAt1() {
        TwinDocument twin = enrolled();

        assertThat(twin.version()).isEqualTo(1);
        assertThat(twin.etag()).isEqualTo("AAAAAAAAAAE=");
        assertThat(twin.deviceView()).isEqualTo(new JsonObject("""
                {"desired":{"interval":30,"$version":1},"reported":{"$version":1}}"""));
        assertThat(twin.tags()).isEqualTo(new JsonObject("{\"site\":\"north\"}"));
    }

    @Test
    void aServicePatchMergesAndTellsTheDevicePatch() {
        TwinChange change = enrolled().patch(TwinUpdate.fromServiceBody(new JsonObject("""
                {"deviceId":null,"etag":null,"tags":{"line":"7"},"properties":{"desired":{"interval":null,"mode":"eco","$version":1}}}""")), T2);

        TwinDocument twin = change.twin();
        assertThat(twin.version()).isEqualTo(2);
        assertThat(twin.etag()).isEqualTo("AAAAAAAAAAI=");
        assertThat(twin.tags()).isEqualTo(new JsonObject("{\"site\":\"north\",\"line\":\"7\"}"));
        assertThat(twin.desired().values()).isEqualTo(new JsonObject("{\"mode\":\"eco\"}"));
        assertThat(twin.desired().version()).isEqualTo(2);
        assertThat(change.desiredPatch()).isEqualTo(new JsonObject("{\"interval\":null,\"mode\":\"eco\"}"));
    }

    @Test
    void aTagsOnlyPatchGrowsTheTwinVersionButNotDesired() {
        TwinChange change = enrolled().patch(new TwinUpdate(new JsonObject("{\"a\":1}"), null), T2);

        assertThat(change.desiredChanged()).isFalse();
        assertThat(change.twin().version()).isEqualTo(2);
        assertThat(change.twin().desired().version()).isEqualTo(1);
    }

    @Test
    void aReplaceNotifiesRemovedPropertiesAsNull() {
        TwinDocument twin = enrolled().patch(new TwinUpdate(null, new JsonObject("{\"pid\":{\"p\":1,\"i\":2}}")), T1).twin();

        TwinChange change = twin.replace(new TwinUpdate(new JsonObject(), new JsonObject("{\"pid\":{\"p\":1}}")), T2);

        assertThat(change.twin().desired().values()).isEqualTo(new JsonObject("{\"pid\":{\"p\":1}}"));
        assertThat(change.twin().tags()).isEmpty();
        assertThat(change.desiredPatch()).isEqualTo(new JsonObject("{\"pid\":{\"i\":null},\"interval\":null}"));
        assertThat(change.twin().desired().version()).isEqualTo(3);
    }

    @Test
    void reportedPatchesKeepTheTwinEtag() {
        TwinDocument twin = enrolled().patchReported(new JsonObject("{\"fw\":\"1.4.2\"}"), T2);

        assertThat(twin.etag()).isEqualTo("AAAAAAAAAAE=");
        assertThat(twin.reported().version()).isEqualTo(2);
        assertThat(twin.deviceView().getJsonObject("reported")).isEqualTo(new JsonObject("{\"fw\":\"1.4.2\",\"$version\":2}"));
    }

    @Test
    void theServiceViewCarriesMetadataAndVersions() {
        JsonObject view = enrolled().serviceView();

        assertThat(view.getString("etag")).isEqualTo("AAAAAAAAAAE=");
        assertThat(view.getLong("version")).isEqualTo(1);
        JsonObject desired = view.getJsonObject("properties").getJsonObject("desired");
        assertThat(desired.getLong("$version")).isEqualTo(1);
        assertThat(desired.getJsonObject("$metadata").getString("$lastUpdated")).isEqualTo("2026-01-15T09:00:00.000Z");
        assertThat(desired.getJsonObject("$metadata").getJsonObject("interval").getLong("$lastUpdatedVersion")).isEqualTo(1);
    }

    @Test
    void resetRestoresTheInitialTwinAndClearsReported() {
        TwinDocument twin = enrolled().patchReported(new JsonObject("{\"fw\":\"1\"}"), T1)
                .patch(new TwinUpdate(new JsonObject("{\"x\":1}"), new JsonObject("{\"interval\":5}")), T1).twin();

        TwinChange reset = twin.reset(new JsonObject("{\"site\":\"north\"}"), new JsonObject("{\"interval\":30}"), T2);

        assertThat(reset.twin().tags()).isEqualTo(new JsonObject("{\"site\":\"north\"}"));
        assertThat(reset.twin().reported().values()).isEmpty();
        assertThat(reset.twin().reported().version()).isEqualTo(3);
        assertThat(reset.desiredPatch()).isEqualTo(new JsonObject("{\"interval\":30}"));
    }

    @Test
    void reportedPropertiesInAServiceRequestAndNonObjectsAreRefused() {
        assertThatThrownBy(() -> TwinUpdate.fromServiceBody(new JsonObject("{\"properties\":{\"reported\":{\"a\":1}}}")))
                .isInstanceOf(HubException.class).hasMessageContaining("device only");
        assertThatThrownBy(() -> TwinUpdate.fromServiceBody(new JsonObject("{\"tags\":[1]}")))
                .isInstanceOf(HubException.class).hasMessageContaining("'tags' must be a JSON object");
        assertThatThrownBy(() -> enrolled().patch(new TwinUpdate(new JsonObject("{\"a b\":1}"), null), T2))
                .isInstanceOf(HubException.class);
    }
}
