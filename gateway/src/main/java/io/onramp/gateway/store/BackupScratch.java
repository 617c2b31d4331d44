package io.onramp.gateway.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Where a backup is made before it is sent: the store's uncompressed copy and its zip, both deleted a minute later.
 * In memory (the tmpfs at /dev/shm) when it has room for both and memory is plentiful, else in dataDir. On disk those
 * bytes (1.5 times the store's file, 4.4 GB for 2.4 million devices) are written back only to be deleted, and that
 * writeback queues the journal's synchronous writes behind it: 13-19 registrations answered over 100 ms late per
 * backup under load, against 1-8 in memory (bench/README, "Backups under load").
 *
 * <p>In memory each backup gets a directory of its own, owner-only and of a random name (nobody can make it first),
 * named after dataDir so that a start can delete what a gateway stopped mid-backup left there: every key is in it.
 */
public final class BackupScratch {

    static final Path SHARED_MEMORY = Path.of("/dev/shm");

    private final Path dataDir;
    private final Path memory;
    private final Supplier<OptionalLong> memoryAvailable;

    BackupScratch(Path dataDir, Path memory, Supplier<OptionalLong> memoryAvailable) {
        this.dataDir = dataDir;
        this.memory = memory;
        this.memoryAvailable = memoryAvailable;
    }

    /**
     * This machine's: in memory unless {@code ONRAMP_BACKUP_IN_MEMORY=false} (a machine whose memory is spoken for
     * in ways the kernel's figures do not show, or a test of the on-disk way).
     */
    public static BackupScratch of(Path dataDir) {
        boolean allowed = !"false".equalsIgnoreCase(System.getenv("ONRAMP_BACKUP_IN_MEMORY"));
        return new BackupScratch(dataDir, SHARED_MEMORY, allowed ? AvailableMemory.ofThisMachine()::bytes : OptionalLong::empty);
    }

    /** A zip about to be made, and how to delete it and its directory once sent. */
    public record Place(Path zip, boolean inMemory) {
        /** Blocking. */
        public void delete() throws IOException {
            Files.deleteIfExists(zip);
            if (inMemory) {
                DataDirectory.deleteWithItsFiles(zip.getParent());
            }
        }
    }

    /** Blocking: reads the store's size, the file system's room and the machine's memory. */
    public Place newBackup() throws IOException {
        long needed = StoreCopy.roomNeeded(Files.size(dataDir.resolve(StoreCopy.FILE_NAME)));
        if (roomInMemory(needed)) {
            Path dir = OwnerOnly.createTempDirectory(memory, prefix());
            return new Place(DataDirectory.newBackupFile(dir), true);
        }
        return new Place(DataDirectory.newBackupFile(dataDir), false);
    }

    /**
     * A tmpfs with room for {@code needed} bytes, and the machine's available memory at least twice that: the copy
     * lives a minute, and must not push the gateway's own memory (or the page cache the store reads from) out.
     */
    boolean roomInMemory(long needed) {
        try {
            if (!Files.isDirectory(memory, LinkOption.NOFOLLOW_LINKS)) {
                return false;
            }
            FileStore store = Files.getFileStore(memory);
            OptionalLong available = memoryAvailable.get();
            return "tmpfs".equals(store.type()) && store.getUsableSpace() >= needed && available.isPresent()
                    && available.getAsLong() >= 2 * needed;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /**
     * At start, the store open: deletes what a gateway of this dataDir stopped mid-backup left in memory (a copy holds
     * every key).
     */
    void deleteLeftovers() throws IOException {
        if (!Files.isDirectory(memory, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        String prefix = prefix();
        List<Path> left;
        try (Stream<Path> entries = Files.list(memory)) {
            left = entries.filter(p -> p.getFileName().toString().startsWith(prefix)
                    && Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)).toList();
        }
        for (Path dir : left) {
            DataDirectory.deleteBackupFilesIn(dir); // says what it deleted
            Files.deleteIfExists(dir);
        }
    }

    /** "onramp-backup-" and 12 hex digits of dataDir's real path: one gateway's, whatever the file system shares. */
    String prefix() throws IOException {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(dataDir.toRealPath().toString().getBytes(StandardCharsets.UTF_8));
            return "onramp-backup-" + HexFormat.of().formatHex(digest, 0, 6) + "-";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
