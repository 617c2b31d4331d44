package io.onramp.gateway.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ch.qos.logback.classic.Level;
import io.onramp.gateway.support.CapturedLog;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A backup copied beside the running store: kept only once H2 opens it at its mark, and writes go on meanwhile. */
class StoreCopyTest {

    @TempDir
    Path dir;
    Vertx vertx = Vertx.vertx();

    @AfterEach
    void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void writesGoOnWhileTheBackupIsCopiedCheckedAndCompressed() throws Exception {
        Database database = Database.openH2(vertx, dir.resolve("live"));
        // Some megabytes of rows that do not compress to nothing: the copy, H2's check and the zip take a while
        List<Future<Integer>> rows = new ArrayList<>();
        for (int n = 0; n < 20_000; n++) {
            String id = "dev-" + n + "-" + Long.toHexString(ThreadLocalRandom.current().nextLong());
            rows.add(database.write(c -> DatabaseTest.insert(c, id)));
        }
        Future.all(rows).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);

        try (CapturedLog log = CapturedLog.of(Database.class)) {
            Future<Void> backup = database.backupTo(dir.resolve("backup.zip"));
            // WHEN writes come while the backup is under way
            int written = 0;
            while (!backup.isComplete()) {
                database.write(c -> DatabaseTest.insert(c, "during-" + ThreadLocalRandom.current().nextLong()))
                        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
                written++;
            }
            backup.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
            // THEN they were answered one after the other before it ended (H2's BACKUP on the writer held them all)
            assertThat(written).isGreaterThan(1);
            assertThat(log.lines()).noneMatch(line -> line.getLevel().isGreaterOrEqual(Level.WARN));
        }
        database.close();
        // AND nothing of the copy is left beside the zip
        try (var left = Files.list(dir)) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("live", "backup.zip");
        }
    }

    @Test
    void aCopyIsKeptOnlyWhenH2OpensItAtTheBackupsMark() throws Exception {
        Database database = Database.openH2(vertx, dir.resolve("live"));
        database.write(c -> DatabaseTest.insert(c, "sensor-0042")).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        database.backupTo(dir.resolve("backup.zip")).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        database.close();
        Path copy = unzip(dir.resolve("backup.zip"), dir.resolve("copy"));
        long mark = mark(copy);

        StoreCopy.check(copy, mark);
        assertThatThrownBy(() -> StoreCopy.check(copy, mark + 1)).isInstanceOf(StoreException.class)
                .hasMessageContaining("older version than the backup's moment");

        // A copy cut short (a file H2 was still appending to, say) is not kept either
        try (FileChannel file = FileChannel.open(copy.resolve(StoreCopy.FILE_NAME), StandardOpenOption.WRITE)) {
            file.truncate(file.size() / 2);
        }
        assertThatThrownBy(() -> StoreCopy.check(copy, mark)).isInstanceOf(StoreException.class);
    }

    @Test
    void aBackupAskedForWhileOneIsBeingMadeIsRefusedAndTheNextAfterItIsMade() throws Exception {
        Database database = Database.openH2(vertx, dir.resolve("live"));
        database.write(c -> DatabaseTest.insert(c, "sensor-0042")).toCompletionStage().toCompletableFuture()
                .get(10, TimeUnit.SECONDS);

        Future<Void> first = database.backupTo(dir.resolve("first.zip"));
        Future<Void> second = database.backupTo(dir.resolve("second.zip"));

        assertThat(second.failed()).isTrue();
        assertThat(second.cause()).isInstanceOf(BackupInProgressException.class);
        first.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        database.backupTo(dir.resolve("third.zip")).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        database.close();
        assertThat(mark(unzip(dir.resolve("third.zip"), dir.resolve("third")))).isNotEqualTo(
                mark(unzip(dir.resolve("first.zip"), dir.resolve("first"))));
    }

    /**
     * A copy that cannot be written (here: a directory where nothing new may be made, `chattr +i`, as root on
     * ext4; skipped elsewhere) fails the backup with the reason; H2's BACKUP is not made instead, since a disk that
     * refused the copy would be asked for the zip's room on the store's writer.
     */
    @Test
    void aCopyThatCannotBeWrittenFailsTheBackupWithoutHoldingTheWriter() throws Exception {
        Database database = Database.openH2(vertx, dir.resolve("live"));
        database.write(c -> DatabaseTest.insert(c, "sensor-0042")).toCompletionStage().toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        Path shut = Files.createDirectory(dir.resolve("shut"));
        Path zip = Files.createFile(shut.resolve("backup.zip"));
        assumeTrue(chattr("+i", shut), "needs chattr +i (root, ext4)");
        try (CapturedLog log = CapturedLog.of(Database.class)) {
            Future<Void> backup = database.backupTo(zip);
            Throwable failure = backup.toCompletionStage().toCompletableFuture().handle((v, e) -> e).get(30, TimeUnit.SECONDS);
            assertThat(failure).hasMessageContaining("the backup could not be written");
            assertThat(log.lines()).isEmpty(); // no fallback to H2's BACKUP
        } finally {
            chattr("-i", shut);
        }
        // The store goes on, and the next backup, where it may write, is made
        database.write(c -> DatabaseTest.insert(c, "sensor-0043")).toCompletionStage().toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        database.backupTo(dir.resolve("next.zip")).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        database.close();
    }

    private static boolean chattr(String change, Path dir) throws Exception {
        try {
            Process chattr = new ProcessBuilder("chattr", change, dir.toString()).redirectErrorStream(true).start();
            return chattr.waitFor(10, TimeUnit.SECONDS) && chattr.exitValue() == 0;
        } catch (java.io.IOException noChattr) {
            return false;
        }
    }

    @Test
    void aBackupTheDiskHasNoRoomForIsRefusedBeforeAByteIsWritten() throws Exception {
        long free = Files.getFileStore(dir).getUsableSpace();
        StoreCopy.ensureRoom(1 << 20, dir);
        assertThatThrownBy(() -> StoreCopy.ensureRoom(free, dir)).isInstanceOf(StoreException.class)
                .hasMessageContaining("not enough room in " + dir + " for a backup")
                .hasMessageContaining("MB are free");
        try (var left = Files.list(dir)) {
            assertThat(left).isEmpty();
        }
    }

    private static Path unzip(Path zip, Path into) throws Exception {
        Files.createDirectories(into);
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            assertThat(in.getNextEntry().getName()).isEqualTo(StoreCopy.FILE_NAME);
            Files.copy(in, into.resolve(StoreCopy.FILE_NAME));
        }
        return into;
    }

    private static long mark(Path copy) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + copy.resolve("onramp"), "onramp", "");
                PreparedStatement s = c.prepareStatement("SELECT number FROM store_marks WHERE name = 'backup'");
                ResultSet rs = s.executeQuery()) {
            assertThat(rs.next()).isTrue();
            return rs.getLong(1);
        }
    }
}
