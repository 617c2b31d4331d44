package io.onramp.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.onramp.certs.sas.SymmetricKeys;
import io.onramp.gateway.hub.HubRestClient;
import io.onramp.gateway.support.CommandLine;
import io.onramp.gateway.support.RawDps;
import io.onramp.gateway.support.TestGateway;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code onramp registrations …} as a new user types it: IDs that need escaping, hubs by name,
 * options checked, and Java's names for failures kept off the screen.
 */
class RegistrationsCommandIT {

    static final String DPS = "127.0.0.190";
    static final String HUB = "127.0.0.191";
    static final String OWNER_KEY = "UmVnQ21kT3duZXJLZXlGb3JUZXN0c09ubHkwMDAwMDA=";
    static final String GROUP_KEY = "UmVnQ21kR3JvdXBLZXlGb3JUZXN0c09ubHkwMDAwMDA=";
    static final String HUB_KEY = "UmVnQ21kSHViS2V5Rm9yVGVzdHNPbmx5MDAwMDAwMDA=";

    @TempDir
    static Path dataDir;
    static TestGateway gateway;
    static Path configFile;
    static Vertx vertx;

    @BeforeAll
    static void start() throws Exception {
        gateway = TestGateway.start(DPS, dataDir, """
            accessPolicies:
              - { name: provisioningserviceowner, primaryKey: %s,
                  rights: [EnrollmentRead, EnrollmentWrite, RegistrationStatusRead, RegistrationStatusWrite] }
            hubs: [ { name: line-a, hostName: %s, ownerKey: %s } ]
            enrollmentGroups:
              - enrollmentGroupId: sensors
                attestation: { type: symmetricKey, symmetricKey: { primaryKey: %s } }
            """.formatted(OWNER_KEY, HUB, HUB_KEY, GROUP_KEY));
        configFile = gateway.writeConfigFile();
        String id = "reg-sensor-1";
        new RawDps(gateway).registerAndPoll(id, RawDps.token(id, SymmetricKeys.deriveDeviceKey(GROUP_KEY, id)));
    }

    @AfterAll
    static void stop() {
        if (vertx != null) {
            vertx.close();
        }
        gateway.close();
    }

    @Test
    void anIdThatNeedsEscapingIsAskedForAsOneId() {
        for (String id : new String[] {"a b", "a/b", "a?b", "a#b", "a%b"}) {
            assertThat(run(1, "registrations", "show", id)).as(id).contains(id).contains("not found")
                    .doesNotContain("Exception");
            assertThat(run(1, "registrations", "deprovision", id)).as(id).contains(id + " has neither");
        }
        // enrollments builds its paths itself: what a URI cannot hold is still escaped on the way out
        assertThat(run(1, "enrollments", "show", "a b")).contains("a b").contains("not found").doesNotContain("Exception");
    }

    @Test
    void aFileThatIsNotThereOrIsADirectoryIsSaidInWords() {
        assertThat(run(1, "enrollments", "export", "/nonexistent/x.jsonl").strip())
                .isEqualTo("onramp: no such file or directory: /nonexistent/x.jsonl");
        assertThat(run(1, "enrollments", "import", dataDir.toString())).contains("is a directory").doesNotContain("Exception");
    }

    @Test
    void aHubIsNamedByItsNameOrHostName() {
        assertThat(run(0, "registrations", "list", "--group", "sensors", "--hub", "line-a"))
                .containsPattern("reg-sensor-1 +assigned +127\\.0\\.0\\.191");
        assertThat(run(0, "registrations", "list", "--group", "sensors", "--hub", HUB)).contains("reg-sensor-1");
        // a host name the config does not have is taken as one, with a note: registrations may still name it
        assertThat(run(0, "registrations", "list", "--group", "sensors", "--hub", "line-b"))
                .contains("onramp: note: --hub line-b is not a hub of the config file (its hubs: line-a (127.0.0.191))")
                .contains("0 registration(s)");
    }

    @Test
    void withoutGroupEveryEnrollmentsRegistrationsAreListed() throws Exception {
        String id = "reg-press-1";
        String key = SymmetricKeys.generate();
        run(0, "enrollments", "create", id, "--key", key, "--hub", "line-a");
        new RawDps(gateway).registerAndPoll(id, RawDps.token(id, key));

        assertThat(run(0, "registrations", "list")).containsPattern("reg-press-1 +assigned +127\\.0\\.0\\.191")
                .containsPattern("reg-sensor-1 +assigned +127\\.0\\.0\\.191");
        assertThat(run(0, "registrations", "list", "--hub", "line-a", "--status", "assigned")).contains(id)
                .contains("reg-sensor-1");
        assertThat(run(0, "registrations", "list", "--group", "sensors")).doesNotContain(id);
    }

    @Test
    void aListingThatFailsBeforeItsFirstRowPrintsTheErrorAlone() {
        String out = run(1, "registrations", "list", "--group", "no-such-group");

        assertThat(out).startsWith("onramp: ").contains("no-such-group").doesNotContain("REGISTRATION ID");
        // a listing with no row still has its header over the count
        assertThat(run(0, "registrations", "list", "--group", "sensors", "--status", "failed"))
                .startsWith("REGISTRATION ID").contains("0 registration(s)");
    }

    /** A hub taken out of the config leaves its registrations behind: --hub still finds them by host name. */
    @Test
    void theRegistrationsOfAHubNoLongerConfiguredAreFound() throws Exception {
        Path withoutHub = dataDir.resolve("without-line-a.yaml");
        Files.writeString(withoutHub, Files.readString(configFile).replace("hubs: [ { name: line-a, hostName: " + HUB
                + ", ownerKey: " + HUB_KEY + " } ]", "hubs: [ { name: line-b, hostName: 127.0.0.251, ownerKey: " + HUB_KEY + " } ]"));

        String out = new CommandLine(withoutHub).run(0, "registrations", "list", "--hub", HUB);

        assertThat(out).contains("onramp: note: --hub " + HUB + " is not a hub of the config file (its hubs: line-b"
                + " (127.0.0.251)); listing the registrations that name it as their hub")
                .containsPattern("reg-sensor-1 +assigned +127\\.0\\.0\\.191");
    }

    @Test
    void aStatusIsOneARegistrationCanHave() {
        assertThat(run(0, "registrations", "list", "--group", "sensors", "--status", "Assigned")).contains("reg-sensor-1");
        assertThat(run(2, "registrations", "list", "--group", "sensors", "--status", "bogus"))
                .contains("--status must be one of assigning, assigned, failed, disabled, not bogus");
    }

    /**
     * README's undo of a group device's deprovision: delete the blocking enrollment (enabling it would
     * refuse the group's key for good), then enable the device at its hub through the registry API.
     */
    @Test
    void aGroupDevicesDeprovisionIsUndoneAsItsOutputAndTheReadmeSay() throws Exception {
        String id = "reg-sensor-undo";
        String key = SymmetricKeys.deriveDeviceKey(GROUP_KEY, id);
        RawDps dps = new RawDps(gateway);
        dps.registerAndPoll(id, RawDps.token(id, key));

        assertThat(run(0, "registrations", "deprovision", id)).contains("  undo        onramp enrollments delete " + id
                + " (delete, not enable), then onramp devices enable " + id + " --hub " + HUB);
        // the trap: enabling the blocking enrollment leaves the device refused, its keys are not the group's
        run(0, "enrollments", "enable", id);
        assertThat(register(dps, id, key).statusCode()).isEqualTo(401);
        run(0, "enrollments", "disable", id);

        run(0, "enrollments", "delete", id);
        assertThat(dps.registerAndPoll(id, RawDps.token(id, key)).getString("status")).isEqualTo("assigned");
        HubRestClient registry = new HubRestClient(vertx(), Clock.systemUTC(), HUB, "iothubowner", HUB_KEY, gateway.caFile(),
                SocketAddress.inetSocketAddress(gateway.httpsPort(), DPS));
        String path = "/devices/" + id;
        JsonObject device = await(registry.json(HttpMethod.GET, path, null, Map.of()));
        assertThat(device.getString("status")).as("a registration keeps the hub identity's status").isEqualTo("disabled");
        run(0, "devices", "enable", id, "--hub", HUB);
        assertThat(await(registry.json(HttpMethod.GET, path, null, Map.of())).getString("status")).isEqualTo("enabled");
        registry.close();
    }

    private static HttpResponse<String> register(RawDps dps, String id, String key) throws Exception {
        return dps.register("/" + TestGateway.ID_SCOPE + "/registrations/" + id + "/register?" + RawDps.API,
                RawDps.token(id, key), new JsonObject().put("registrationId", id).encode());
    }

    private static Vertx vertx() {
        if (vertx == null) {
            vertx = Vertx.vertx();
        }
        return vertx;
    }

    private static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    private static String run(int expectedExit, String... args) {
        return new CommandLine(configFile).run(expectedExit, args);
    }
}
