package io.onramp.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.onramp.gateway.store.DataDirectory;
import io.onramp.gateway.support.TestGateway;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The data directory holds every device's key in plain text (H2 file, journal): a real start makes it and the
 * store's files the owner's only, and tightens one an older Onramp left readable by everyone, saying so once.
 */
class DataDirectoryPermissionsIT {

    static final String ADDRESS = "127.0.0.250";

    @TempDir
    Path dir;

    @Test
    void aFirstStartMakesTheDataDirectoryAndItsFilesOwnerOnly() throws Exception {
        Path data = dir.resolve("data");

        try (TestGateway gateway = TestGateway.start(ADDRESS, data, "")) {
            assertThat(mode(data)).isEqualTo("rwx------");
            assertThat(mode(data.resolve("onramp.mv.db"))).isEqualTo("rw-------");
            assertThat(mode(data.resolve("journal"))).isEqualTo("rwx------");
            assertThat(entries(data.resolve("journal"))).isNotEmpty()
                    .allSatisfy(file -> assertThat(mode(file)).as(file.toString()).isEqualTo("rw-------"));
            assertThat(mode(data.resolve("tls"))).isEqualTo("rwx------");
            assertThat(entries(data.resolve("tls"))).filteredOn(f -> f.toString().contains("key")).isNotEmpty()
                    .allSatisfy(file -> assertThat(mode(file)).as(file.toString()).isEqualTo("rw-------"));
        }
    }

    @Test
    void aDataDirectoryAnOlderOnrampLeftOpenIsTightenedAtStartAndSaidOnce() throws Exception {
        Path data = dir.resolve("data");
        TestGateway gateway = TestGateway.start(ADDRESS, data, "");
        gateway.close();
        // GIVEN the modes an older Onramp left (umask 022), and a file of the operator's own in the directory
        setModeOfTree(data, "rwxr-xr-x", "rw-r--r--");
        Path notes = Files.writeString(data.resolve("notes.txt"), "the operator's");
        Files.setPosixFilePermissions(notes, PosixFilePermissions.fromString("rw-r--r--"));
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        Logger dataDirLog = (Logger) LoggerFactory.getLogger(DataDirectory.class);
        dataDirLog.addAppender(log);
        log.start();
        try {
            // WHEN it starts again, twice
            gateway.restart();
            gateway.restart();
        } finally {
            gateway.close();
            dataDirLog.detachAppender(log);
        }

        // THEN the store's files are the owner's only, the operator's file is left as it was, and one line said so
        assertThat(mode(data)).isEqualTo("rwx------");
        assertThat(mode(data.resolve("onramp.mv.db"))).isEqualTo("rw-------");
        assertThat(entries(data.resolve("journal"))).allSatisfy(f -> assertThat(mode(f)).startsWith("rw").endsWith("------"));
        assertThat(entries(data.resolve("tls"))).allSatisfy(f -> assertThat(mode(f)).isEqualTo("rw-------"));
        assertThat(mode(notes)).isEqualTo("rw-r--r--");
        assertThat(log.list).map(ILoggingEvent::getFormattedMessage).singleElement().asString()
                .startsWith("dataDir " + data + " was readable by other users (as older Onramp versions made it): it"
                        + " holds every device's key, so it is owner-only now (directories 700, files 600;");
    }

    private static String mode(Path path) {
        try {
            return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static List<Path> entries(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.toList();
        }
    }

    private static void setModeOfTree(Path root, String directories, String files) throws IOException {
        try (Stream<Path> tree = Files.walk(root)) {
            for (Path each : (Iterable<Path>) tree::iterator) {
                Files.setPosixFilePermissions(each, PosixFilePermissions.fromString(
                        Files.isDirectory(each) ? directories : files));
            }
        }
    }
}
