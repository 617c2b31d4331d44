package io.onramp.gateway.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** A file's bytes forced to the disk survive a crash; its name in the directory does only once the directory is too. */
public final class DirectorySync {

    private DirectorySync() {}

    /** Makes the directory's entries (a new file, a rename) survive a crash. Blocking. */
    public static void sync(Path directory) throws IOException {
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        }
    }
}
