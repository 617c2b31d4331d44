package io.onramp.gateway.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The gateway's one read-only descriptor of H2's live file, opened after H2 and closed after it: what a backup reads
 * the file through. Never a descriptor of its own per backup: H2 locks the file with a POSIX lock (what keeps a second
 * gateway off the dataDir, and {@code onramp restore} off a running store), and Linux drops every POSIX lock a
 * process holds on a file as soon as the process closes any descriptor of it. A backup that opened and closed one
 * left the running store unlocked (StoreLockIT).
 */
final class LiveStoreFile implements AutoCloseable {

    private final Path path;
    private final FileChannel channel;

    private LiveStoreFile(Path path, FileChannel channel) {
        this.path = path;
        this.channel = channel;
    }

    /** Once H2 has the file open (and locked). */
    static LiveStoreFile open(Path path) throws IOException {
        return new LiveStoreFile(path, FileChannel.open(path, StandardOpenOption.READ));
    }

    Path path() {
        return path;
    }

    /** Positional reads only: the channel's position is never moved, so backups one after another share it. */
    FileChannel channel() {
        return channel;
    }

    /** Once H2 has closed the file: its lock is gone by then, so closing this one drops nothing. */
    @Override
    public void close() throws IOException {
        channel.close();
    }
}
