package io.onramp.gateway.enrollment;

import static org.assertj.core.api.Assertions.assertThat;

import io.onramp.gateway.config.ConfigNode;
import io.onramp.gateway.config.SecretResolver;
import io.onramp.policy.allocation.AllocationPolicyKind;
import io.onramp.policy.allocation.CustomAllocationDefinition;
import io.onramp.policy.enrollment.EnrollmentGroup;
import io.onramp.policy.enrollment.EnrollmentSource;
import io.onramp.policy.enrollment.IndividualEnrollment;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The members the reader keeps beside attestation: optionalDeviceInformation and customAllocationDefinition. */
class EnrollmentReaderTest {

    static final String KEY = "S2V5Rm9yVGVzdFZlY3RvcnNPbmx5MDAwMDAwMDAwMDA=";
    static final String WEBHOOK = "{\"webhookUrl\":\"https://alloc.plant1.example/api/assign?code=k==\",\"apiVersion\":\"2021-10-01\"}";
    static final EnrollmentReader READER = new EnrollmentReader(new SecretResolver(Map.of(), Path.of(".")),
            EnrollmentSource.API);

    @Test
    void keepsDeviceInformationAndTheWebhookAndWritesThemBackTheSame() {
        Read<IndividualEnrollment> read = individual("""
                "optionalDeviceInformation": {"model": "TS-400", "fw": {"major": 2, "tags": ["a", null]}, "$version": 4},
                "allocationPolicy": "custom", "customAllocationDefinition": %s""".formatted(WEBHOOK));

        IndividualEnrollment e = read.enrollment().orElseThrow();
        // $-prefixed members of a TwinCollection are metadata: dropped (spec 4.6)
        assertThat(e.optionalDeviceInformation()).containsOnlyKeys("model", "fw");
        assertThat(e.customAllocationDefinition())
                .isEqualTo(new CustomAllocationDefinition("https://alloc.plant1.example/api/assign?code=k==", "2021-10-01"));
        assertThat(e.allocationPolicy()).isEqualTo(AllocationPolicyKind.CUSTOM);

        // what the store and a read write is read back to the same enrollment
        for (EnrollmentJson.View view : List.of(EnrollmentJson.View.STORE, EnrollmentJson.View.PUBLIC)) {
            JsonObject written = EnrollmentJson.write(e.withServerFields("\"1\"", e.createdDateTimeUtc(),
                    e.lastUpdatedDateTimeUtc()), view);
            assertThat(written.getJsonObject("optionalDeviceInformation").getJsonObject("fw").getInteger("major")).isEqualTo(2);
            assertThat(written.getJsonObject("customAllocationDefinition").getString("apiVersion")).isEqualTo("2021-10-01");
        }
        JsonObject stored = EnrollmentJson.write(e, EnrollmentJson.View.STORE);
        IndividualEnrollment again = READER.individual(ConfigNode.root(EnrollmentJson.parseTree(stored.encode()))).orElseThrow();
        assertThat(again).isEqualTo(e);
    }

    @Test
    void groupsKeepTheWebhookButHaveNoDeviceInformation() {
        Read<EnrollmentGroup> group = group("\"allocationPolicy\": \"custom\", \"customAllocationDefinition\": " + WEBHOOK);
        assertThat(group.enrollment().orElseThrow().customAllocationDefinition().apiVersion()).isEqualTo("2021-10-01");

        Read<EnrollmentGroup> withInformation = group("\"optionalDeviceInformation\": {\"model\": \"TS-400\"}");
        assertThat(withInformation.enrollment()).isEmpty();
        assertThat(withInformation.problems()).singleElement().asString().startsWith("optionalDeviceInformation: unknown field");
    }

    @Test
    void absentMembersAreNotSetAndNotWritten() {
        IndividualEnrollment e = individual("\"deviceId\": \"press-1\"").enrollment().orElseThrow();
        assertThat(e.optionalDeviceInformation()).isEmpty();
        assertThat(e.customAllocationDefinition()).isNull();
        JsonObject written = EnrollmentJson.write(e, EnrollmentJson.View.PUBLIC);
        assertThat(written.containsKey("optionalDeviceInformation")).isFalse();
        assertThat(written.containsKey("customAllocationDefinition")).isFalse();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "\"optionalDeviceInformation\": \"TS-400\"                             | optionalDeviceInformation: must be an object",
        "\"optionalDeviceInformation\": [1, 2]                                 | optionalDeviceInformation: must be an object",
        "\"customAllocationDefinition\": \"https://alloc.plant1.example\"       | customAllocationDefinition: must be an object",
        "\"customAllocationDefinition\": {\"apiVersion\": \"2021-10-01\"}        | customAllocationDefinition.webhookUrl: is required",
        "\"customAllocationDefinition\": {\"webhookUrl\": \"\", \"apiVersion\": \"2021-10-01\"} | customAllocationDefinition.webhookUrl: must not be empty",
        "\"customAllocationDefinition\": {\"webhookUrl\": 42, \"apiVersion\": \"2021-10-01\"} | customAllocationDefinition.webhookUrl: must be a string",
        "\"customAllocationDefinition\": {\"webhookUrl\": \"/api/assign\", \"apiVersion\": \"2021-10-01\"} | customAllocationDefinition.webhookUrl: must be an absolute http or https URL",
        "\"customAllocationDefinition\": {\"webhookUrl\": \"ftp://alloc.plant1.example/a\", \"apiVersion\": \"2021-10-01\"} | customAllocationDefinition.webhookUrl: must be an absolute http or https URL",
        "\"customAllocationDefinition\": {\"webhookUrl\": \"https://alloc.plant1.example\"} | customAllocationDefinition.apiVersion: is required",
        "\"customAllocationDefinition\": {\"webhookUrl\": \"https://alloc.plant1.example\", \"apiVersion\": \" \"} | customAllocationDefinition.apiVersion: must not be empty",
        "\"customAllocationDefinition\": {\"webhookUrl\": \"https://alloc.plant1.example\", \"apiVersion\": true} | customAllocationDefinition.apiVersion: must be a string",
        "\"customAllocationDefinition\": {\"webhookUrl\": \"https://alloc.plant1.example\", \"apiVersion\": \"2021-10-01\", \"key\": \"x\"} | customAllocationDefinition.key: unknown field",
        "\"allocationPolicy\": \"custom\"                                       | customAllocationDefinition: is required when allocationPolicy is 'custom'",
        "\"deviceId\": \"bad/dev\"                                            | deviceId: 'bad/dev' is not a valid device ID: 1 to 128 of",
        "\"deviceId\": \"\"                                                   | deviceId: '' is not a valid device ID",
        "\"deviceId\": \"caf\u00e9\"                                         | deviceId: 'caf\u00e9' is not a valid device ID",
        "\"deviceId\": \"two words\"                                          | deviceId: 'two words' is not a valid device ID",
        "\"initialTwin\": {\"tags\": {\"$t\": 1, \"ok\": 2}}                      | initialTwin.tags.$t: property names may not start with '$'",
        "\"initialTwin\": {\"properties\": {\"desired\": {\"$bad\": 1, \"good\": 2}}} | initialTwin.properties.desired.$bad: property names may not start with '$'",
        "\"initialTwin\": {\"tags\": {\"site\": {\"$version\": 1}}}            | initialTwin.tags.site.$version: property names may not start with '$'",
        "\"optionalDeviceInformation\": {\"$model\": \"TS-400\"}                | optionalDeviceInformation.$model: property names may not start with '$'",
    })
    void malformedMembersAreProblemsNamingTheField(String members, String problem) {
        Read<IndividualEnrollment> read = individual(members);
        assertThat(read.enrollment()).isEmpty();
        assertThat(read.problems()).singleElement().asString().startsWith(problem);
    }

    @Test
    void theSdksTwinMetadataIsAcceptedAndDropped() {
        IndividualEnrollment e = individual("""
                "initialTwin": {"tags": {"$version": 3, "$metadata": {"$lastUpdated": "2026-01-01T00:00:00Z"}, "ok": 2},
                  "properties": {"desired": {"$version": 1, "$count": 1, "good": 2}}}""").enrollment().orElseThrow();
        assertThat(e.initialTwin().tags()).containsOnlyKeys("ok");
        assertThat(e.initialTwin().desiredProperties()).containsOnlyKeys("good");
    }

    @Test
    void deviceIdsTakeTheHubsWholeAlphabetUpTo128Characters() {
        String every = "Az09-.+%_#*?!(),:=@$'";
        assertThat(individual("\"deviceId\": \"" + every + "\"").enrollment().orElseThrow().deviceId()).isEqualTo(every);
        assertThat(individual("\"deviceId\": \"" + "d".repeat(128) + "\"").enrollment()).isPresent();
        assertThat(individual("\"deviceId\": \"" + "d".repeat(129) + "\"").problems()).singleElement().asString()
                .startsWith("deviceId: ");
    }

    @Test
    void theWebhookUrlIsNotEchoedInProblems() {
        Read<IndividualEnrollment> read = individual(
                "\"customAllocationDefinition\": {\"webhookUrl\": \"alloc/api?code=SECRET\", \"apiVersion\": \"2021-10-01\"}");
        assertThat(read.problems()).singleElement().asString().doesNotContain("SECRET");
    }

    @Test
    void informationNestedTooDeeplyIsAProblemNotAnException() {
        String deep = "{\"a\":".repeat(70) + "1" + "}".repeat(70);
        Read<IndividualEnrollment> read = individual("\"optionalDeviceInformation\": " + deep);
        assertThat(read.enrollment()).isEmpty();
        assertThat(read.problems()).singleElement().asString().contains("nested deeper than");
    }

    record Read<T>(Optional<T> enrollment, List<String> problems) {}

    private static Read<IndividualEnrollment> individual(String members) {
        ConfigNode node = node("{\"registrationId\": \"dev-1\", " + attestation() + ", " + members + "}");
        return new Read<>(READER.individual(node), node.problems());
    }

    private static Read<EnrollmentGroup> group(String members) {
        ConfigNode node = node("{\"enrollmentGroupId\": \"grp-1\", " + attestation() + ", " + members + "}");
        return new Read<>(READER.group(node), node.problems());
    }

    private static String attestation() {
        return "\"attestation\": {\"type\": \"symmetricKey\", \"symmetricKey\": {\"primaryKey\": \"" + KEY + "\"}}";
    }

    private static ConfigNode node(String json) {
        return ConfigNode.root(EnrollmentJson.parseTree(json));
    }
}
