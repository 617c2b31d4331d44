package io.onramp.gateway.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.OptionalLong;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A backup is made in memory when a tmpfs has room and memory is plentiful, else in dataDir; leftovers go at start. */
class BackupScratchTest {

    private static final long MB = 1 << 20;

    @TempDir
    Path dataDir;
    @TempDir
    Path elsewhere;

    @Test
    void aSmallStoreIsBackedUpInMemoryInADirectoryOfItsOwnThatGoesWithTheZip() throws IOException {
        assumeTrue(tmpfs(BackupScratch.SHARED_MEMORY), "/dev/shm is a tmpfs on Linux");
        Files.write(dataDir.resolve(StoreCopy.FILE_NAME), new byte[4096]);

        BackupScratch.Place place = BackupScratch.of(dataDir).newBackup();

        Path dir = place.zip().getParent();
        assertThat(place.inMemory()).isTrue();
        assertThat(dir.getParent()).isEqualTo(BackupScratch.SHARED_MEMORY);
        assertThat(dir.getFileName().toString()).matches("onramp-backup-[0-9a-f]{12}-.*");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
        Files.writeString(place.zip(), "the zip");
        place.delete();
        assertThat(dir).doesNotExist();
    }

    @Test
    void withoutATmpfsTheBackupIsMadeInDataDir() throws IOException {
        Files.write(dataDir.resolve(StoreCopy.FILE_NAME), new byte[4096]);
        // a plain directory, not a tmpfs
        BackupScratch scratch = new BackupScratch(dataDir, elsewhere, available(16_000 * MB));

        BackupScratch.Place place = scratch.newBackup();

        assertThat(place.inMemory()).isFalse();
        assertThat(place.zip().getParent()).isEqualTo(dataDir);
        assertThat(elsewhere).isEmptyDirectory();
    }

    @Test
    void memoryMustBePlentifulBesidesTheTmpfsRoom() throws IOException {
        assumeTrue(tmpfs(BackupScratch.SHARED_MEMORY), "/dev/shm is a tmpfs on Linux");
        long needed = 100 * MB;

        assertThat(new BackupScratch(dataDir, BackupScratch.SHARED_MEMORY, available(2 * needed)).roomInMemory(needed))
                .isTrue();
        assertThat(new BackupScratch(dataDir, BackupScratch.SHARED_MEMORY, available(2 * needed - MB)).roomInMemory(needed))
                .isFalse();
        assertThat(new BackupScratch(dataDir, BackupScratch.SHARED_MEMORY, OptionalLong::empty).roomInMemory(needed))
                .as("memory that cannot be told").isFalse();
    }

    @Test
    void whatAGatewayStoppedMidBackupLeftInMemoryIsDeletedAtItsNextStartAndNothingElse() throws IOException {
        Path memory = Files.createDirectory(elsewhere.resolve("shm"));
        BackupScratch scratch = new BackupScratch(dataDir, memory, available(16_000 * MB));
        Path left = OwnerOnly.createTempDirectory(memory, scratch.prefix());
        Files.writeString(DataDirectory.newBackupFile(left), "a whole copy of the store");
        Path copy = Files.createDirectory(left.resolve(DataDirectory.BACKUP_COPY_PREFIX + "1234"));
        Files.writeString(copy.resolve(StoreCopy.FILE_NAME), "its uncompressed copy");
        Path anotherGateways = Files.createDirectory(memory.resolve("onramp-backup-0123456789ab-1"));
        Path someoneElses = Files.writeString(memory.resolve("pulse-shm-1"), "");

        scratch.deleteLeftovers();

        assertThat(left).doesNotExist();
        assertThat(anotherGateways).exists();
        assertThat(someoneElses).exists();
    }

    private static Supplier<OptionalLong> available(long bytes) {
        return () -> OptionalLong.of(bytes);
    }

    private static boolean tmpfs(Path dir) {
        try {
            return Files.isDirectory(dir) && "tmpfs".equals(Files.getFileStore(dir).type());
        } catch (IOException e) {
            return false;
        }
    }
}
