package io.onramp.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.microsoft.azure.sdk.iot.device.DeviceClient;
import com.microsoft.azure.sdk.iot.provisioning.device.ProvisioningDeviceClientRegistrationResult;
import com.microsoft.azure.sdk.iot.provisioning.device.ProvisioningDeviceClientStatus;
import io.onramp.certs.ca.CaMaterial;
import io.onramp.certs.ca.CertificateBuilder;
import io.onramp.certs.ca.PkiCatalogue;
import io.onramp.certs.ca.PkiCatalogue.Name;
import io.onramp.certs.sas.SasTokenSigner;
import io.onramp.certs.sas.SymmetricKeys;
import io.onramp.gateway.support.AdminApi;
import io.onramp.gateway.support.RawDps;
import io.onramp.gateway.support.RawHub;
import io.onramp.gateway.support.TestGateway;
import io.onramp.gateway.support.X509Device;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * X.509 groups that name verified CA certificates (dps-service-api §6, §11) with real devices:
 * a group of the config file naming a CA of the config file (with its CRL), and a group made
 * through the service API naming a CA proven through the admin API. The official SDK's X.509
 * provider provisions, the device then connects to the hub with the same certificate; a revoked
 * certificate and a CA that lost its verification are refused like any other bad certificate.
 */
class CaReferencesDeviceFlowIT {

    static final String ADDRESS = "127.0.0.80";
    static final String HUB = "127.0.0.81";
    static final String HUB_KEY = "Q2FSZWZIdWJPd25lcktleUZvclRlc3RzT25seTAwMDA=";
    static final String OWNER_KEY = "Q2FSZWZTZXJ2aWNlT3duZXJLZXlGb3JUZXN0czAwMDA=";
    static final PkiCatalogue PKI = PkiCatalogue.builder().deviceId("caref-device").build();

    @TempDir
    static Path dir;
    static TestGateway gateway;
    static AdminApi admin;

    @BeforeAll
    static void start() {
        Path pki = dir.resolve("pki");
        PKI.writeTo(pki);
        gateway = TestGateway.startWithMqtt(ADDRESS, List.of(HUB), dir.resolve("data"), """
            hubs:
              - { name: line-r, hostName: %s, ownerKey: %s }
            accessPolicies:
              - { name: owner, primaryKey: %s, rights: [ServiceConfig, EnrollmentWrite, RegistrationStatusWrite] }
            caCertificates:
              - { name: plant-intermediate, certificate: %s, verified: true, crl: %s }
            enrollmentGroups:
              - enrollmentGroupId: plant-line
                attestation: { type: x509, x509: { caReferences: { primary: plant-intermediate } } }
            """.formatted(HUB, HUB_KEY, OWNER_KEY, pki.resolve("intermediate.cert.pem"), pki.resolve("intermediate.crl.pem")));
        admin = new AdminApi(gateway, "owner", OWNER_KEY);
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @ParameterizedTest(name = "over MQTT: {0}")
    @ValueSource(booleans = {false, true})
    void aDeviceOfAGroupNamingAVerifiedCaProvisionsAndConnectsToTheHub(boolean mqtt) throws Exception {
        // GIVEN a device certificate issued by the intermediate the config group names
        String id = mqtt ? "caref-sdk-mqtt" : "caref-sdk-https";
        X509Device device = deviceOf(id, PKI.material(Name.INTERMEDIATE));

        // WHEN the SDK registers it
        ProvisioningDeviceClientRegistrationResult result = mqtt ? X509Device.registerOverMqtt(gateway, device)
                : X509Device.registerOverHttps(gateway, device);

        // THEN it is assigned, its hub identity is certificateAuthority, and the hub takes its certificate
        assertThat(result.getProvisioningDeviceClientStatus())
                .isEqualTo(ProvisioningDeviceClientStatus.PROVISIONING_DEVICE_STATUS_ASSIGNED);
        assertThat(result.getIothubUri()).isEqualTo(HUB);
        JsonObject identity = new JsonObject(new RawHub(HUB + ":" + gateway.httpsPort(), gateway.caFile())
                .send("GET", "/devices/" + id, RawHub.token(HUB, HUB_KEY, RawHub.OWNER), null).body());
        assertThat(identity.getJsonObject("authentication").getString("type")).isEqualTo("certificateAuthority");
        DeviceClient client = device.connectToHub(gateway, HUB, id);
        client.close();
    }

    @Test
    void theAnswerCarriesTheX509RegistrationState() throws Exception {
        X509Device device = deviceOf("caref-raw", PKI.material(Name.INTERMEDIATE));

        RawDps dps = new RawDps(gateway, device.sslContext(gateway));
        JsonObject done = dps.registerAndPoll("caref-raw", null);

        JsonObject x509 = done.getJsonObject("registrationState").getJsonObject("x509");
        assertThat(x509.getString("enrollmentGroupId")).isEqualTo("plant-line");
        assertThat(x509.getJsonObject("certificateInfo").getString("subjectName")).isEqualTo("CN=caref-raw");
        assertThat(x509.getJsonObject("certificateInfo").getString("sha256Thumbprint")).matches("[0-9A-F]{64}");
        assertThat(x509.getJsonObject("signingCertificateInfo").getString("subjectName"))
                .isEqualTo("CN=Onramp Test Intermediate");
        assertThat(x509.getJsonObject("signingCertificateInfo").getInteger("version")).isEqualTo(3);
        assertThat(done.getJsonObject("registrationState").containsKey("symmetricKey")).isFalse();
        // AND after a restart, with the certificates no longer in memory, the operation answers the same from the
        // record it wrote and the chain the device presents
        gateway.restart();
        assertThat(dps.poll("caref-raw", done.getString("operationId"), null)).isEqualTo(done);
    }

    @Test
    void aCertificateOnTheCasCrlIsRefusedWithoutSayingWhy() throws Exception {
        X509Device revoked = new X509Device(PKI.chain(Name.REVOKED), PKI.material(Name.REVOKED).privateKey(), null);
        X509Device good = new X509Device(PKI.chain(Name.LEAF), PKI.material(Name.LEAF).privateKey(), null);

        HttpResponse<String> refused = register(revoked, PKI.deviceId());

        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(401);
        JsonObject body = new JsonObject(refused.body());
        assertThat(body.getInteger("errorCode")).isEqualTo(401002);
        assertThat(body.getString("message")).doesNotContainIgnoringCase("revoked").doesNotContainIgnoringCase("crl");
        assertThatThrownBy(() -> X509Device.registerOverHttps(gateway, revoked)).isInstanceOf(Exception.class);
        // The same CN from the same CA, not revoked, is taken: the refusal is about the CRL.
        assertThat(register(good, PKI.deviceId()).statusCode()).isEqualTo(202);
    }

    @Test
    void aGroupMadeThroughTheApiTrustsACaOnlyOnceItIsProvenAndWhileItStaysSo() throws Exception {
        // GIVEN another root uploaded through the admin API, not yet verified
        HttpResponse<String> uploaded = admin.upload("other-root", PKI.certificate(Name.OTHER_ROOT), false);
        assertThat(uploaded.statusCode()).isEqualTo(200);
        assertThat(putGroup("other-line", "other-root").statusCode()).isEqualTo(400);

        // WHEN its key's possession is proven and a group names it
        HttpResponse<String> code = admin.generateCode("other-root", AdminApi.etag(uploaded));
        String verificationCode = AdminApi.properties(code).getString("verificationCode");
        HttpResponse<String> verified = admin.verify("other-root",
                PKI.verificationCertificate(Name.OTHER_ROOT, verificationCode), AdminApi.etag(code));
        assertThat(verified.statusCode()).as(verified.body()).isEqualTo(200);
        HttpResponse<String> group = putGroup("other-line", "other-root");
        assertThat(group.statusCode()).as(group.body()).isEqualTo(200);

        // THEN its devices provision, reported with the CA as their signing certificate
        X509Device device = deviceOf("caref-other", PKI.material(Name.OTHER_ROOT));
        JsonObject done = new RawDps(gateway, device.sslContext(gateway)).registerAndPoll("caref-other", null);
        assertThat(done.getString("status")).isEqualTo("assigned");
        assertThat(done.getJsonObject("registrationState").getJsonObject("x509").getJsonObject("signingCertificateInfo")
                .getString("subjectName")).isEqualTo("CN=Onramp Other Root");

        // AND once the CA's content is replaced (verification reset), they are refused
        assertThat(admin.upload("other-root", PKI.certificate(Name.UNPROVEN_ROOT), false).statusCode()).isEqualTo(200);
        assertThat(register(device, "caref-other").statusCode()).isEqualTo(401);
    }

    private static X509Device deviceOf(String registrationId, CaMaterial issuer) {
        CaMaterial leaf = CertificateBuilder.device(registrationId, issuer).issue();
        List<java.security.cert.X509Certificate> chain = issuer.certificate().equals(PKI.certificate(Name.INTERMEDIATE))
                ? List.of(leaf.certificate(), issuer.certificate()) : List.of(leaf.certificate());
        return new X509Device(chain, leaf.privateKey(), null);
    }

    private static HttpResponse<String> register(X509Device device, String registrationId) throws Exception {
        return new RawDps(gateway, device.sslContext(gateway)).register("/" + TestGateway.ID_SCOPE + "/registrations/"
                + registrationId + "/register?" + RawDps.API, null,
                new JsonObject().put("registrationId", registrationId).encode());
    }

    private static HttpResponse<String> putGroup(String id, String caName) throws Exception {
        JsonObject group = new JsonObject().put("enrollmentGroupId", id).put("attestation", new JsonObject()
                .put("type", "x509").put("x509", new JsonObject().put("caReferences", new JsonObject().put("primary", caName))));
        String token = SasTokenSigner.sign(ADDRESS, Instant.now().getEpochSecond() + 600, SymmetricKeys.decode(OWNER_KEY),
                "owner");
        return new RawDps(gateway).send("PUT", "/enrollmentGroups/" + id + "?" + RawDps.API, token, group.encode());
    }
}
