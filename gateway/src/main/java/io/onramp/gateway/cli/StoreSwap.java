package io.onramp.gateway.cli;

import io.onramp.gateway.store.DataDirLock;
import io.onramp.gateway.store.OwnerOnly;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Puts a restored store in place of a data directory's live one so that no gateway can open a half of it: from
 * {@link #hold} to {@link #close} the data directory is locked as a gateway locks it ({@link DataDirLock}: a gateway
 * starting meanwhile is refused at its first step) and the live store file as H2 locks it, the old store is linked aside before the new one is renamed over it (the live
 * path never goes missing), and the journal moves aside while the lock is held (a gateway opens the store first, so
 * it never replays the old journal onto the restored store). A second restore on the same directory is refused.
 * Blocking file I/O: a command's thread.
 */
final class StoreSwap implements AutoCloseable {

    static final String STORE_FILE = "onramp.mv.db";
    static final String JOURNAL = "journal";
    static final String STAGING_PREFIX = "restoring-";
    private static final String RESTORE_LOCK = "onramp.restore.lock";

    private final Path dataDir;
    private final Path live;
    private final FileChannel restoreLock;
    private final DataDirLock directoryLock;
    private final FileChannel storeLock;

    private StoreSwap(Path dataDir, FileChannel restoreLock, DataDirLock directoryLock, FileChannel storeLock) {
        this.dataDir = dataDir;
        this.live = dataDir.resolve(STORE_FILE);
        this.restoreLock = restoreLock;
        this.directoryLock = directoryLock;
        this.storeLock = storeLock;
    }

    /** Takes the data directory for one restore; refuses if a gateway has its store open or a restore runs on it. */
    static StoreSwap hold(Path dataDir) throws IOException {
        FileChannel restore = lock(dataDir.resolve(RESTORE_LOCK), true);
        if (restore == null) {
            throw new CommandException("another onramp restore is running on " + dataDir + "; nothing was changed");
        }
        DataDirLock directory = null;
        try {
            Path live = dataDir.resolve(STORE_FILE);
            try {
                directory = DataDirLock.take(dataDir); // a gateway starting meanwhile is refused at its first step
            } catch (DataDirLock.InUseException e) {
                throw runningGateway(live);
            }
            boolean exists = Files.exists(live);
            FileChannel store = exists ? lock(live, false) : null;
            if (exists && store == null) {
                throw runningGateway(live); // one from before onramp.lock, or not a gateway
            }
            return new StoreSwap(dataDir, restore, directory, store);
        } catch (IOException | RuntimeException e) {
            if (directory != null) {
                directory.close();
            }
            restore.close();
            throw e;
        }
    }

    private static CommandException runningGateway(Path live) {
        return new CommandException(live + " is open in a running gateway: stop the gateway first, then restore;"
                + " nothing was changed");
    }

    /** A staging directory for the backup's store, after removing those a killed restore left (copies only). */
    Path newStaging(String stamp) throws IOException {
        List<Path> left = new ArrayList<>();
        try (DirectoryStream<Path> stale = Files.newDirectoryStream(dataDir, STAGING_PREFIX + "*")) {
            stale.forEach(left::add);
        }
        for (Path each : left) {
            deleteTree(each);
        }
        return dataDir.resolve(STAGING_PREFIX + stamp);
    }

    /**
     * Puts {@code restored} (a file in this data directory) at the live store's path; the store and journal it
     * replaces go to {@code replaced}. @return the paths moved aside, for the operator
     */
    List<Path> replaceWith(Path restored, Path replaced) throws IOException {
        List<Path> aside = new ArrayList<>();
        if (storeLock != null) {
            OwnerOnly.createDirectories(replaced);
            Files.createLink(replaced.resolve(STORE_FILE), live); // same inode: the lock still covers it
            aside.add(replaced.resolve(STORE_FILE));
        }
        Path journal = dataDir.resolve(JOURNAL);
        if (Files.exists(journal)) {
            OwnerOnly.createDirectories(replaced);
            Files.move(journal, replaced.resolve(JOURNAL));
            aside.add(replaced.resolve(JOURNAL));
        }
        if (storeLock != null) {
            Files.move(restored, live, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } else {
            try {
                Files.createLink(live, restored); // fails, atomically, if a gateway created a store meanwhile
            } catch (FileAlreadyExistsException e) {
                throw new CommandException("a gateway created " + live + " during the restore: stop it, then restore"
                        + " again; its new store was left as it is");
            }
            Files.delete(restored);
        }
        return aside;
    }

    @Override
    public void close() throws IOException {
        try {
            if (storeLock != null) {
                storeLock.close();
            }
        } finally {
            try {
                directoryLock.close();
            } finally {
                restoreLock.close();
            }
        }
    }

    /** @return the channel holding the lock, or null if another process (or this one) holds it */
    private static FileChannel lock(Path file, boolean create) throws IOException {
        FileChannel channel = create
                ? FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE)
                : FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
        try {
            FileLock lock = channel.tryLock();
            if (lock != null) {
                return channel;
            }
        } catch (OverlappingFileLockException e) {
            // held by this JVM already
        }
        channel.close();
        return null;
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> tree = Files.walk(dir)) {
            for (Path each : (Iterable<Path>) tree.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(each);
            }
        }
    }
}
