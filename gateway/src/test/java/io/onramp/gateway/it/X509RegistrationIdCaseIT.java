package io.onramp.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.azure.sdk.iot.device.DeviceClient;
import com.microsoft.azure.sdk.iot.device.Message;
import com.microsoft.azure.sdk.iot.provisioning.device.ProvisioningDeviceClientRegistrationResult;
import com.microsoft.azure.sdk.iot.provisioning.device.ProvisioningDeviceClientStatus;
import io.onramp.certs.ca.CaMaterial;
import io.onramp.certs.ca.CertificateBuilder;
import io.onramp.gateway.support.TestGateway;
import io.onramp.gateway.support.X509Device;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An X.509 device whose registration ID differs from its certificate's CN only in case is the CN's device
 * (dps-device-protocol 1.3: compared case-insensitively), and its device ID is the CN, which the hub compares
 * exactly: it provisions and then connects to its hub with the certificate.
 */
class X509RegistrationIdCaseIT {

    static final String HUB = "127.0.0.226";
    static final CaMaterial ROOT = CertificateBuilder.rootCa("Case Root").issue();
    static final CaMaterial LEAF = CertificateBuilder.device("line7-plc-0042", ROOT).issue();

    @TempDir
    Path dataDir;

    @Test
    void aRegistrationIdInOtherCaseProvisionsTheCnsDeviceWhichThenReachesItsHub() throws Exception {
        try (TestGateway gateway = TestGateway.startWithMqtt("127.0.0.230", List.of(HUB), dataDir, """
                hubs:
                  - { name: line-7, hostName: %s, ownerKey: WDUwOUNhc2VIdWJPd25lcktleUZvclRlc3RzMDAwMDA= }
                enrollmentGroups:
                  - enrollmentGroupId: line-7
                    attestation: { type: x509, x509: { signingCertificates: { primary: { certificate: "%s" } } } }
                """.formatted(HUB, Base64.getEncoder().encodeToString(ROOT.certificate().getEncoded())))) {
            X509Device device = new X509Device(List.of(LEAF.certificate()), LEAF.privateKey(), "LINE7-PLC-0042");

            ProvisioningDeviceClientRegistrationResult result = X509Device.registerOverHttps(gateway, device);

            assertThat(result.getProvisioningDeviceClientStatus())
                    .isEqualTo(ProvisioningDeviceClientStatus.PROVISIONING_DEVICE_STATUS_ASSIGNED);
            assertThat(result.getDeviceId()).as("the CN's spelling").isEqualTo("line7-plc-0042");
            DeviceClient client = device.connectToHub(gateway, HUB, result.getDeviceId());
            try {
                client.sendEvent(new Message("{\"pressure\":3.2}")); // sent and acknowledged by the hub, or thrown
            } finally {
                client.close();
            }
        }
    }
}
