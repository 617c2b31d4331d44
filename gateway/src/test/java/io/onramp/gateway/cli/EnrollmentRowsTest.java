package io.onramp.gateway.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class EnrollmentRowsTest {

    /** An individual symmetric-key enrollment as a read returns it, with every member at its default. */
    static JsonObject plain() {
        return new JsonObject("""
            {"registrationId":"press-8","deviceId":"press-8-dev","iotHubHostName":"127.0.0.2","iotHubs":["127.0.0.2"],
             "attestation":{"type":"symmetricKey","symmetricKey":{"primaryKey":"cA==","secondaryKey":"cw=="}},
             "capabilities":{"iotEdge":false},"initialTwin":{"tags":{},"properties":{"desired":{}}},
             "provisioningStatus":"disabled","reprovisionPolicy":{"updateHubAssignment":true,"migrateDeviceData":true},
             "etag":"\\"e\\"","createdDateTimeUtc":"2026-11-27T00:00:00Z","lastUpdatedDateTimeUtc":"2026-11-27T00:00:00Z"}
            """);
    }

    @Test
    void anEnrollmentWithNothingBeyondTheColumnsIsARowThatReadsBackTheSame() {
        String row = EnrollmentRows.format(plain(), true);

        assertThat(EnrollmentRows.csvCannotHold(plain())).isNull();
        assertThat(row).isEqualTo("press-8,cA==,cw==,press-8-dev,127.0.0.2,disabled");
        assertThat(EnrollmentRows.parse(row, true)).isEqualTo(new JsonObject("""
            {"registrationId":"press-8","attestation":{"type":"symmetricKey","symmetricKey":{"primaryKey":"cA==",
             "secondaryKey":"cw=="}},"deviceId":"press-8-dev","iotHubHostName":"127.0.0.2","provisioningStatus":"disabled"}
            """));
    }

    @Test
    void aJsonLineIsReadAsStrictlyAsTheGatewayReadsItsBodies() {
        assertThat(EnrollmentRows.parse(plain().encode(), false)).isEqualTo(plain());
        assertThatThrownBy(() -> EnrollmentRows.parse("{\"registrationId\":\"a\",\"registrationId\":\"b\"}", false))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("the field 'registrationId' is twice");
        assertThatThrownBy(() -> EnrollmentRows.parse("{\"registrationId\":\"a\"} {}", false))
                .hasMessage("not a JSON object");
        assertThatThrownBy(() -> EnrollmentRows.parse("[1]", false)).hasMessage("not a JSON object");
    }

    @Test
    void whatACsvRowWouldLoseKeepsTheEnrollmentOutOfTheCsvAndSaysWhat() {
        JsonObject twin = plain();
        twin.getJsonObject("initialTwin").getJsonObject("properties").getJsonObject("desired").put("interval", 30);
        JsonObject more = plain().put("allocationPolicy", "static").put("iotHubs", new io.vertx.core.json.JsonArray()
                .add("127.0.0.2").add("127.0.0.3")).put("optionalDeviceInformation", new JsonObject().put("site", "A"));
        more.getJsonObject("capabilities").put("iotEdge", true);
        JsonObject x509 = plain().put("attestation", new JsonObject().put("type", "x509"));

        assertThat(EnrollmentRows.csvCannotHold(twin)).isEqualTo("initialTwin");
        assertThat(EnrollmentRows.csvCannotHold(more))
                .isEqualTo("iotHubs, capabilities, allocationPolicy, optionalDeviceInformation");
        assertThat(EnrollmentRows.csvCannotHold(x509)).isEqualTo("X.509 or TPM attestation");
        assertThat(EnrollmentRows.format(twin, true)).isNull();
        assertThat(EnrollmentRows.format(twin, false)).contains("\"interval\":30").doesNotContain("etag");
    }
}
