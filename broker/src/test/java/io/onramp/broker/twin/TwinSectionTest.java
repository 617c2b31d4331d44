package io.onramp.broker.twin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.onramp.broker.hub.HubException;
import io.onramp.broker.twin.TwinSection.Kind;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TwinSectionTest {

    static final Instant T1 = Instant.parse("2026-01-15T09:00:00.123456Z");
    static final Instant T2 = Instant.parse("2026-01-15T10:19:58.9Z");

    @Test
    void aNewSectionIsAtVersion1WithMetadataEverywhere() {
        TwinSection desired = TwinSection.create(Kind.DESIRED, new JsonObject("{\"setpoint\":21.5,\"pid\":{\"p\":1}}"), T1);

        assertThat(desired.version()).isEqualTo(1);
        assertThat(desired.metadata()).isEqualTo(new JsonObject("""
                {"$lastUpdated":"2026-01-15T09:00:00.123Z","$lastUpdatedVersion":1,
                 "setpoint":{"$lastUpdated":"2026-01-15T09:00:00.123Z","$lastUpdatedVersion":1},
                 "pid":{"$lastUpdated":"2026-01-15T09:00:00.123Z","$lastUpdatedVersion":1,
                        "p":{"$lastUpdated":"2026-01-15T09:00:00.123Z","$lastUpdatedVersion":1}}}"""));
    }

    @Test
    void eachMergeGrowsTheVersionByOneAndStampsOnlyWhatChanged() {
        TwinSection desired = TwinSection.create(Kind.DESIRED, new JsonObject("{\"a\":1,\"pid\":{\"p\":1,\"i\":2}}"), T1);

        TwinSection patched = desired.merge(new JsonObject("{\"pid\":{\"i\":3}}"), T2);

        assertThat(patched.version()).isEqualTo(2);
        assertThat(patched.values()).isEqualTo(new JsonObject("{\"a\":1,\"pid\":{\"p\":1,\"i\":3}}"));
        JsonObject meta = patched.metadata();
        assertThat(meta.getString("$lastUpdated")).isEqualTo("2026-01-15T10:19:58.900Z");
        assertThat(meta.getLong("$lastUpdatedVersion")).isEqualTo(2);
        assertThat(meta.getJsonObject("a").getString("$lastUpdated")).isEqualTo("2026-01-15T09:00:00.123Z");
        assertThat(meta.getJsonObject("pid").getString("$lastUpdated")).isEqualTo("2026-01-15T10:19:58.900Z");
        assertThat(meta.getJsonObject("pid").getJsonObject("p").getLong("$lastUpdatedVersion")).isEqualTo(1);
        assertThat(meta.getJsonObject("pid").getJsonObject("i").getLong("$lastUpdatedVersion")).isEqualTo(2);
        assertThat(desired.version()).as("immutable").isEqualTo(1);
    }

    @Test
    void nullDeletesTheValueAndItsMetadata() {
        TwinSection reported = TwinSection.create(Kind.REPORTED, new JsonObject("{\"fw\":\"1.0\",\"old\":{\"x\":1}}"), T1);

        TwinSection patched = reported.merge(new JsonObject("{\"old\":null,\"fw\":\"1.1\"}"), T2);

        assertThat(patched.values()).isEqualTo(new JsonObject("{\"fw\":\"1.1\"}"));
        assertThat(patched.metadata().fieldNames()).containsExactlyInAnyOrder("$lastUpdated", "fw");
    }

    @Test
    void reportedMetadataHasNoLastUpdatedVersion() {
        TwinSection reported = TwinSection.create(Kind.REPORTED, new JsonObject(), T1).merge(new JsonObject("{\"fw\":\"1\"}"), T2);

        assertThat(reported.metadata()).isEqualTo(new JsonObject("""
                {"$lastUpdated":"2026-01-15T10:19:58.900Z","fw":{"$lastUpdated":"2026-01-15T10:19:58.900Z"}}"""));
        assertThat(reported.deviceView()).isEqualTo(new JsonObject("{\"fw\":\"1\",\"$version\":2}"));
        assertThat(reported.serviceView().getJsonObject("$metadata")).isNotNull();
    }

    @Test
    void aScalarReplacedByAnObjectGetsMetadataForItsChildren() {
        TwinSection desired = TwinSection.create(Kind.DESIRED, new JsonObject("{\"mode\":\"auto\"}"), T1)
                .merge(new JsonObject("{\"mode\":{\"kind\":\"manual\"}}"), T2);

        assertThat(desired.metadata().getJsonObject("mode").getJsonObject("kind").getString("$lastUpdated"))
                .isEqualTo("2026-01-15T10:19:58.900Z");
    }

    @Test
    void replaceKeepsTheMetadataOfUnchangedValues() {
        TwinSection desired = TwinSection.create(Kind.DESIRED, new JsonObject("{\"a\":1,\"b\":2}"), T1);

        TwinSection replaced = desired.replace(new JsonObject("{\"a\":1,\"c\":3}"), T2);

        assertThat(replaced.values()).isEqualTo(new JsonObject("{\"a\":1,\"c\":3}"));
        assertThat(replaced.version()).isEqualTo(2);
        assertThat(replaced.metadata().getJsonObject("a").getLong("$lastUpdatedVersion")).isEqualTo(1);
        assertThat(replaced.metadata().getJsonObject("c").getLong("$lastUpdatedVersion")).isEqualTo(2);
        assertThat(replaced.metadata().containsKey("b")).isFalse();
    }

    @Test
    void anInvalidPatchChangesNothing() {
        TwinSection desired = TwinSection.create(Kind.DESIRED, new JsonObject("{\"a\":1}"), T1);

        assertThatThrownBy(() -> desired.merge(new JsonObject("{\"b.c\":1}"), T2)).isInstanceOf(HubException.class);
        assertThat(desired.values()).isEqualTo(new JsonObject("{\"a\":1}"));
    }

    @Test
    void aPatchThatWouldOutgrow32KiBIsRefused() {
        TwinSection reported = TwinSection.create(Kind.REPORTED, new JsonObject(), T1);
        JsonObject patch = new JsonObject();
        for (int i = 0; i < 9; i++) {
            patch.put("k" + i, "x".repeat(4000));
        }
        assertThatThrownBy(() -> reported.merge(patch, T2)).hasMessageContaining("reported section would be");
    }

    @Test
    void restoreFillsMissingMetadataFromOlderRows() {
        TwinSection restored = TwinSection.restore(Kind.DESIRED, new JsonObject("{\"a\":{\"b\":1},\"c\":2}"),
                null, 3, T1);

        assertThat(restored.version()).isEqualTo(3);
        assertThat(restored.metadata().getJsonObject("a").getJsonObject("b").getString("$lastUpdated"))
                .isEqualTo("2026-01-15T09:00:00.123Z");
        assertThat(restored.metadata().getJsonObject("c").getLong("$lastUpdatedVersion")).isEqualTo(3);
    }

    @Test
    void timesAreUtcWithMilliseconds() {
        assertThat(TwinTime.format(Instant.parse("2026-03-01T00:00:00Z"))).isEqualTo("2026-03-01T00:00:00.000Z");
    }
}
