package io.onramp.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.microsoft.azure.sdk.iot.device.Message;
import io.onramp.certs.sas.SasTokenSigner;
import io.onramp.certs.sas.SymmetricKeys;
import io.onramp.certs.ca.CertificateBuilder;
import io.onramp.certs.pem.PemWriter;
import io.onramp.gateway.app.ConfigWatcher;
import io.onramp.gateway.support.AdminApi;
import io.onramp.gateway.support.HubDevice;
import io.onramp.gateway.support.RawDps;
import io.onramp.gateway.support.RawHub;
import io.onramp.gateway.support.TestGateway;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The config file edited under a running gateway (`onramp start` watches it): enrollments, access policies,
 * allocation, hubs added and hub keys apply without a restart; a broken file is refused and changes nothing; what needs a
 * restart is said so, and the rest of the file still applies.
 */
class ConfigReloadIT {

    static final String ADDRESS = "127.0.0.200";
    static final String OTHER_HUB = "127.0.0.201";
    static final String NEW_HUB = "127.0.0.202";
    static final String MOVED_HUB = "127.0.0.204";
    static final String KEY_1 = "S2V5Rm9yVGVzdFZlY3RvcnNPbmx5MDAwMDAwMDAwMDA=";
    static final String KEY_2 = "UmVsb2FkS2V5Rm9yVGVzdHNPbmx5MDAwMDAwMDAwMDA=";
    static final String GROUP_KEY = "R3JvdXBLZXlGb3JSZWxvYWRUZXN0c09ubHkwMDAwMDA=";
    static final String OWNER_KEY = "T3duZXJLZXlGb3JSZWxvYWRUZXN0c09ubHkwMDAwMDA=";
    static final String NEW_OWNER_KEY = "TmV3T3duZXJLZXlGb3JSZWxvYWRUZXN0c09ubHkwMDA=";
    /** The file is looked at every 2 s; a change must have applied well within this. */
    static final Duration APPLIED_WITHIN = ConfigWatcher.INTERVAL.multipliedBy(8);

    @TempDir
    Path dataDir;
    TestGateway gateway;
    RawDps http;
    final ListAppender<ILoggingEvent> log = new ListAppender<>();

    @BeforeEach
    void captureLog() {
        log.start();
        ((Logger) LoggerFactory.getLogger(ConfigWatcher.class)).addAppender(log);
    }

    @AfterEach
    void stop() {
        ((Logger) LoggerFactory.getLogger(ConfigWatcher.class)).detachAppender(log);
        if (gateway != null) {
            gateway.close();
        }
    }

    void start(String extraYaml) throws Exception {
        gateway = TestGateway.startWatchingConfigFile(ADDRESS, dataDir, extraYaml);
        http = new RawDps(gateway);
    }

    static String hubs(boolean otherHubAllocates, String ownerKey) {
        return """
            hubs:
              - { name: line-a, hostName: %s, ownerKey: %s }
              - { name: line-b, hostName: %s, ownerKey: %s, applyAllocationPolicy: %s }
            """.formatted(ADDRESS, ownerKey, OTHER_HUB, OWNER_KEY, otherHubAllocates);
    }

    static String individuals(String... entries) {
        return "individualEnrollments:\n" + String.join("", entries);
    }

    static String individual(String registrationId, String key, String status) {
        return "  - { registrationId: %s, attestation: { type: symmetricKey, symmetricKey: { primaryKey: %s } }, provisioningStatus: %s }\n"
                .formatted(registrationId, key, status);
    }

    @Test
    void enrollmentsAddedChangedAndRemovedInTheFileApplyWithoutARestart() throws Exception {
        start(hubs(true, OWNER_KEY) + individuals(individual("press-1", KEY_1, "enabled")));
        assertThat(register("press-1", KEY_1).getString("status")).isEqualTo("assigned");

        gateway.rewriteConfigFile(hubs(true, OWNER_KEY) + individuals(individual("press-1", KEY_1, "disabled"),
                individual("press-2", KEY_2, "enabled")));

        awaitTrue(() -> registerStatus("press-2", KEY_2) == 202);
        assertThat(register("press-2", KEY_2).getString("status")).isEqualTo("assigned");
        assertThat(register("press-1", KEY_1).getString("status")).isEqualTo("disabled");
        assertThat(logLines()).anySatisfy(line -> assertThat(line)
                .endsWith("onramp.yaml reloaded: enrollments (1 added, 1 changed, 0 removed)"));

        gateway.rewriteConfigFile(hubs(true, OWNER_KEY) + individuals(individual("press-1", KEY_1, "enabled")));

        awaitTrue(() -> registerStatus("press-2", KEY_2) == 401);
        assertThat(register("press-1", KEY_1).getString("status")).isEqualTo("assigned");
        assertThat(logLines()).anySatisfy(line -> assertThat(line)
                .endsWith("onramp.yaml: 1 config enrollment(s) removed, as the file no longer has them: individual press-2."
                        + " Their devices can no longer register (those registered stay at their hubs); onramp config check"
                        + " FILE shows such a change before a file is put in place"));
    }

    @Test
    void aBrokenFileIsRefusedWithItsProblemAndTheGatewayRunsOnWithWhatItHad() throws Exception {
        start(hubs(true, OWNER_KEY) + individuals(individual("press-1", KEY_1, "enabled")));

        gateway.rewriteConfigFile(hubs(true, OWNER_KEY) + individuals(individual("press-2", "not-base64", "enabled")));

        awaitTrue(() -> logLines().stream().anyMatch(line -> line.contains("changed but is not applied")));
        assertThat(logLines()).anySatisfy(line -> assertThat(line).contains("the gateway runs on with the config it had")
                .contains("individualEnrollments[0].attestation.symmetricKey.primaryKey"));
        assertThat(register("press-1", KEY_1).getString("status")).isEqualTo("assigned");
        assertThat(registerStatus("press-2", KEY_2)).isEqualTo(401);

        gateway.rewriteConfigFile(hubs(true, OWNER_KEY) + individuals(individual("press-2", KEY_2, "enabled")));

        awaitTrue(() -> registerStatus("press-2", KEY_2) == 202);
    }

    @Test
    void aHubAddedToTheFileJoinsAtOnceAndItsDevicesConnectToIt() throws Exception {
        gateway = TestGateway.startWatchingConfigFile(ADDRESS, List.of(NEW_HUB), dataDir,
                hubs(true, OWNER_KEY) + individuals(individual("press-1", KEY_1, "enabled")));
        http = new RawDps(gateway);

        gateway.rewriteConfigFile(hubs(true, OWNER_KEY) + "  - { name: line-c, hostName: " + NEW_HUB + ", ownerKey: "
                + NEW_OWNER_KEY + " }\n" + individuals(individual("press-1", KEY_1, "enabled"),
                "  - { registrationId: press-3, iotHubs: [line-c], attestation: { type: symmetricKey, symmetricKey:"
                        + " { primaryKey: " + KEY_2 + " } } }\n"));

        awaitTrue(() -> registerStatus("press-3", KEY_2) == 202);
        assertThat(register("press-3", KEY_2).getJsonObject("registrationState").getString("assignedHub"))
                .isEqualTo(NEW_HUB);
        assertThat(logLines()).anySatisfy(line -> assertThat(line)
                .endsWith("onramp.yaml reloaded: hub line-c (" + NEW_HUB + ") added; enrollments (1 added, 0 changed, 0 removed)"));
        // Its registry API at its host name, under its owner key; both clients check the host name against the server
        // certificate, which now names the new hub.
        RawHub hub = new RawHub(gateway.endpoint().replace(ADDRESS, NEW_HUB), gateway.caFile());
        assertThat(hub.send("GET", "/devices/press-3", RawHub.token(NEW_HUB, NEW_OWNER_KEY, RawHub.OWNER), null)
                .statusCode()).isEqualTo(200);
        try (HubDevice device = HubDevice.connect(gateway, NEW_HUB, "press-3", KEY_2)) {
            device.client().sendEvent(new Message("{\"pressure\":3.2}")); // acknowledged by the new hub, or thrown
        }
    }

    @Test
    void aHubGivenAnotherHostNameWaitsAndAnEnrollmentForItRefusesTheWholeFile() throws Exception {
        start(hubs(true, OWNER_KEY) + individuals(individual("press-1", KEY_1, "enabled")));

        gateway.rewriteConfigFile("""
            hubs:
              - { name: line-a, hostName: %s, ownerKey: %s }
              - { name: line-b, hostName: %s, ownerKey: %s }
            """.formatted(ADDRESS, OWNER_KEY, MOVED_HUB, OWNER_KEY) + individuals(individual("press-1", KEY_1, "disabled"),
                "  - { registrationId: press-3, iotHubHostName: line-b, attestation: { type: symmetricKey, symmetricKey:"
                        + " { primaryKey: " + KEY_2 + " } } }\n"));

        awaitTrue(() -> logLines().stream().anyMatch(line -> line.contains("changed but is not applied")));
        assertThat(logLines()).anySatisfy(line -> assertThat(line)
                .contains("individualEnrollments: press-3 names hub " + MOVED_HUB + ", which this gateway has only after a restart"));
        assertThat(register("press-1", KEY_1).getString("status")).as("nothing of the file applied").isEqualTo("assigned");

        gateway.rewriteConfigFile("""
            hubs:
              - { name: line-a, hostName: %s, ownerKey: %s }
              - { name: line-b, hostName: %s, ownerKey: %s }
            """.formatted(ADDRESS, OWNER_KEY, MOVED_HUB, OWNER_KEY) + individuals(individual("press-1", KEY_1, "disabled")));

        awaitTrue(() -> logLines().stream().anyMatch(line -> line.endsWith("onramp.yaml: hubs (hub line-b given another"
                + " host name or link) changed, which takes effect at the next start; until then the gateway runs with"
                + " what it started with")));
        assertThat(register("press-1", KEY_1).getString("status")).as("the rest of the file applied").isEqualTo("disabled");
    }

    @Test
    void settingsThatNeedARestartAreNamedAndTheRestOfTheFileApplies() throws Exception {
        start(hubs(true, OWNER_KEY) + individuals(individual("press-1", KEY_1, "enabled")));

        gateway.rewriteConfigFile(hubs(true, OWNER_KEY) + "tpm: { challengeTimeoutSeconds: 30 }\n"
                + individuals(individual("press-1", KEY_1, "enabled"), individual("press-2", KEY_2, "enabled")));

        awaitTrue(() -> registerStatus("press-2", KEY_2) == 202);
        awaitTrue(() -> logLines().stream().anyMatch(line -> line.endsWith(
                "onramp.yaml: tpm changed, which takes effect at the next start; until then the gateway runs with what it"
                        + " started with")));
    }

    @Test
    void allocationAndHubKeysApplyToWhatComesNext() throws Exception {
        String group = """
            enrollmentGroups:
              - { enrollmentGroupId: sensors, attestation: { type: symmetricKey, symmetricKey: { primaryKey: %s } } }
            """.formatted(GROUP_KEY);
        start(hubs(true, OWNER_KEY) + group);
        RawHub hub = new RawHub(gateway.endpoint(), gateway.caFile());
        assertThat(hub.send("GET", "/devices/nobody", RawHub.token(ADDRESS, OWNER_KEY, RawHub.OWNER), null).statusCode())
                .isEqualTo(404);

        gateway.rewriteConfigFile(hubs(false, NEW_OWNER_KEY) + group);

        awaitTrue(() -> hub.send("GET", "/devices/nobody", RawHub.token(ADDRESS, NEW_OWNER_KEY, RawHub.OWNER), null)
                .statusCode() == 404);
        assertThat(hub.send("GET", "/devices/nobody", RawHub.token(ADDRESS, OWNER_KEY, RawHub.OWNER), null).statusCode())
                .as("the old key no longer opens the hub").isEqualTo(401);
        // line-b no longer takes devices by the policy: every new device goes to line-a.
        for (int i = 0; i < 12; i++) {
            String id = "sensor-" + i;
            assertThat(register(id, SymmetricKeys.deriveDeviceKey(GROUP_KEY, id)).getJsonObject("registrationState")
                    .getString("assignedHub")).isEqualTo(ADDRESS);
        }
        assertThat(logLines()).anySatisfy(line -> assertThat(line)
                .endsWith("onramp.yaml reloaded: hub line-a: ownerKey; hub line-b: applyAllocationPolicy true -> false"));
    }

    @Test
    void aRotatedAccessPolicyKeyIsTheOnlyOneTheServiceApiTakes() throws Exception {
        String policy = "accessPolicies: [ { name: provisioningserviceowner, primaryKey: %s, rights: [EnrollmentRead] } ]\n";
        start(hubs(true, OWNER_KEY) + policy.formatted(KEY_1));
        assertThat(serviceApiStatus(KEY_1)).isEqualTo(404);

        gateway.rewriteConfigFile(hubs(true, OWNER_KEY) + policy.formatted(KEY_2));

        awaitTrue(() -> serviceApiStatus(KEY_2) == 404);
        assertThat(serviceApiStatus(KEY_1)).isEqualTo(401);
    }

    @Test
    void aKeyFileChangedWithoutTheConfigFileAppliesWhenToldTo() throws Exception {
        Path keyFile = dataDir.resolve("press-1.key");
        java.nio.file.Files.writeString(keyFile, KEY_1);
        start(hubs(true, OWNER_KEY) + individuals("  - { registrationId: press-1, attestation: { type: symmetricKey,"
                + " symmetricKey: { primaryKey: { file: " + keyFile + " } } } }\n"));
        assertThat(register("press-1", KEY_1).getString("status")).isEqualTo("assigned");

        java.nio.file.Files.writeString(keyFile, KEY_2);
        Thread.sleep(ConfigWatcher.INTERVAL.multipliedBy(2).toMillis());
        assertThat(registerStatus("press-1", KEY_2)).as("the config file did not change: nothing was read").isEqualTo(401);
        gateway.reloadConfigNow();

        awaitTrue(() -> registerStatus("press-1", KEY_2) == 202);
        assertThat(registerStatus("press-1", KEY_1)).isEqualTo(401);
    }

    @Test
    void aCaCertificateAddedToTheFileIsThereAndKeepsItsEtagThroughLaterReloads() throws Exception {
        Path root = dataDir.resolve("root.pem");
        PemWriter.write(root, PemWriter.toPem(CertificateBuilder.rootCa("reload root").issue().certificate()), false);
        String policy = "accessPolicies: [ { name: owner, primaryKey: %s, rights: [ServiceConfig] } ]\n".formatted(KEY_1);
        start(hubs(true, OWNER_KEY) + policy);
        AdminApi admin = new AdminApi(gateway, "owner", KEY_1);
        assertThat(admin.get("line-7").statusCode()).isEqualTo(404);

        String withCa = policy + "caCertificates: [ { name: line-7, certificate: %s, verified: true } ]\n".formatted(root);
        gateway.rewriteConfigFile(hubs(true, OWNER_KEY) + withCa);

        awaitTrue(() -> admin.get("line-7").statusCode() == 200);
        HttpResponse<String> added = admin.get("line-7");
        assertThat(AdminApi.properties(added).getBoolean("isVerified")).isTrue();
        gateway.rewriteConfigFile(hubs(true, NEW_OWNER_KEY) + withCa);
        awaitTrue(() -> logLines().stream().anyMatch(line -> line.endsWith("reloaded: hub line-a: ownerKey")));
        assertThat(AdminApi.etag(admin.get("line-7"))).isEqualTo(AdminApi.etag(added));
    }

    int serviceApiStatus(String key) throws Exception {
        String token = SasTokenSigner.sign(ADDRESS, Instant.now().getEpochSecond() + 600, SymmetricKeys.decode(key),
                "provisioningserviceowner");
        return http.send("GET", "/enrollments/nobody?api-version=2021-10-01", token, null).statusCode();
    }

    JsonObject register(String registrationId, String key) throws Exception {
        return http.registerAndPoll(registrationId, RawDps.token(registrationId, key));
    }

    int registerStatus(String registrationId, String key) throws Exception {
        String path = "/" + TestGateway.ID_SCOPE + "/registrations/" + registrationId + "/register?" + RawDps.API;
        HttpResponse<String> response = http.register(path, RawDps.token(registrationId, key),
                new JsonObject().put("registrationId", registrationId).encode());
        return response.statusCode();
    }

    java.util.List<String> logLines() {
        return log.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }

    static void awaitTrue(Callable<Boolean> condition) throws Exception {
        Instant deadline = Instant.now().plus(APPLIED_WITHIN);
        while (!condition.call()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("not applied within " + APPLIED_WITHIN);
            }
            Thread.sleep(100);
        }
    }
}
