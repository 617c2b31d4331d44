package io.onramp.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.onramp.certs.sas.SymmetricKeys;
import io.onramp.gateway.support.CommandLine;
import io.onramp.gateway.support.RawDps;
import io.onramp.gateway.support.TestGateway;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code onramp enrollments …} and {@code onramp registrations …} against a running gateway. */
class EnrollmentsCommandIT {

    static final String OWNER_KEY = "Q2xpT3duZXJLZXlGb3JUZXN0c09ubHkwMDAwMDAwMDA=";
    static final String GROUP_KEY = "Q2xpR3JvdXBLZXlGb3JUZXN0c09ubHkwMDAwMDAwMDA=";
    static final String HUB_KEY = "Q2xpSHViS2V5Rm9yVGVzdHNPbmx5MDAwMDAwMDAwMDA=";

    @TempDir
    static Path dataDir;
    static TestGateway gateway;
    static Path configFile;

    @BeforeAll
    static void start() throws Exception {
        gateway = TestGateway.start("127.0.0.32", dataDir, """
            accessPolicies:
              - { name: provisioningserviceowner, primaryKey: %s,
                  rights: [EnrollmentRead, EnrollmentWrite, RegistrationStatusRead, RegistrationStatusWrite] }
            hubs:
              - { name: line-a, hostName: 127.0.0.2, ownerKey: %s }
              - { name: line-b, hostName: 127.0.0.3, weight: 0, ownerKey: %<s }
            enrollmentGroups:
              - enrollmentGroupId: sensors
                attestation: { type: symmetricKey, symmetricKey: { primaryKey: %s } }
            """.formatted(OWNER_KEY, HUB_KEY, GROUP_KEY));
        configFile = gateway.writeConfigFile();
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @Test
    void createShowDisableEnableDelete() {
        assertThat(run(0, "enrollments", "create", "cli-press-1", "--hub", "127.0.0.2")).contains("created cli-press-1", "primaryKey");
        assertThat(run(0, "enrollments", "show", "cli-press-1")).contains("\"registrationId\" : \"cli-press-1\"")
                .doesNotContain("primaryKey");
        run(0, "enrollments", "disable", "cli-press-1");
        assertThat(run(0, "enrollments", "list", "--status", "disabled")).contains("cli-press-1").contains("1 enrollment(s)");
        run(0, "enrollments", "enable", "cli-press-1");
        assertThat(run(0, "enrollments", "list", "--status", "disabled")).doesNotContain("cli-press-1");
        assertThat(run(0, "enrollments", "list", "--hub", "127.0.0.2")).contains("cli-press-1");
        // a hub's name works as well as its host name, and a hub the config does not have is an error, not 0 rows
        assertThat(run(0, "enrollments", "list", "--hub", "line-a")).contains("cli-press-1");
        assertThat(run(2, "enrollments", "list", "--hub", "127.0.0.99"))
                .contains("--hub: no configured hub is named 127.0.0.99; the hubs are line-a (127.0.0.2), line-b (127.0.0.3)");
        assertThat(run(2, "enrollments", "create", "cli-press-9", "--hub", "127.0.0.99")).contains("no configured hub");
        run(0, "enrollments", "create", "cli-press-10", "--hub", "line-a");
        assertThat(run(0, "enrollments", "show", "cli-press-10")).contains("\"iotHubHostName\" : \"127.0.0.2\"");
        run(0, "enrollments", "delete", "cli-press-10");
        assertThat(run(0, "enrollments", "list", "--kind", "group")).contains("sensors").doesNotContain("cli-press-1");
        // both kinds unless --kind says one
        assertThat(run(0, "enrollments", "list")).containsPattern("sensors +group +symmetricKey")
                .containsPattern("cli-press-1 +individual +symmetricKey");
        assertThat(run(0, "enrollments", "list", "--kind", "individual")).contains("cli-press-1").doesNotContain("sensors");
        assertThat(run(2, "enrollments", "list", "--kind", "groups")).contains("--kind must be individual or group");
        run(0, "enrollments", "delete", "cli-press-1");
        assertThat(run(1, "enrollments", "show", "cli-press-1")).contains("cli-press-1 was not found: no individual enrollment or enrollment group has this ID");
        assertThat(run(1, "enrollments", "show", "cli-press-1", "--kind", "individual")).contains("was not found");
        // the config file's group is read-only through the API, and the CLI says why
        // (not naming conf/onramp.yaml: this gateway was started with another file)
        assertThat(run(1, "enrollments", "disable", "sensors", "--kind", "group"))
                .contains("managed by the config file the gateway was started with").doesNotContain("conf/onramp.yaml");
    }

    @Test
    void createWithHubPinsTheDeviceToThatHubWhateverTheGatewaysPolicy() throws Exception {
        // GIVEN line-b, which the gateway's hashed policy never picks (weight 0)
        String created = run(0, "enrollments", "create", "cli-pinned", "--hub", "line-b");
        String key = created.lines().filter(l -> l.startsWith("primaryKey")).findFirst().orElseThrow().split(" +")[1];

        // WHEN its device registers
        var state = new RawDps(gateway).registerAndPoll("cli-pinned", RawDps.token("cli-pinned", key));

        // THEN it went to line-b, as the enrollment says
        assertThat(state.getString("status")).isEqualTo("assigned");
        assertThat(state.getJsonObject("registrationState").getString("assignedHub")).isEqualTo("127.0.0.3");
        assertThat(run(0, "enrollments", "show", "cli-pinned")).contains("\"allocationPolicy\" : \"static\"");
        run(0, "enrollments", "delete", "cli-pinned");
    }

    @Test
    void badArgumentsSayWhatIsWrongBeforeAnythingRuns() throws Exception {
        assertThat(run(2, "enrollments", "list", "--status", "bogus")).contains("--status must be enabled or disabled, not bogus");
        assertThat(run(2, "enrollments", "import", dataDir.resolve("d2.csv").toString(), "--mode", "bogus"))
                .contains("--mode must be create or update, not bogus");
        assertThat(run(2, "enrollments", "create")).contains("onramp enrollments: missing ID\nusage: onramp enrollments");
        assertThat(run(2, "enrollments", "show")).contains("onramp enrollments: missing ID");
        assertThat(run(2, "enrollments", "export")).contains("onramp enrollments: missing FILE");
        Path csv = dataDir.resolve("self.csv");
        List<String> rows = List.of("registrationId,primaryKey", "self-1," + SymmetricKeys.generate());
        Files.write(csv, rows);
        assertThat(run(2, "enrollments", "import", csv.toString(), "--failed", dataDir.resolve(".").resolve("self.csv").toString()))
                .contains("--failed names the file being imported");
        assertThat(Files.readAllLines(csv)).as("the import file is left as it was").isEqualTo(rows);
        assertThat(run(2, "enrollments", "frob", "x")).contains("onramp enrollments: unknown verb 'frob'\nusage:");
        assertThat(run(2, "enrollments", "show", "a", "b")).contains("onramp enrollments: unexpected 'b'");
        assertThat(run(2, "enrollments")).contains("onramp enrollments: missing verb");
    }

    @Test
    void theVerbsOnOneIdFindAGroupWithoutKind() {
        assertThat(run(0, "enrollments", "show", "sensors")).contains("\"enrollmentGroupId\" : \"sensors\"");
        // found as the group, which the config file owns
        assertThat(run(1, "enrollments", "disable", "sensors")).contains("Enrollment group sensors is managed by the config file");
        assertThat(run(1, "enrollments", "delete", "sensors")).contains("sensors is an enrollment group: add --kind group");
    }

    @Test
    void createRefusesAnExistingIdAndLeavesItAsItWas() {
        run(0, "enrollments", "create", "cli-once", "--hub", "127.0.0.2", "--device-id", "dev-once");
        run(0, "enrollments", "disable", "cli-once");

        assertThat(run(1, "enrollments", "create", "cli-once", "--key", SymmetricKeys.generate()))
                .contains("enrollment cli-once already exists; use 'onramp enrollments enable|disable cli-once'");

        assertThat(run(0, "enrollments", "show", "cli-once")).contains("\"deviceId\" : \"dev-once\"")
                .contains("\"iotHubHostName\" : \"127.0.0.2\"").contains("\"provisioningStatus\" : \"disabled\"");
        run(0, "enrollments", "delete", "cli-once");
    }

    @Test
    void importReportsFailedRowsAndExportRoundTrips() throws Exception {
        List<String> rows = new ArrayList<>(List.of("registrationId,primaryKey,secondaryKey,deviceId,iotHubHostName,provisioningStatus"));
        for (int i = 0; i < 25; i++) {
            rows.add("imp-" + i + "," + SymmetricKeys.generate() + ",,dev-" + i + ",,");
        }
        rows.add("imp-badkey,c2hvcnQ=,,,,");
        rows.add("imp bad id,,,,,");
        Path csv = dataDir.resolve("import.csv");
        Files.write(csv, rows);

        String out = run(1, "enrollments", "import", csv.toString(), "--failed", dataDir.resolve("failed.csv").toString());

        assertThat(out).contains("[####################] 100% 27/27 rows").contains("imported 25, failed 2");
        String failed = Files.readString(dataDir.resolve("failed.csv"));
        assertThat(failed).contains("imp-badkey,c2hvcnQ=").contains("imp bad id").contains("# 400004");

        Path exported = dataDir.resolve("export.jsonl");
        assertThat(run(0, "enrollments", "export", exported.toString())).contains("exported 25 enrollment(s)");
        assertThat(Files.readString(exported)).contains("\"primaryKey\"").contains("imp-24");
        // re-importing the export changes nothing: same records, same keys
        assertThat(run(0, "enrollments", "import", exported.toString(), "--mode", "update")).contains("imported 25, failed 0");
        Path again = dataDir.resolve("export-again.jsonl");
        run(0, "enrollments", "export", again.toString());
        assertThat(Files.readAllLines(again)).containsExactlyInAnyOrderElementsOf(Files.readAllLines(exported));

        Path exportedCsv = dataDir.resolve("export.csv");
        run(0, "enrollments", "export", exportedCsv.toString());
        List<String> csvRows = Files.readAllLines(exportedCsv);
        assertThat(csvRows).hasSize(26).first().isEqualTo(rows.get(0));
        for (String row : rows.subList(1, 26)) {
            String idAndKey = row.substring(0, row.indexOf(",,"));
            assertThat(csvRows).anySatisfy(line -> assertThat(line).startsWith(idAndKey + ",").endsWith(",enabled"));
        }
    }

    @Test
    void groupsAreExportedAndImportedAndTheConfigFilesAreLeftOut() throws Exception {
        Path jsonl = dataDir.resolve("groups.jsonl");
        Files.writeString(jsonl, "{\"enrollmentGroupId\":\"line-7-devices\",\"attestation\":{\"type\":\"symmetricKey\","
                + "\"symmetricKey\":{\"primaryKey\":\"" + GROUP_KEY + "\"}},\"iotHubs\":[\"127.0.0.2\"]}\n");
        assertThat(run(0, "enrollments", "import", jsonl.toString())).contains("imported 1, failed 0");

        Path exported = dataDir.resolve("groups-export.jsonl");
        assertThat(run(0, "enrollments", "export", exported.toString()))
                .contains("left out 1 enrollment(s) of the config file");
        assertThat(Files.readString(exported)).contains("\"enrollmentGroupId\":\"line-7-devices\"").contains(GROUP_KEY)
                .doesNotContain("\"sensors\"");
        Path csv = dataDir.resolve("groups-export.csv");
        assertThat(run(0, "enrollments", "export", csv.toString()))
                .contains("left out 1 enrollment(s) a CSV row cannot hold (enrollment group)");

        run(0, "enrollments", "delete", "line-7-devices", "--kind", "group");
        assertThat(run(0, "enrollments", "import", exported.toString())).contains("failed 0");
        assertThat(run(0, "enrollments", "show", "line-7-devices")).contains("\"iotHubs\" : [ \"127.0.0.2\" ]");
        run(0, "enrollments", "delete", "line-7-devices", "--kind", "group");
    }

    @Test
    void aCsvExportLeavesOutWhatItsColumnsCannotHoldAndSaysSo() throws Exception {
        Path jsonl = dataDir.resolve("twin.jsonl");
        Files.writeString(jsonl, "{\"registrationId\":\"csv-twin\",\"attestation\":{\"type\":\"symmetricKey\"},"
                + "\"initialTwin\":{\"properties\":{\"desired\":{\"interval\":30}}}}\n");
        run(0, "enrollments", "import", jsonl.toString());

        Path csv = dataDir.resolve("twin-export.csv");
        String out = run(0, "enrollments", "export", csv.toString());

        assertThat(out).contains("left out 1 enrollment(s) a CSV row cannot hold (initialTwin)");
        assertThat(Files.readString(csv)).doesNotContain("csv-twin");
        Path all = dataDir.resolve("twin-export.jsonl");
        run(0, "enrollments", "export", all.toString());
        assertThat(Files.readString(all)).contains("\"csv-twin\"").contains("\"interval\":30");
        run(0, "enrollments", "delete", "csv-twin");
    }

    @Test
    void anExportIsTheOwnersOnlyAndReplacesAFileOnlyWithForce() throws Exception {
        run(0, "enrollments", "create", "cli-export", "--hub", "127.0.0.2");
        Path kept = dataDir.resolve("kept.jsonl");
        Files.writeString(kept, "the operator's\n");
        Files.setPosixFilePermissions(kept, PosixFilePermissions.fromString("rw-r--r--"));

        // an existing file: refused before anything is read or written, as the certs commands refuse
        assertThat(run(1, "enrollments", "export", kept.toString())).contains(kept + " already exists; nothing was"
                + " written. Choose another FILE, or add --force to replace");
        assertThat(Files.readString(kept)).isEqualTo("the operator's\n");
        // a new file holds every key: mode 600
        Path fresh = dataDir.resolve("fresh.jsonl");
        run(0, "enrollments", "export", fresh.toString());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(fresh))).isEqualTo("rw-------");
        // --force replaces, and the replaced file is 600 too
        assertThat(run(0, "enrollments", "export", kept.toString(), "--force")).contains("exported");
        assertThat(Files.readString(kept)).contains("cli-export").contains("primaryKey");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(kept))).isEqualTo("rw-------");
        assertThat(run(2, "enrollments", "export", kept.toString(), "--force=maybe")).contains("--force must be true or false");
        run(0, "enrollments", "delete", "cli-export");
    }

    @Test
    void registrationsOfAGroupAreListedShownAndDeleted() throws Exception {
        RawDps dps = new RawDps(gateway);
        dps.registerAndPoll("cli-sensor-1", RawDps.token("cli-sensor-1", SymmetricKeys.deriveDeviceKey(GROUP_KEY, "cli-sensor-1")));

        assertThat(run(0, "registrations", "list", "--group", "sensors")).containsPattern("cli-sensor-1 +assigned +127\\.0\\.0\\.2")
                .contains("1 registration(s)");
        assertThat(run(0, "registrations", "list", "--group", "sensors", "--status", "ASSIGNED", "--hub", "127.0.0.2"))
                .contains("cli-sensor-1").contains("1 registration(s)");
        assertThat(run(0, "registrations", "list", "--group", "sensors", "--status", "failed"))
                .doesNotContain("cli-sensor-1").contains("0 registration(s)");
        assertThat(run(0, "registrations", "list", "--group", "sensors", "--hub", "127.0.0.99"))
                .contains("--hub 127.0.0.99 is not a hub of the config file").contains("0 registration(s)");
        assertThat(run(0, "registrations", "show", "cli-sensor-1")).contains("\"assignedHub\" : \"127.0.0.2\"");
        run(0, "registrations", "delete", "cli-sensor-1");
        assertThat(run(1, "registrations", "show", "cli-sensor-1")).contains("was not found");
    }

    private static String run(int expectedExit, String... args) {
        return new CommandLine(configFile).run(expectedExit, args);
    }
}
