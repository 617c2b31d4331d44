package io.onramp.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.microsoft.azure.sdk.iot.provisioning.device.ProvisioningDeviceClientRegistrationResult;
import com.microsoft.azure.sdk.iot.provisioning.device.ProvisioningDeviceClientStatus;
import com.microsoft.azure.sdk.iot.provisioning.service.ProvisioningServiceClient;
import com.microsoft.azure.sdk.iot.provisioning.service.Query;
import com.microsoft.azure.sdk.iot.provisioning.service.configs.AllocationPolicy;
import com.microsoft.azure.sdk.iot.provisioning.service.configs.AttestationMechanismType;
import com.microsoft.azure.sdk.iot.provisioning.service.configs.BulkEnrollmentOperationResult;
import com.microsoft.azure.sdk.iot.provisioning.service.configs.BulkOperationMode;
import com.microsoft.azure.sdk.iot.provisioning.service.configs.CustomAllocationDefinition;
import com.microsoft.azure.sdk.iot.provisioning.service.configs.DeviceRegistrationState;
import com.microsoft.azure.sdk.iot.provisioning.service.configs.EnrollmentGroup;
import com.microsoft.azure.sdk.iot.provisioning.service.configs.EnrollmentStatus;
import com.microsoft.azure.sdk.iot.provisioning.service.configs.IndividualEnrollment;
import com.microsoft.azure.sdk.iot.provisioning.service.configs.ProvisioningStatus;
import com.microsoft.azure.sdk.iot.provisioning.service.configs.QueryResult;
import com.microsoft.azure.sdk.iot.provisioning.service.configs.QuerySpecificationBuilder;
import com.microsoft.azure.sdk.iot.provisioning.service.configs.SymmetricKeyAttestation;
import com.microsoft.azure.sdk.iot.provisioning.service.configs.TpmAttestation;
import com.microsoft.azure.sdk.iot.provisioning.service.configs.X509Attestation;
import com.microsoft.azure.sdk.iot.provisioning.service.configs.X509CertificateInfo;
import com.microsoft.azure.sdk.iot.provisioning.service.exceptions.ProvisioningServiceClientBadFormatException;
import com.microsoft.azure.sdk.iot.provisioning.service.exceptions.ProvisioningServiceClientBadUsageException;
import com.microsoft.azure.sdk.iot.provisioning.service.exceptions.ProvisioningServiceClientNotFoundException;
import com.microsoft.azure.sdk.iot.provisioning.service.exceptions.ProvisioningServiceClientPreconditionFailedException;
import com.microsoft.azure.sdk.iot.provisioning.service.exceptions.ProvisioningServiceClientUnathorizedException;
import io.onramp.certs.ca.CaMaterial;
import io.onramp.certs.ca.CertificateAuthority;
import io.onramp.certs.pem.PemWriter;
import io.onramp.certs.sas.SasTokenSigner;
import io.onramp.certs.sas.SymmetricKeys;
import io.onramp.gateway.support.RawDps;
import io.onramp.gateway.support.SdkDevice;
import io.onramp.gateway.support.TestGateway;
import io.onramp.gateway.support.TestTls;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLSocketFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The official DPS service SDK for Java (provisioning-service-client 2.0.2), unmodified, managing
 * enrollments here as it manages Azure DPS: its connection string names the gateway, and it dials
 * HTTPS on 443 with the JVM's default TLS settings. Devices then provision with the device SDK.
 */
class ProvisioningServiceSdkIT {

    static final String ADDRESS = "127.0.0.30";
    static final String OWNER_KEY = "U2VydmljZU93bmVyS2V5Rm9yVGVzdHNPbmx5MDAwMDA=";
    static final String READER_KEY = "U2VydmljZVJlYWRlcktleUZvclRlc3RzT25seTAwMDA=";
    static final String HUB_KEY = "SHViT3duZXJLZXlGb3JTZXJ2aWNlU2RrVGVzdHMwMDA=";
    static final String CONNECTION_STRING = "HostName=" + ADDRESS
            + ";SharedAccessKeyName=provisioningserviceowner;SharedAccessKey=" + OWNER_KEY;

    @TempDir
    static Path dataDir;
    static TestGateway gateway;
    static SSLSocketFactory defaultTls;
    static ProvisioningServiceClient service;
    static CaMaterial ca;

    @BeforeAll
    static void start() {
        gateway = TestGateway.startOnStandardHttps(ADDRESS, dataDir, """
            accessPolicies:
              - { name: provisioningserviceowner, primaryKey: %s,
                  rights: [EnrollmentRead, EnrollmentWrite, RegistrationStatusRead, RegistrationStatusWrite] }
              - { name: enrollmentreader, primaryKey: %s, rights: [EnrollmentRead] }
            hubs: [ { name: hub-a, hostName: 127.0.0.30, ownerKey: %s } ]
            individualEnrollments:
              - registrationId: from-config
                attestation: { type: symmetricKey, symmetricKey: { primaryKey: %s } }
            """.formatted(OWNER_KEY, READER_KEY, HUB_KEY, HUB_KEY));
        // The SDK uses HttpsURLConnection with the JVM's default TLS settings: trust the gateway's CA there.
        defaultTls = HttpsURLConnection.getDefaultSSLSocketFactory();
        HttpsURLConnection.setDefaultSSLSocketFactory(TestTls.trusting(gateway.caFile()).getSocketFactory());
        service = ProvisioningServiceClient.createFromConnectionString(CONNECTION_STRING);
        ca = CertificateAuthority.createRoot("Onramp Test Device CA", Duration.ofDays(1));
    }

    @AfterAll
    static void stop() {
        HttpsURLConnection.setDefaultSSLSocketFactory(defaultTls);
        gateway.close();
    }

    @Test
    void individualSymmetricKeyEnrollmentLifecycleWithEtags() throws Exception {
        // given an enrollment created without keys
        IndividualEnrollment created = service.createOrUpdateIndividualEnrollment(
                new IndividualEnrollment("sdk-dev-1", new SymmetricKeyAttestation(null, null)));

        // then the service generated keys, which only the attestation-mechanism read discloses
        assertThat(created.getEtag()).startsWith("\"");
        assertThat(created.getProvisioningStatus()).isEqualTo(ProvisioningStatus.ENABLED);
        assertThat(created.getCreatedDateTimeUtc()).isNotNull();
        SymmetricKeyAttestation stripped = (SymmetricKeyAttestation) created.getAttestation();
        assertThat(stripped.getPrimaryKey()).isNullOrEmpty();
        SymmetricKeyAttestation keys = (SymmetricKeyAttestation) service.getIndividualEnrollmentAttestationMechanism("sdk-dev-1")
                .getAttestation();
        assertThat(SymmetricKeys.decode(keys.getPrimaryKey())).hasSize(64);
        assertThat(keys.getSecondaryKey()).isNotEqualTo(keys.getPrimaryKey());

        // when the client reads, modifies and writes back (If-Match with the etag it read)
        IndividualEnrollment read = service.getIndividualEnrollment("sdk-dev-1");
        assertThat(read.getEtag()).isEqualTo(created.getEtag());
        read.setProvisioningStatus(ProvisioningStatus.DISABLED);
        IndividualEnrollment updated = service.createOrUpdateIndividualEnrollment(read);

        // then the change is stored under a new etag and the keys it sent back stripped are kept
        assertThat(updated.getProvisioningStatus()).isEqualTo(ProvisioningStatus.DISABLED);
        assertThat(updated.getEtag()).isNotEqualTo(created.getEtag());
        SymmetricKeyAttestation kept = (SymmetricKeyAttestation) service.getIndividualEnrollmentAttestationMechanism("sdk-dev-1")
                .getAttestation();
        assertThat(kept.getPrimaryKey()).isEqualTo(keys.getPrimaryKey());
        assertThat(kept.getSecondaryKey()).isEqualTo(keys.getSecondaryKey());

        // and a stale copy is refused, for update and delete alike
        assertThatThrownBy(() -> service.createOrUpdateIndividualEnrollment(read))
                .isInstanceOf(ProvisioningServiceClientPreconditionFailedException.class);
        assertThatThrownBy(() -> service.deleteIndividualEnrollment("sdk-dev-1", created.getEtag()))
                .isInstanceOf(ProvisioningServiceClientPreconditionFailedException.class);
        service.deleteIndividualEnrollment(updated);
        assertThatThrownBy(() -> service.getIndividualEnrollment("sdk-dev-1"))
                .isInstanceOf(ProvisioningServiceClientNotFoundException.class);
    }

    @Test
    void x509AndTpmEnrollmentsAreStoredAndReturnedWithCertificateInfo() throws Exception {
        CaMaterial device = CertificateAuthority.issueServer(ca, "sdk-x509-dev", List.of("sdk-x509-dev"), Duration.ofHours(2));
        String pem = PemWriter.toPem(device.certificate());

        IndividualEnrollment x509 = service.createOrUpdateIndividualEnrollment(
                new IndividualEnrollment("sdk-x509-dev", X509Attestation.createFromClientCertificates(pem)));

        X509CertificateInfo info = ((X509Attestation) x509.getAttestation()).getPrimaryX509CertificateInfo();
        assertThat(info.getSubjectName()).isEqualTo("CN=sdk-x509-dev");
        assertThat(info.getIssuerName()).isEqualTo("CN=Onramp Test Device CA");
        assertThat(info.getSha1Thumbprint()).hasSize(40).isUpperCase();
        assertThat(info.getSha256Thumbprint()).hasSize(64);
        assertThat(info.getVersion()).isEqualTo(3);
        // a round trip of what was read keeps the certificate the read did not return
        IndividualEnrollment read = service.getIndividualEnrollment("sdk-x509-dev");
        read.setDeviceId("renamed-x509-dev");
        IndividualEnrollment updated = service.createOrUpdateIndividualEnrollment(read);
        assertThat(((X509Attestation) updated.getAttestation()).getPrimaryX509CertificateInfo().getSha1Thumbprint())
                .isEqualTo(info.getSha1Thumbprint());
        assertThat(updated.getDeviceId()).isEqualTo("renamed-x509-dev");

        String ek = endorsementKey();
        IndividualEnrollment tpm = service.createOrUpdateIndividualEnrollment(
                new IndividualEnrollment("sdk-tpm-dev", new TpmAttestation(ek)));
        assertThat(tpm.getAttestation()).isInstanceOf(TpmAttestation.class);
        assertThat(((TpmAttestation) service.getIndividualEnrollment("sdk-tpm-dev").getAttestation()).getEndorsementKey())
                .isEqualTo(ek);

        EnrollmentGroup group = service.createOrUpdateEnrollmentGroup(new EnrollmentGroup("sdk-x509-group",
                X509Attestation.createFromRootCertificates(PemWriter.toPem(ca.certificate()))));
        assertThat(((X509Attestation) group.getAttestation()).getPrimaryX509CertificateInfo().getSubjectName())
                .isEqualTo("CN=Onramp Test Device CA");
        assertThat(service.getEnrollmentGroupAttestationMechanism("sdk-x509-group").getType())
                .isEqualTo(AttestationMechanismType.X509);
        service.deleteEnrollmentGroup("sdk-x509-group");
    }

    @Test
    void queriesPageThroughEveryEnrollment() throws Exception {
        for (int i = 0; i < 5; i++) {
            service.createOrUpdateIndividualEnrollment(new IndividualEnrollment("sdk-q-" + i, new SymmetricKeyAttestation(null, null)));
        }
        Query query = service.createIndividualEnrollmentQuery(
                new QuerySpecificationBuilder("*", QuerySpecificationBuilder.FromType.ENROLLMENTS).createSqlQuery(), 2);
        List<String> seen = new ArrayList<>();
        int pages = 0;
        while (query.hasNext()) {
            QueryResult page = query.next();
            pages++;
            for (Object item : page.getItems()) {
                seen.add(((IndividualEnrollment) item).getRegistrationId());
            }
        }
        assertThat(seen).contains("sdk-q-0", "sdk-q-1", "sdk-q-2", "sdk-q-3", "sdk-q-4", "from-config").doesNotHaveDuplicates();
        assertThat(pages).isGreaterThanOrEqualTo(3);
    }

    @Test
    void bulkCreateReportsEachItemThatFailed() throws Exception {
        List<IndividualEnrollment> batch = List.of(
                new IndividualEnrollment("sdk-bulk-1", new SymmetricKeyAttestation(null, null)),
                new IndividualEnrollment("sdk-bulk-2", new TpmAttestation(endorsementKey())));

        BulkEnrollmentOperationResult first = service.runBulkEnrollmentOperation(BulkOperationMode.CREATE, batch);
        assertThat(first.getSuccessful()).isTrue();
        assertThat(service.getIndividualEnrollment("sdk-bulk-2").getAttestation()).isInstanceOf(TpmAttestation.class);

        BulkEnrollmentOperationResult again = service.runBulkEnrollmentOperation(BulkOperationMode.CREATE,
                List.of(batch.get(0), new IndividualEnrollment("sdk-bulk-3", new SymmetricKeyAttestation(null, null))));
        assertThat(again.getSuccessful()).isFalse();
        assertThat(again.getErrors()).singleElement().satisfies(error -> {
            assertThat(error.getRegistrationId()).isEqualTo("sdk-bulk-1");
            assertThat(error.getErrorCode()).isEqualTo(409201);
        });
        assertThat(service.getIndividualEnrollment("sdk-bulk-3")).isNotNull();

        BulkEnrollmentOperationResult deleted = service.runBulkEnrollmentOperation(BulkOperationMode.DELETE,
                List.of(new IndividualEnrollment("sdk-bulk-1", new SymmetricKeyAttestation(null, null)),
                        new IndividualEnrollment("sdk-bulk-2", new SymmetricKeyAttestation(null, null))));
        assertThat(deleted.getSuccessful()).isTrue();
        assertThatThrownBy(() -> service.getIndividualEnrollment("sdk-bulk-2"))
                .isInstanceOf(ProvisioningServiceClientNotFoundException.class);
    }

    @Test
    void aDeviceProvisionsAgainstAnEnrollmentTheSdkCreatedAndStopsOnceItIsDisabled() throws Exception {
        String key = SymmetricKeys.generate();
        service.createOrUpdateIndividualEnrollment(new IndividualEnrollment("sdk-device-1", new SymmetricKeyAttestation(key, key)));

        ProvisioningDeviceClientRegistrationResult result = SdkDevice.registerOverHttps(gateway, "sdk-device-1", key, null);

        assertThat(result.getProvisioningDeviceClientStatus())
                .isEqualTo(ProvisioningDeviceClientStatus.PROVISIONING_DEVICE_STATUS_ASSIGNED);
        assertThat(result.getIothubUri()).isEqualTo(ADDRESS);
        DeviceRegistrationState state = service.getDeviceRegistrationState("sdk-device-1");
        assertThat(state.getStatus()).isEqualTo(EnrollmentStatus.ASSIGNED);
        assertThat(state.getAssignedHub()).isEqualTo(ADDRESS);
        assertThat(state.getDeviceId()).isEqualTo("sdk-device-1");

        // disabling takes effect for the very next registration
        IndividualEnrollment enrollment = service.getIndividualEnrollment("sdk-device-1");
        enrollment.setProvisioningStatus(ProvisioningStatus.DISABLED);
        service.createOrUpdateIndividualEnrollment(enrollment);
        assertThatThrownBy(() -> SdkDevice.registerOverHttps(gateway, "sdk-device-1", key, null)).isInstanceOf(Exception.class);

        // the registration record can be removed through the API
        service.deleteDeviceRegistrationState("sdk-device-1");
        assertThatThrownBy(() -> service.getDeviceRegistrationState("sdk-device-1"))
                .isInstanceOf(ProvisioningServiceClientNotFoundException.class);
    }

    @Test
    void aGroupMemberProvisionsAndIsListedInTheGroupsRegistrations() throws Exception {
        String groupKey = SymmetricKeys.generate();
        EnrollmentGroup group = service.createOrUpdateEnrollmentGroup(
                new EnrollmentGroup("sdk-group", new SymmetricKeyAttestation(groupKey, groupKey)));
        assertThat(group.getEtag()).isNotBlank();
        assertThat(service.getEnrollmentGroup("sdk-group").getEnrollmentGroupId()).isEqualTo("sdk-group");

        ProvisioningDeviceClientRegistrationResult result = SdkDevice.registerOverHttps(gateway, "sdk-member-1",
                SymmetricKeys.deriveDeviceKey(groupKey, "sdk-member-1"), null);
        assertThat(result.getProvisioningDeviceClientStatus())
                .isEqualTo(ProvisioningDeviceClientStatus.PROVISIONING_DEVICE_STATUS_ASSIGNED);

        Query registrations = service.createEnrollmentGroupRegistrationStateQuery(
                new QuerySpecificationBuilder("*", QuerySpecificationBuilder.FromType.ENROLLMENT_GROUPS).createSqlQuery(),
                "sdk-group");
        List<String> members = new ArrayList<>();
        while (registrations.hasNext()) {
            for (Object item : registrations.next().getItems()) {
                members.add(((DeviceRegistrationState) item).getRegistrationId());
            }
        }
        assertThat(members).containsExactly("sdk-member-1");

        Query groups = service.createEnrollmentGroupQuery(
                new QuerySpecificationBuilder("*", QuerySpecificationBuilder.FromType.ENROLLMENT_GROUPS).createSqlQuery());
        assertThat(groups.next().getItems()).extracting(g -> ((EnrollmentGroup) g).getEnrollmentGroupId()).contains("sdk-group");

        // deleting the group takes effect for the next registration
        service.deleteEnrollmentGroup(service.getEnrollmentGroup("sdk-group"));
        assertThatThrownBy(() -> SdkDevice.registerOverHttps(gateway, "sdk-member-2",
                SymmetricKeys.deriveDeviceKey(groupKey, "sdk-member-2"), null)).isInstanceOf(Exception.class);
    }

    @Test
    void configEnrollmentsAreReadOnlyAndRightsAreChecked() throws Exception {
        IndividualEnrollment fromConfig = service.getIndividualEnrollment("from-config");
        fromConfig.setProvisioningStatus(ProvisioningStatus.DISABLED);
        assertThatThrownBy(() -> service.createOrUpdateIndividualEnrollment(fromConfig))
                .isInstanceOf(ProvisioningServiceClientBadUsageException.class)
                .hasMessageContaining("config file");
        assertThatThrownBy(() -> service.deleteIndividualEnrollment("from-config"))
                .isInstanceOf(ProvisioningServiceClientBadUsageException.class);

        ProvisioningServiceClient reader = ProvisioningServiceClient.createFromConnectionString("HostName=" + ADDRESS
                + ";SharedAccessKeyName=enrollmentreader;SharedAccessKey=" + READER_KEY);
        assertThat(reader.getIndividualEnrollment("from-config").getRegistrationId()).isEqualTo("from-config");
        assertThatThrownBy(() -> reader.createOrUpdateIndividualEnrollment(
                new IndividualEnrollment("reader-made", new SymmetricKeyAttestation(null, null))))
                .isInstanceOf(ProvisioningServiceClientUnathorizedException.class);
        assertThatThrownBy(() -> reader.getDeviceRegistrationState("anyone"))
                .isInstanceOf(ProvisioningServiceClientUnathorizedException.class);
    }

    @Test
    void customAllocationDefinitionsRoundTripForEnrollmentsAndGroups() throws Exception {
        // given an enrollment and a group created with a webhook
        IndividualEnrollment enrollment = new IndividualEnrollment("sdk-custom-1", new SymmetricKeyAttestation(null, null));
        enrollment.setAllocationPolicy(AllocationPolicy.CUSTOM);
        enrollment.setCustomAllocationDefinition(webhook("https://alloc.plant1.example/api/assign?code=k1=="));
        IndividualEnrollment created = service.createOrUpdateIndividualEnrollment(enrollment);
        EnrollmentGroup group = new EnrollmentGroup("sdk-custom-group", new SymmetricKeyAttestation(null, null));
        group.setAllocationPolicy(AllocationPolicy.CUSTOM);
        group.setCustomAllocationDefinition(webhook("http://10.0.0.5:7071/api/assign"));
        service.createOrUpdateEnrollmentGroup(group);

        // then reads and query pages return it as it was written
        assertWebhook(created.getCustomAllocationDefinition(), "https://alloc.plant1.example/api/assign?code=k1==");
        IndividualEnrollment read = service.getIndividualEnrollment("sdk-custom-1");
        assertThat(read.getAllocationPolicy()).isEqualTo(AllocationPolicy.CUSTOM);
        assertWebhook(read.getCustomAllocationDefinition(), "https://alloc.plant1.example/api/assign?code=k1==");
        assertWebhook(service.getEnrollmentGroup("sdk-custom-group").getCustomAllocationDefinition(),
                "http://10.0.0.5:7071/api/assign");
        assertWebhook(queried("sdk-custom-1").getCustomAllocationDefinition(), "https://alloc.plant1.example/api/assign?code=k1==");
        Query groups = service.createEnrollmentGroupQuery(
                new QuerySpecificationBuilder("*", QuerySpecificationBuilder.FromType.ENROLLMENT_GROUPS).createSqlQuery());
        List<EnrollmentGroup> allGroups = new ArrayList<>();
        while (groups.hasNext()) {
            for (Object item : groups.next().getItems()) {
                allGroups.add((EnrollmentGroup) item);
            }
        }
        assertThat(allGroups).filteredOn(g -> g.getEnrollmentGroupId().equals("sdk-custom-group")).singleElement()
                .satisfies(g -> assertWebhook(g.getCustomAllocationDefinition(), "http://10.0.0.5:7071/api/assign"));

        // when the client updates what it read (If-Match with its etag), the webhook is kept
        read.setProvisioningStatus(ProvisioningStatus.DISABLED);
        IndividualEnrollment updated = service.createOrUpdateIndividualEnrollment(read);
        assertThat(updated.getEtag()).isNotEqualTo(created.getEtag());
        assertWebhook(service.getIndividualEnrollment("sdk-custom-1").getCustomAllocationDefinition(),
                "https://alloc.plant1.example/api/assign?code=k1==");
        EnrollmentGroup readGroup = service.getEnrollmentGroup("sdk-custom-group");
        readGroup.setProvisioningStatus(ProvisioningStatus.DISABLED);
        service.createOrUpdateEnrollmentGroup(readGroup);
        assertWebhook(service.getEnrollmentGroup("sdk-custom-group").getCustomAllocationDefinition(),
                "http://10.0.0.5:7071/api/assign");

        // and custom without a webhook is refused, leaving the stored enrollment as it was
        IndividualEnrollment noWebhook = service.getIndividualEnrollment("sdk-custom-1");
        noWebhook.setCustomAllocationDefinition(null);
        assertThatThrownBy(() -> service.createOrUpdateIndividualEnrollment(noWebhook))
                .isInstanceOf(ProvisioningServiceClientBadFormatException.class)
                .hasMessageContaining("customAllocationDefinition");
        assertThat(service.getIndividualEnrollment("sdk-custom-1").getEtag()).isEqualTo(noWebhook.getEtag());
        service.deleteEnrollmentGroup("sdk-custom-group");
    }

    @Test
    void optionalDeviceInformationIsKeptThroughTheSdksGetModifyPut() throws Exception {
        // given an enrollment with device information, written as the Node SDK writes it (Java 2.0.2 has no such member)
        JsonObject information = new JsonObject().put("model", "TS-400").put("fw", new JsonObject().put("major", 2));
        JsonObject body = new JsonObject().put("registrationId", "sdk-info-1")
                .put("attestation", new JsonObject().put("type", "symmetricKey"))
                .put("optionalDeviceInformation", information.copy().put("$version", 1));
        HttpResponse<String> put = raw().send("PUT", "/enrollments/sdk-info-1?api-version=2021-10-01", ownerToken(), body.encode());
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
        assertThat(new JsonObject(put.body()).getJsonObject("optionalDeviceInformation")).isEqualTo(information);

        // then a read and the query page return it
        assertThat(rawRead("sdk-info-1").getJsonObject("optionalDeviceInformation")).isEqualTo(information);
        // Azure's times have at most 7 fractional digits, and parsers (.NET's, Python's) count on it
        assertThat(rawRead("sdk-info-1").getString("createdDateTimeUtc")).matches(".*T\\d\\d:\\d\\d:\\d\\d(\\.\\d{1,7})?Z");
        HttpResponse<String> page = raw().send("POST", "/enrollments/query?api-version=2021-10-01", ownerToken(),
                new JsonObject().put("query", "SELECT * FROM enrollments").encode());
        assertThat(new JsonArray(page.body()).stream().map(JsonObject.class::cast)
                .filter(e -> e.getString("registrationId").equals("sdk-info-1")))
                .singleElement().satisfies(e -> assertThat(e.getJsonObject("optionalDeviceInformation")).isEqualTo(information));

        // when the Java SDK updates what it read, with its etag
        IndividualEnrollment read = service.getIndividualEnrollment("sdk-info-1");
        read.setDeviceId("renamed-info-1");
        IndividualEnrollment updated = service.createOrUpdateIndividualEnrollment(read);

        // then the information it could not send back is kept
        assertThat(updated.getDeviceId()).isEqualTo("renamed-info-1");
        JsonObject after = rawRead("sdk-info-1");
        assertThat(after.getString("etag")).isEqualTo(updated.getEtag());
        assertThat(after.getJsonObject("optionalDeviceInformation")).isEqualTo(information);
    }

    @Test
    void aDeviceUnderACustomEnrollmentWhoseWebhookCannotBeReachedFailsWithAClearError() throws Exception {
        String key = SymmetricKeys.generate();
        IndividualEnrollment enrollment = new IndividualEnrollment("sdk-custom-dev", new SymmetricKeyAttestation(key, key));
        enrollment.setAllocationPolicy(AllocationPolicy.CUSTOM);
        // Port 1 of the loopback: nothing listens there (CustomAllocationIT has a webhook that answers).
        enrollment.setCustomAllocationDefinition(webhook("https://127.0.0.1:1/api/assign"));
        service.createOrUpdateIndividualEnrollment(enrollment);

        // the registration fails, it does not hang or crash
        assertThatThrownBy(() -> SdkDevice.registerOverHttps(gateway, "sdk-custom-dev", key, null)).isInstanceOf(Exception.class);

        DeviceRegistrationState state = service.getDeviceRegistrationState("sdk-custom-dev");
        assertThat(state.getStatus()).isEqualTo(EnrollmentStatus.FAILED);
        assertThat(state.getErrorCode()).isEqualTo(400208);
        assertThat(state.getErrorMessage()).contains("custom allocation webhook", "could not be reached");
        assertThat(state.getAssignedHub()).isNull();
    }

    private static CustomAllocationDefinition webhook(String url) {
        CustomAllocationDefinition definition = new CustomAllocationDefinition();
        definition.setWebhookUrl(url);
        definition.setApiVersion("2021-10-01");
        return definition;
    }

    private static void assertWebhook(CustomAllocationDefinition definition, String url) {
        assertThat(definition).isNotNull();
        assertThat(definition.getWebhookUrl()).isEqualTo(url);
        assertThat(definition.getApiVersion()).isEqualTo("2021-10-01");
    }

    private static IndividualEnrollment queried(String registrationId) throws Exception {
        Query query = service.createIndividualEnrollmentQuery(
                new QuerySpecificationBuilder("*", QuerySpecificationBuilder.FromType.ENROLLMENTS).createSqlQuery());
        while (query.hasNext()) {
            for (Object item : query.next().getItems()) {
                if (((IndividualEnrollment) item).getRegistrationId().equals(registrationId)) {
                    return (IndividualEnrollment) item;
                }
            }
        }
        throw new AssertionError(registrationId + " is not in the query's pages");
    }

    private static RawDps raw() {
        return new RawDps(gateway);
    }

    private static String ownerToken() {
        return SasTokenSigner.sign(ADDRESS, Instant.now().getEpochSecond() + 3600, SymmetricKeys.decode(OWNER_KEY),
                "provisioningserviceowner");
    }

    private static JsonObject rawRead(String registrationId) throws Exception {
        HttpResponse<String> read = raw().send("GET", "/enrollments/" + registrationId + "?api-version=2021-10-01",
                ownerToken(), null);
        assertThat(read.statusCode()).as(read.body()).isEqualTo(200);
        return new JsonObject(read.body());
    }

    /** A real EK (an swtpm's, from the certs test fixtures): the API takes only RSA storage keys as EKs. */
    static String endorsementKey() throws java.io.IOException {
        try (java.io.InputStream ek = ProvisioningServiceSdkIT.class.getResourceAsStream("/tpm/ek-rsa.pub")) {
            return Base64.getEncoder().encodeToString(ek.readAllBytes());
        }
    }
}
