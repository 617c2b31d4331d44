package io.onramp.gateway.enrollment;

import static org.assertj.core.api.Assertions.assertThat;

import io.onramp.certs.ca.CertificateBuilder;
import io.onramp.certs.x509.CertificateInfo;
import io.vertx.core.json.JsonObject;
import java.security.cert.X509Certificate;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class EnrollmentCertificatesTest {

    @Test
    void infoIsTheCertsModulesInfoBlockWithTheSerialsLeadingZeroByte() {
        // Half of all random 128-bit serials have the high bit set, so DER puts a 00 byte before them.
        X509Certificate cert = Stream.generate(() -> CertificateBuilder.selfSignedDevice("serial-check").issue().certificate())
                .limit(200).filter(c -> c.getSerialNumber().toByteArray()[0] == 0).findFirst().orElseThrow();

        JsonObject info = EnrollmentCertificates.info(cert);

        assertThat(info).isEqualTo(new JsonObject(CertificateInfo.of(cert).toJsonMap()));
        assertThat(info.getString("serialNumber")).startsWith("00").hasSize(34);
    }
}
