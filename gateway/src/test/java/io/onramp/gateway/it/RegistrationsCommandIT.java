package io.onramp.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.onramp.certs.sas.SymmetricKeys;
import io.onramp.gateway.support.CommandLine;
import io.onramp.gateway.support.RawDps;
import io.onramp.gateway.support.TestGateway;
import java.nio.file.Files;
import java.nio.file.Path;
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
        configFile = dataDir.resolve("onramp.yaml");
        Files.writeString(configFile, gateway.yaml());
        String id = "reg-sensor-1";
        new RawDps(gateway).registerAndPoll(id, RawDps.token(id, SymmetricKeys.deriveDeviceKey(GROUP_KEY, id)));
    }

    @AfterAll
    static void stop() {
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
    void aHubIsNamedByItsNameOrHostName() {
        assertThat(run(0, "registrations", "list", "--group", "sensors", "--hub", "line-a"))
                .containsPattern("reg-sensor-1 +assigned +127\\.0\\.0\\.191").contains("1 registration(s)");
        assertThat(run(0, "registrations", "list", "--group", "sensors", "--hub", HUB)).contains("1 registration(s)");
        assertThat(run(2, "registrations", "list", "--group", "sensors", "--hub", "line-b"))
                .contains("--hub line-b is not a hub of the config file; its hubs: line-a (127.0.0.191)");
    }

    @Test
    void aStatusIsOneARegistrationCanHave() {
        assertThat(run(0, "registrations", "list", "--group", "sensors", "--status", "Assigned")).contains("1 registration(s)");
        assertThat(run(2, "registrations", "list", "--group", "sensors", "--status", "bogus"))
                .contains("--status must be one of assigning, assigned, failed, disabled, not bogus");
    }

    private static String run(int expectedExit, String... args) {
        return new CommandLine(configFile).run(expectedExit, args);
    }
}
