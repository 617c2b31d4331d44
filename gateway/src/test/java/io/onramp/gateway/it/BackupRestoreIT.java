package io.onramp.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.onramp.certs.sas.SymmetricKeys;
import io.onramp.gateway.support.AdminApi;
import io.onramp.gateway.support.CommandLine;
import io.onramp.gateway.support.RawDps;
import io.onramp.gateway.support.TestGateway;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code onramp backup} while the gateway serves devices, {@code onramp restore} with it stopped. */
class BackupRestoreIT {

    static final String GROUP_KEY = "R3JvdXBLZXlGb3JUZXN0VmVjdG9yc09ubHkwMDAwMDA=";
    static final String HUB_KEY = "SHViQU93bmVyS2V5Rm9yVGVzdHNPbmx5MDAwMDAwMDA=";
    static final String OWNER_KEY = "T3duZXJLZXlGb3JCYWNrdXBUZXN0c09ubHkwMDAwMDA=";
    static final String ENROLLER_KEY = "RW5yb2xsZXJLZXlGb3JCYWNrdXBUZXN0czAwMDAwMDA=";

    /** Where backups are made when it has room (BackupScratch). */
    private static final Path SHARED_MEMORY = Path.of("/dev/shm");

    @TempDir
    static Path dir;
    static Path dataDir;
    static TestGateway gateway;
    static CommandLine cli;
    static RawDps dps;

    @BeforeAll
    static void start() throws Exception {
        dataDir = dir.resolve("data");
        gateway = TestGateway.start("127.0.0.4", dataDir, """
            hubs:
              - { name: line-a, hostName: 127.0.0.5, ownerKey: %s }
            accessPolicies:
              - { name: owner, primaryKey: %s, rights: [ServiceConfig, EnrollmentWrite, RegistrationStatusWrite] }
              - { name: enroller, primaryKey: %s, rights: [EnrollmentWrite] }
            enrollmentGroups:
              - enrollmentGroupId: sensors
                attestation: { type: symmetricKey, symmetricKey: { primaryKey: %s } }
            """.formatted(HUB_KEY, OWNER_KEY, ENROLLER_KEY, GROUP_KEY));
        cli = new CommandLine(gateway.writeConfigFile());
        dps = new RawDps(gateway);
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @Test
    void aBackupTakenWhileServingIsRestoredOfflineWithTheDevicesItHeld() throws Exception {
        for (int i = 0; i < 3; i++) {
            register("kept-" + i);
        }
        Path backup = dir.resolve("store backup.zip");
        assertThat(cli.run(0, "backup", backup.toString())).contains("wrote " + backup).contains("dataDir/tls");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(backup))).isEqualTo("rw-------");
        register("later");

        byte[] taken = Files.readAllBytes(backup);
        assertThat(cli.run(1, "backup", backup.toString())).contains("already exists").contains("--force");
        assertThat(Files.readAllBytes(backup)).isEqualTo(taken);

        assertThat(cli.run(1, "restore", backup.toString())).contains("stop the gateway first");
        assertThat(replacedDirectories()).isEmpty();

        Path notAZip = Files.writeString(dir.resolve("notes.zip"), "not a zip at all");
        Path otherZip = dir.resolve("other.zip");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(otherZip))) {
            zip.putNextEntry(new ZipEntry("onramp.mv.db"));
            zip.write("no H2 file either".getBytes());
        }
        gateway.restart(() -> {
            long before = size(dataDir.resolve("onramp.mv.db"));
            assertThat(cli.run(1, "restore", notAZip.toString())).contains("is not a zip").contains("nothing was changed");
            assertThat(cli.run(1, "restore", otherZip.toString())).contains("does not open as an Onramp store");
            assertThat(replacedDirectories()).isEmpty();
            assertThat(size(dataDir.resolve("onramp.mv.db"))).isEqualTo(before);

            assertThat(cli.run(0, "restore", backup.toString())).contains("moved").contains("replaced-")
                    .containsPattern("a backup taken at 20\\d\\d-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ, 3 registration states");
        });

        String devices = cli.run(0, "devices", "list");
        assertThat(devices).contains("kept-0", "kept-1", "kept-2").doesNotContain("later");
        JsonObject state = new JsonObject(cli.run(0, "registrations", "show", "kept-1"));
        assertThat(state.getString("status")).isEqualTo("assigned");
        assertThat(state.getString("assignedHub")).isEqualTo("127.0.0.5");
        assertThat(cli.run(1, "registrations", "show", "later")).contains("later");
        List<Path> replaced = replacedDirectories();
        assertThat(replaced).hasSize(1);
        assertThat(replaced.get(0).resolve("onramp.mv.db")).exists();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir.resolve("onramp.mv.db"))))
                .isEqualTo("rw-------");
        // a device registered before the backup still works against the restored store
        register("kept-0");
    }

    @Test
    void theBackupNeedsTheServiceConfigRight() throws Exception {
        AdminApi owner = new AdminApi(gateway, "owner", OWNER_KEY);
        for (AdminApi caller : List.of(owner.as(null, null), owner.as("enroller", ENROLLER_KEY),
                owner.as("owner", ENROLLER_KEY))) {
            assertError(caller.send("POST", "/admin/backup", null, null), 401, 401002);
        }
        assertError(owner.send("GET", "/admin/backup", null, null), 405, 405001);
        List<String> inMemoryBefore = backupFilesIn(SHARED_MEMORY, "onramp-backup-");
        HttpResponse<String> taken = owner.send("POST", "/admin/backup", null, null);
        assertThat(taken.statusCode()).isEqualTo(200);
        assertThat(taken.headers().firstValue("Content-Type")).hasValue("application/zip");
        // Deleted once the response has ended, which the client may see first: in dataDir, or in memory with its directory.
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!backupsLeft(inMemoryBefore).isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(backupsLeft(inMemoryBefore)).isEmpty();
    }

    private static List<String> backupsLeft(List<String> inMemoryBefore) throws Exception {
        List<String> left = new ArrayList<>(backupFilesIn(dataDir, "backup-"));
        backupFilesIn(SHARED_MEMORY, "onramp-backup-").stream().filter(name -> !inMemoryBefore.contains(name))
                .forEach(left::add);
        return left;
    }

    private static List<String> backupFilesIn(Path dir, String prefix) throws Exception {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).filter(name -> name.startsWith(prefix)).toList();
        }
    }

    private static void register(String id) throws Exception {
        JsonObject state = dps.registerAndPoll(id, RawDps.token(id, SymmetricKeys.deriveDeviceKey(GROUP_KEY, id)));
        assertThat(state.getString("status")).isEqualTo("assigned");
    }

    private static void assertError(HttpResponse<String> response, int status, int errorCode) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(new JsonObject(response.body()).getInteger("errorCode")).isEqualTo(errorCode);
    }

    private static List<Path> replacedDirectories() {
        try (Stream<Path> files = Files.list(dataDir)) {
            return files.filter(f -> f.getFileName().toString().startsWith("replaced-")).toList();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
