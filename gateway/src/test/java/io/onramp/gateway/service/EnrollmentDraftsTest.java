package io.onramp.gateway.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.onramp.gateway.error.ProvisioningException;
import io.onramp.gateway.provisioning.EnrollmentRef;
import io.onramp.policy.enrollment.Enrollment;
import io.onramp.policy.enrollment.EnrollmentSource;
import io.onramp.policy.enrollment.IndividualEnrollment;
import io.onramp.policy.enrollment.SymmetricKeyAttestation;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EnrollmentDraftsTest {

    static final ObjectMapper MAPPER = new ObjectMapper();
    static final String KEY = "S2V5Rm9yVGVzdFZlY3RvcnNPbmx5MDAwMDAwMDAwMDA=";
    static final IndividualEnrollment STORED = new IndividualEnrollment("dev-1", null, new SymmetricKeyAttestation(KEY, null),
            null, null, null, null, null, null, null, false, Map.of("model", "TS-400"), "\"1\"", null, null,
            EnrollmentSource.API);

    @Test
    void aBodyWithoutDeviceInformationKeepsTheStoredOne() throws Exception {
        // as the Java SDK 2.0.2 sends back what it read: it does not know the member
        IndividualEnrollment draft = draft("{\"registrationId\":\"dev-1\",\"attestation\":{\"type\":\"symmetricKey\"}}");
        assertThat(draft.optionalDeviceInformation()).isEqualTo(Map.of("model", "TS-400"));
    }

    @Test
    void sentInformationReplacesTheStoredOneAndNullOrEmptyClearsIt() throws Exception {
        assertThat(draft("{\"registrationId\":\"dev-1\",\"attestation\":{\"type\":\"symmetricKey\"},"
                + "\"optionalDeviceInformation\":{\"model\":\"TS-500\"}}").optionalDeviceInformation())
                .isEqualTo(Map.of("model", "TS-500"));
        assertThat(draft("{\"registrationId\":\"dev-1\",\"attestation\":{\"type\":\"symmetricKey\"},"
                + "\"optionalDeviceInformation\":null}").optionalDeviceInformation()).isEmpty();
        assertThat(draft("{\"registrationId\":\"dev-1\",\"attestation\":{\"type\":\"symmetricKey\"},"
                + "\"optionalDeviceInformation\":{}}").optionalDeviceInformation()).isEmpty();
    }

    @Test
    void customWithoutItsDefinitionIsABadRequest() {
        assertThatThrownBy(() -> draft("{\"registrationId\":\"dev-1\",\"attestation\":{\"type\":\"symmetricKey\"},"
                + "\"allocationPolicy\":\"custom\"}"))
                .isInstanceOf(ProvisioningException.class)
                .hasMessageContaining("customAllocationDefinition: is required when allocationPolicy is 'custom'");
    }

    private static IndividualEnrollment draft(String body) throws Exception {
        Enrollment draft = EnrollmentDrafts.draft(EnrollmentRef.Kind.INDIVIDUAL, "dev-1", (ObjectNode) MAPPER.readTree(body))
                .apply(Optional.of(STORED));
        return (IndividualEnrollment) draft;
    }
}
