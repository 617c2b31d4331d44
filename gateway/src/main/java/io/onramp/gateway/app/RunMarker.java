package io.onramp.gateway.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A file in the data directory while a gateway runs on it, removed when it stops cleanly: one found at start means
 * the previous run was killed, crashed, or the machine went down. Blocking file I/O: call off the event loop.
 */
final class RunMarker {

    private static final Logger LOG = LoggerFactory.getLogger(RunMarker.class);
    static final String FILE_NAME = "onramp.running";

    private final Path file;
    private boolean written;

    RunMarker(Path dataDir) {
        this.file = dataDir.resolve(FILE_NAME);
    }

    /** Whether a previous run left the marker (did not stop cleanly). */
    boolean leftByPreviousRun() {
        return Files.exists(file);
    }

    /** Marks the data directory as in use by this run; a failure is logged, not fatal: the marker only informs. */
    void write() {
        try {
            Files.writeString(file, ProcessHandle.current().pid() + "\n");
            written = true;
        } catch (IOException e) {
            LOG.debug("cannot write {}: {}", file, e.toString());
        }
    }

    /** Removes the marker this run wrote (never another process's, e.g. after a start refused on a data directory in use). */
    void remove() {
        if (!written) {
            return;
        }
        try {
            Files.deleteIfExists(file);
            written = false;
        } catch (IOException e) {
            LOG.debug("cannot remove {}: {}", file, e.toString());
        }
    }
}
