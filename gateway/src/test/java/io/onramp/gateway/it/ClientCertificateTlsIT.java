package io.onramp.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.onramp.certs.sas.SymmetricKeys;
import io.onramp.gateway.support.RawDps;
import io.onramp.gateway.support.RawMqtt;
import io.onramp.gateway.support.SdkDevice;
import io.onramp.gateway.support.TestGateway;
import io.onramp.gateway.support.TestTls;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import javax.net.ssl.SSLContext;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every TLS listener asks for a client certificate without requiring one: a device that presents
 * one (whoever issued it) completes the handshake and is judged by the protocol above, and a
 * device that presents none (symmetric key, TPM) is not disturbed.
 */
class ClientCertificateTlsIT {

    static final String GROUP_KEY = "R3JvdXBLZXlGb3JUZXN0VmVjdG9yc09ubHkwMDAwMDA=";
    static final String HUB = "127.0.0.9";

    @TempDir
    static Path dataDir;
    static TestGateway gateway;
    static SSLContext withCertificate;

    @BeforeAll
    static void start() throws Exception {
        gateway = TestGateway.startWithMqtt("127.0.0.15", List.of(HUB), dataDir, """
            hubs:
              - { name: line-a, hostName: %s, ownerKey: SHViQU93bmVyS2V5Rm9yVGVzdHNPbmx5MDAwMDAwMDA= }
            enrollmentGroups:
              - enrollmentGroupId: sensors
                attestation: { type: symmetricKey, symmetricKey: { primaryKey: %s } }
            """.formatted(HUB, GROUP_KEY));
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair keys = generator.generateKeyPair();
        X500Name subject = new X500Name("CN=cert-device");
        X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(
                subject, BigInteger.ONE, Date.from(Instant.now().minusSeconds(60)), Date.from(Instant.now().plusSeconds(3600)),
                subject, keys.getPublic()).build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
        withCertificate = TestTls.presenting(gateway.caFile(), certificate, keys.getPrivate());
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @Test
    void httpsAcceptsTheHandshakeAndTheCoreDecides() throws Exception {
        HttpClient http = HttpClient.newBuilder().sslContext(withCertificate).build();
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("https://" + gateway.endpoint() + "/"
                        + TestGateway.ID_SCOPE + "/registrations/cert-device/register?" + RawDps.API))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"registrationId\":\"cert-device\"}")).build(),
                HttpResponse.BodyHandlers.ofString());

        // no enrollment accepts this certificate (yet): the provisioning core answers, not the TLS layer
        assertThat(response.statusCode()).isEqualTo(401);
    }

    @Test
    void mqttAcceptsTheHandshakeAndSasStillWorksBesideACertificate() throws Exception {
        String key = SymmetricKeys.deriveDeviceKey(GROUP_KEY, "both");
        SdkDevice.registerOverHttps(gateway, "both", key, null);
        try (RawMqtt client = RawMqtt.open(withCertificate, HUB)) {
            assertThat(client.connectDevice(HUB, "both", key)).isEqualTo(MqttConnectReturnCode.CONNECTION_ACCEPTED);
        }
    }
}
