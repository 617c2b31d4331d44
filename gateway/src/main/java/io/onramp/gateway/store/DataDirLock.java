package io.onramp.gateway.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One gateway per dataDir: a lock on {@code dataDir/onramp.lock}, taken first at start and held until the stop. H2's
 * lock on its file keeps a second gateway off the store as well, but only from the store's opening on, and a second
 * start did its other work in the directory before that (the run marker, the self-made TLS material, leftovers).
 * The file is opened here alone and once per process: Linux drops a process's POSIX locks on a file when the process
 * closes any descriptor of it (see LiveStoreFile), so a second gateway of this JVM is told by {@link #HELD} instead.
 */
public final class DataDirLock implements AutoCloseable {

    static final String FILE_NAME = "onramp.lock";
    private static final Set<Path> HELD = ConcurrentHashMap.newKeySet();

    private final Path file;
    private final FileChannel channel;

    private DataDirLock(Path file, FileChannel channel) {
        this.file = file;
        this.channel = channel;
    }

    /** A gateway's dataDir already in use by another one, in this process or another. */
    public static final class InUseException extends RuntimeException {
        InUseException(Path dataDir) {
            super(message(dataDir));
        }

        /** Also for H2's refusal of a store another process has open: the same situation, the same words. */
        public static String message(Path dataDir) {
            return "the data directory " + dataDir + " is in use by another Onramp (or was not released yet); stop it"
                    + " first, or give this one another dataDir";
        }
    }

    /**
     * Blocking; {@code dataDir} must exist.
     *
     * @throws InUseException when another gateway holds it
     */
    public static DataDirLock take(Path dataDir) throws IOException {
        Path file = dataDir.toRealPath().resolve(FILE_NAME);
        if (!HELD.add(file)) {
            throw new InUseException(dataDir);
        }
        try {
            FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                channel.close(); // another process's lock: this process held none on the file to drop
                throw new InUseException(dataDir);
            }
            return new DataDirLock(file, channel);
        } catch (IOException | RuntimeException e) {
            HELD.remove(file);
            throw e;
        }
    }

    /** At the stop, once the store is closed. */
    @Override
    public void close() throws IOException {
        try {
            channel.close();
        } finally {
            HELD.remove(file);
        }
    }
}
