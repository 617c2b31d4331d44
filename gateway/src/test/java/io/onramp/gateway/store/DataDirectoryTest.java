package io.onramp.gateway.store;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * dataDir at start: in a directory every user shares (as /tmp) Onramp's files are tightened, the directory is not;
 * a backup a stopped gateway had not sent is deleted.
 */
class DataDirectoryTest {

    @TempDir
    Path dir;

    @Test
    void aStickyDirectoryLikeTmpKeepsItsModeWhileOnrampsOwnFilesInItAreTightened() throws Exception {
        // GIVEN a directory shared like /tmp (1777) holding an H2 file left readable by everyone and a user's file
        chmod("1777", dir);
        Path h2 = Files.writeString(dir.resolve("onramp.mv.db"), "keys");
        Files.setPosixFilePermissions(h2, PosixFilePermissions.fromString("rw-r--r--"));
        Path someoneElses = Files.writeString(dir.resolve("x11-lock"), "");
        Files.setPosixFilePermissions(someoneElses, PosixFilePermissions.fromString("rw-r--r--"));
        ListAppender<ILoggingEvent> log = capture();

        // WHEN it is prepared as dataDir
        try {
            DataDirectory.prepare(dir);
        } finally {
            ((Logger) LoggerFactory.getLogger(DataDirectory.class)).detachAppender(log);
        }

        // THEN the directory is still everyone's, sticky bit included, and only Onramp's file changed
        assertThat(Files.getAttribute(dir, "unix:mode")).isEqualTo(041777);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(h2))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(someoneElses))).isEqualTo("rw-r--r--");
        assertThat(log.list).map(ILoggingEvent::getFormattedMessage).singleElement().asString()
                .startsWith("dataDir " + dir + " is a directory other users share (sticky bit set, as on /tmp), so Onramp"
                        + " left its mode alone")
                .endsWith("e.g. dataDir: " + dir.resolve("onramp"));
    }

    @Test
    void aBackupAStoppedGatewayLeftIsDeletedAtTheNextStartAndNothingElse() throws Exception {
        Path left = DataDirectory.newBackupFile(dir);
        Files.writeString(left, "a whole copy of the store");
        Path copy = Files.createDirectory(dir.resolve(DataDirectory.BACKUP_COPY_PREFIX + "1234"));
        Files.writeString(copy.resolve("onramp.mv.db"), "its uncompressed copy");
        Path users = Files.writeString(dir.resolve("backup-of-mine.zip"), "the user's");

        DataDirectory.deleteUnfinishedBackups(dir);

        assertThat(left).doesNotExist();
        assertThat(copy).doesNotExist();
        assertThat(users).exists();
    }

    @Test
    void aFileSystemRootIsSharedByDesignAndAPlainDirectoryIsNot() throws Exception {
        assertThat(DataDirectory.sharedReason(Path.of("/"))).isEqualTo("a file system's root");
        assertThat(DataDirectory.sharedReason(dir)).isNull();
    }

    private static ListAppender<ILoggingEvent> capture() {
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        ((Logger) LoggerFactory.getLogger(DataDirectory.class)).addAppender(log);
        log.start();
        return log;
    }

    private static void chmod(String mode, Path path) throws IOException, InterruptedException {
        Process chmod = new ProcessBuilder("chmod", mode, path.toString()).inheritIO().start();
        assertThat(chmod.waitFor()).isZero();
    }
}
