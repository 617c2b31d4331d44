package io.onramp.gateway.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The data directory holds every device's key in plain text (H2 file, journal): at start it is made mode 700, or,
 * when an older Onramp (or a chmod) left it open to other users, tightened with Onramp's own files in it.
 */
public final class DataDirectory {

    private static final Logger LOG = LoggerFactory.getLogger(DataDirectory.class);
    /** Onramp's entries besides the H2 files; a user's other files in dataDir are not touched. */
    private static final List<String> OWN_DIRECTORIES = List.of("journal", "tls");
    private static final int STICKY = 01000;
    // Not onramp.*.db: those are H2's files (Database.isH2File).
    private static final String BACKUP_PREFIX = "backup-";
    private static final String BACKUP_SUFFIX = ".zip.tmp";
    /** A backup's uncompressed copy, in a directory of its own beside the zip while it is checked (StoreCopy). */
    static final String BACKUP_COPY_PREFIX = "backup-copy-";

    private DataDirectory() {}

    /** Blocking: call off the event loop, before anything is written under {@code dataDir}. */
    public static void prepare(Path dataDir) throws IOException {
        if (!Files.exists(dataDir)) {
            OwnerOnly.createDirectories(dataDir);
            return;
        }
        if (!OwnerOnly.openToOthers(dataDir)) {
            return;
        }
        int changed = 0;
        String shared = sharedReason(dataDir);
        try {
            for (Path own : ownEntries(dataDir)) {
                changed += OwnerOnly.tighten(own);
            }
            if (shared == null) {
                OwnerOnly.restrict(dataDir);
                changed++;
            }
        } catch (IOException e) {
            // Not refused: the gateway ran this way before; the operator is told what to do.
            LOG.warn("dataDir {} is readable by other users and holds every device's key, but could not be made"
                    + " owner-only ({}): chmod 700 {} as its owner", dataDir, e, dataDir);
            return;
        }
        if (shared != null) {
            LOG.warn("dataDir {} is a directory other users share ({}), so Onramp left its mode alone: its own files in it"
                    + " are owner-only ({} changed), but give Onramp a directory of its own, e.g. dataDir: {}",
                    dataDir, shared, changed, dataDir.resolve("onramp"));
            return;
        }
        LOG.warn("dataDir {} was readable by other users (as older Onramp versions made it): it holds every device's"
                + " key, so it is owner-only now (directories 700, files 600; {} file(s) and directories changed)."
                + " Copies of it and enrollment exports need the same care", dataDir, changed);
    }

    /** Where a backup is made before it is sent (POST /admin/backup): a file of its own, deleted once sent. */
    public static Path newBackupFile(Path dataDir) {
        return dataDir.resolve(BACKUP_PREFIX + UUID.randomUUID() + BACKUP_SUFFIX);
    }

    /**
     * Deletes what a gateway of this dataDir stopped while it made or sent a backup left, in dataDir and in memory:
     * each a whole copy of the store, with every key. Only once the store is open: its lock says no other gateway
     * runs on this dataDir, whose backup under way this would delete (a second start, refused, came here first).
     */
    public static void deleteUnfinishedBackups(Path dataDir) throws IOException {
        deleteBackupFilesIn(dataDir);
        BackupScratch.of(dataDir).deleteLeftovers();
    }

    /** The backup files and uncompressed copies directly in {@code dir}, each named in the log. */
    static void deleteBackupFilesIn(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            for (Path file : (Iterable<Path>) entries.filter(DataDirectory::isBackupFile)::iterator) {
                deleteWithItsFiles(file);
                LOG.info("deleted {}, a backup a gateway stopped before it was sent", file);
            }
        }
    }

    /** Deletes {@code path}, and first the files in it when it is a directory (a backup's copy: no deeper). */
    static void deleteWithItsFiles(Path path) throws IOException {
        if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
            try (Stream<Path> files = Files.list(path)) {
                for (Path file : (Iterable<Path>) files::iterator) {
                    Files.deleteIfExists(file);
                }
            }
        }
        Files.deleteIfExists(path);
    }

    static boolean isBackupFile(Path file) {
        String name = file.getFileName().toString();
        return name.startsWith(BACKUP_PREFIX) && name.endsWith(BACKUP_SUFFIX)
                || name.startsWith(BACKUP_COPY_PREFIX) && Files.isDirectory(file, LinkOption.NOFOLLOW_LINKS);
    }

    /**
     * Why {@code dir}'s mode is not Onramp's to change, or null: /tmp and its like (sticky bit: shared by every user
     * by design) and a file system's root. Made 700, they would lock other users and services out.
     */
    static String sharedReason(Path dir) throws IOException {
        Path real = dir.toRealPath();
        if (real.getParent() == null) {
            return "a file system's root";
        }
        if (real.getFileSystem().supportedFileAttributeViews().contains("unix")
                && (((Integer) Files.getAttribute(real, "unix:mode")) & STICKY) != 0) {
            return "sticky bit set, as on /tmp";
        }
        return null;
    }

    private static List<Path> ownEntries(Path dataDir) throws IOException {
        try (Stream<Path> entries = Files.list(dataDir)) {
            return entries.filter(p -> OWN_DIRECTORIES.contains(p.getFileName().toString()) || Database.isH2File(p))
                    .toList();
        }
    }
}
