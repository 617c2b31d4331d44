package io.onramp.gateway.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.onramp.policy.enrollment.SymmetricKeyAttestation;
import io.onramp.policy.enrollment.TpmAttestation;
import io.onramp.policy.enrollment.X509Attestation;
import org.junit.jupiter.api.Test;

class SecretCarryOverTest {

    static final ObjectMapper MAPPER = new ObjectMapper();
    static final SymmetricKeyAttestation KEYS = new SymmetricKeyAttestation("cHJpbWFyeS1rZXktMTIzNDU2", "c2Vjb25kYXJ5LWtleS0xMjM0");

    @Test
    void strippedKeysAreTakenFromTheStoredEnrollment() throws Exception {
        ObjectNode body = json("{\"attestation\":{\"type\":\"symmetricKey\",\"symmetricKey\":{\"primaryKey\":\"\"}}}");
        SecretCarryOver.apply(body, KEYS);
        assertThat(body.at("/attestation/symmetricKey/primaryKey").asText()).isEqualTo(KEYS.primaryKey());
        assertThat(body.at("/attestation/symmetricKey/secondaryKey").asText()).isEqualTo(KEYS.secondaryKey());
    }

    @Test
    void newKeysWinAndAChangeOfTypeCarriesNothing() throws Exception {
        ObjectNode body = json("{\"attestation\":{\"type\":\"symmetricKey\",\"symmetricKey\":{\"primaryKey\":\"bmV3\"}}}");
        SecretCarryOver.apply(body, KEYS);
        assertThat(body.at("/attestation/symmetricKey/primaryKey").asText()).isEqualTo("bmV3");
        ObjectNode tpm = json("{\"attestation\":{\"type\":\"tpm\"}}");
        SecretCarryOver.apply(tpm, KEYS);
        assertThat(tpm.at("/attestation/tpm").isMissingNode()).isTrue();
    }

    @Test
    void aCertificateSlotWithOnlyInfoKeepsItsCertificateAndADroppedSlotStaysDropped() throws Exception {
        X509Attestation stored = new X509Attestation(X509Attestation.Kind.CLIENT_CERTIFICATES, "PEM-1", "PEM-2");
        ObjectNode body = json("{\"attestation\":{\"type\":\"x509\",\"x509\":{\"clientCertificates\":"
                + "{\"primary\":{\"info\":{\"subjectName\":\"CN=x\"}}}}}}");
        SecretCarryOver.apply(body, stored);
        assertThat(body.at("/attestation/x509/clientCertificates/primary/certificate").asText()).isEqualTo("PEM-1");
        assertThat(body.at("/attestation/x509/clientCertificates/secondary").isMissingNode()).isTrue();
    }

    @Test
    void aMemberThatIsNoObjectIsLeftForTheReaderToRefuse() throws Exception {
        ObjectNode keys = json("{\"attestation\":{\"type\":\"symmetricKey\",\"symmetricKey\":\"custom\"}}");
        SecretCarryOver.apply(keys, KEYS);
        assertThat(keys.at("/attestation/symmetricKey").asText()).isEqualTo("custom");
        ObjectNode tpm = json("{\"attestation\":{\"type\":\"tpm\",\"tpm\":-1}}");
        SecretCarryOver.apply(tpm, new TpmAttestation("AToAAQ==", null));
        assertThat(tpm.at("/attestation/tpm").asInt()).isEqualTo(-1);
    }

    private static ObjectNode json(String text) throws Exception {
        return (ObjectNode) MAPPER.readTree(text);
    }
}
