package io.onramp.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.onramp.certs.sas.SasTokenSigner;
import io.onramp.certs.sas.SymmetricKeys;
import io.onramp.gateway.support.AdminApi;
import io.onramp.gateway.support.GatewayProcess;
import io.onramp.gateway.support.RawDps;
import io.onramp.gateway.support.TestGateway;
import io.onramp.gateway.support.TestTls;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.OutputStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The data directory's disk full while devices register, on a real file system of 48 MB (a tmpfs, mounted by the
 * test: it needs root, as {@code .ci/run} has; skipped elsewhere). H2 closes its database when a write of its file
 * fails and never opens it again, so {@code onramp start} stops and exits non-zero saying why, with a handful of
 * log lines rather than a stack trace per write; started again once there is room, it has every registration it
 * answered assigned.
 */
class FullDiskIT {

    static final String GATEWAY = "127.0.0.74";
    static final String HUB = "127.0.0.75";
    static final String OWNER_KEY = "RnVsbERpc2tJVE93bmVyS2V5Rm9yVGhlSHViT25lMTI=";
    static final String GROUP_KEY = "RnVsbERpc2tJVEdyb3VwS2V5Rm9yVGhlRGV2aWNlczE=";
    static final String SAID = "H2 closed the store after a failed write (No space left on device)";

    @TempDir
    Path dir;
    Path disk;

    @BeforeEach
    void mountASmallDisk() throws Exception {
        disk = Files.createDirectory(dir.resolve("disk"));
        Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=48m,mode=0700", "tmpfs", disk.toString())
                .redirectErrorStream(true).start();
        boolean mounted = mount.waitFor(30, TimeUnit.SECONDS) && mount.exitValue() == 0;
        Assumptions.assumeTrue(mounted, "mounting a tmpfs needs root: " + new String(mount.getInputStream().readAllBytes()));
    }

    @AfterEach
    void unmount() throws Exception {
        new ProcessBuilder("umount", "-l", disk.toString()).inheritIO().start().waitFor(30, TimeUnit.SECONDS);
    }

    @Test
    void aFullDiskStopsTheGatewayWithAReasonAndLosesNoAssignedRegistration() throws Exception {
        Path config = config();
        GatewayProcess first = GatewayProcess.start(config);
        RawDps dps = new RawDps(GATEWAY + ":443", TestTls.trusting(caFile()));
        List<String> assigned = new ArrayList<>();
        // GIVEN devices registered while there is room
        for (int i = 0; i < 50; i++) {
            String id = "roomy-" + i;
            assertThat(dps.registerAndPoll(id, token(id)).getString("status")).isEqualTo("assigned");
            assigned.add(id);
        }

        // WHEN the disk fills up while devices go on registering
        fill(disk.resolve("filler"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        for (int i = 0; first.alive() && System.nanoTime() < deadline; i++) {
            String id = "cramped-" + i;
            try {
                if ("assigned".equals(dps.registerAndPoll(id, token(id)).getString("status"))) {
                    assigned.add(id);
                }
            } catch (AssertionError | IOException refused) {
                // a 5xx, a failed outcome, or the gateway gone: nothing acknowledged as assigned
            }
        }

        // THEN it stops, exits non-zero and says why, in a few lines
        assertThat(first.awaitExit(60)).isEqualTo(1);
        String output = first.output();
        assertThat(output).contains(SAID, "stopping (the store failed)", "stopped");
        // (each failed registration has its own line too: as many as were tried meanwhile)
        assertThat(output.lines().filter(line -> line.contains(".GroupCommitWriter - ")
                || line.contains(".JournalCheckpoints - ")).toList())
                .as("the store's lines of the failure: an episode, not one per write").hasSizeLessThan(8);

        // AND once there is room again it starts, and every registration answered assigned is there
        Files.delete(disk.resolve("filler"));
        GatewayProcess second = GatewayProcess.start(config);
        try {
            for (String id : assigned) {
                HttpResponse<String> read = dps.send("POST", "/" + TestGateway.ID_SCOPE + "/registrations/" + id + "?"
                        + RawDps.API, token(id), new JsonObject().put("registrationId", id).encode());
                assertThat(read.statusCode()).as(id + ": " + read.body()).isEqualTo(200);
                assertThat(new JsonObject(read.body()).getString("status")).as(id).isEqualTo("assigned");
            }
        } finally {
            second.terminate();
        }
    }

    /**
     * A backup needs room for an uncompressed copy and its zip beside the store: on this 48 MB disk it has not (1.5
     * times the store's file plus 64 MB), so it is refused with the reason before anything is written, and the
     * store, which a filled disk would have closed, serves on.
     */
    @Test
    void aBackupTheDiskHasNoRoomForIsRefusedAndTheGatewayServesOn() throws Exception {
        Path config = config();
        Files.writeString(config, AdminApi.ownerPolicy(OWNER_KEY), StandardOpenOption.APPEND);
        // Else made in memory (/dev/shm) when it has room: the disk's room is what is tried here.
        GatewayProcess gateway = GatewayProcess.start(config, Map.of("ONRAMP_BACKUP_IN_MEMORY", "false"));
        try {
            RawDps dps = new RawDps(GATEWAY + ":443", TestTls.trusting(caFile()));
            assertThat(dps.registerAndPoll("before", token("before")).getString("status")).isEqualTo("assigned");

            HttpResponse<String> backup = dps.send("POST", "/admin/backup" + AdminApi.API, SasTokenSigner.sign(GATEWAY,
                    Instant.now().getEpochSecond() + 600, SymmetricKeys.decode(OWNER_KEY), AdminApi.OWNER), null);

            assertThat(backup.statusCode()).isEqualTo(500);
            JsonObject error = new JsonObject(backup.body());
            assertThat(error.getInteger("errorCode")).isEqualTo(500001);
            assertThat(error.getString("message")).contains("not enough room in " + disk.resolve("data"))
                    .contains("MB are free");
            try (var left = Files.list(disk.resolve("data"))) {
                assertThat(left.map(f -> f.getFileName().toString())).noneMatch(name -> name.startsWith("backup-"));
            }
            assertThat(dps.registerAndPoll("after", token("after")).getString("status")).isEqualTo("assigned");
            assertThat(gateway.alive()).isTrue();
        } finally {
            gateway.terminate();
        }
    }

    /** Writes zeros until the file system has no room left. */
    private static void fill(Path filler) {
        byte[] megabyte = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(filler)) {
            while (true) {
                out.write(megabyte);
            }
        } catch (IOException full) {
            // no space left on device
        }
    }

    private Path config() throws Exception {
        return GatewayProcess.writeConfig(dir.resolve("onramp.yaml"), disk.resolve("data"), GATEWAY, HUB, OWNER_KEY,
                GROUP_KEY);
    }

    private Path caFile() {
        return GatewayProcess.caFile(disk.resolve("data"));
    }

    private static String token(String id) {
        return RawDps.token(id, SymmetricKeys.deriveDeviceKey(GROUP_KEY, id));
    }
}
