package io.onramp.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.onramp.certs.sas.SymmetricKeys;
import io.onramp.gateway.support.AdminApi;
import io.onramp.gateway.support.CommandLine;
import io.onramp.gateway.support.GatewayProcess;
import io.onramp.gateway.support.RawDps;
import io.onramp.gateway.support.TestTls;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A running gateway's store file stays locked against other processes, backups or not: the lock is what keeps a
 * second gateway off the same dataDir and {@code onramp restore} from moving the store away under a running one.
 * Linux drops every POSIX lock a process holds on a file when the process closes any descriptor of that file: a
 * backup that opened the live file to copy it, and closed it, unlocked the store (found in a new-user try: restore
 * then replaced the store of a running gateway). Only another process sees this, so the gateway runs in its own.
 */
class StoreLockIT {

    static final String GATEWAY = "127.0.0.77";
    static final String HUB = "127.0.0.79";
    static final String OWNER_KEY = "U3RvcmVMb2NrSVRPd25lcktleUZvclRoZUh1Yk9uZTE=";
    static final String GROUP_KEY = "U3RvcmVMb2NrSVRHcm91cEtleUZvclRoZURldmljZXM=";

    @TempDir
    Path dir;

    @Test
    void aBackupLeavesTheStoreLockedSoRestoreAndASecondStartAreRefusedWhileTheGatewayRuns() throws Exception {
        Path dataDir = dir.resolve("data");
        Path config = GatewayProcess.writeConfig(dir.resolve("onramp.yaml"), dataDir, GATEWAY, HUB, OWNER_KEY, GROUP_KEY);
        Files.writeString(config, AdminApi.ownerPolicy(OWNER_KEY), StandardOpenOption.APPEND);
        CommandLine cli = new CommandLine(config);
        GatewayProcess gateway = GatewayProcess.start(config);
        try {
            RawDps dps = new RawDps(GATEWAY + ":443", TestTls.trusting(GatewayProcess.caFile(dataDir)));
            assertThat(dps.registerAndPoll("press-1", token("press-1")).getString("status")).isEqualTo("assigned");
            Path store = dataDir.resolve("onramp.mv.db");
            assertThat(lockedByAnotherProcess(store)).as("locked before a backup").isTrue();

            for (int i = 0; i < 2; i++) {
                Path backup = dir.resolve("backup-" + i + ".zip");
                assertThat(cli.run(0, "backup", backup.toString())).contains("wrote " + backup);
                assertThat(lockedByAnotherProcess(store)).as("locked after backup " + i).isTrue();
            }

            assertThat(cli.run(1, "restore", dir.resolve("backup-0.zip").toString()))
                    .contains("is open in a running gateway: stop the gateway first");
            // A second start on the same dataDir, with other host names, is refused before it touches the directory:
            // the running gateway's backup under way and its server certificate stay as they were.
            Path underWay = Files.writeString(dataDir.resolve("backup-" + UUID.randomUUID() + ".zip.tmp"), "being sent");
            Path certificate = dataDir.resolve("tls").resolve("server.pem");
            byte[] served = Files.readAllBytes(certificate);
            Path otherNames = Files.writeString(dir.resolve("other.yaml"),
                    Files.readString(config).replace("hostNames: [", "hostNames: [other.factory.local, "));
            assertThat(new CommandLine(otherNames).run(1, "start"))
                    .contains("the data directory " + dataDir + " is in use by another Onramp");
            assertThat(underWay).exists();
            assertThat(Files.readAllBytes(certificate)).isEqualTo(served);
            assertThat(dps.registerAndPoll("press-2", token("press-2")).getString("status")).isEqualTo("assigned");
        } finally {
            gateway.terminate();
        }
    }

    /** True when this process cannot lock {@code file} because another holds a lock on it. */
    private static boolean lockedByAnotherProcess(Path file) throws Exception {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            FileLock lock = channel.tryLock();
            if (lock == null) {
                return true;
            }
            lock.release();
            return false;
        }
    }

    private static String token(String id) {
        return RawDps.token(id, SymmetricKeys.deriveDeviceKey(GROUP_KEY, id));
    }
}
