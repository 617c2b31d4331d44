package io.onramp.gateway.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.onramp.gateway.provisioning.EnrollmentRef;
import io.onramp.gateway.provisioning.RegistrationRecord;
import io.onramp.gateway.provisioning.RegistrationStatus;
import io.onramp.gateway.support.CapturedLog;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatabaseTest {

    @TempDir
    Path dir;
    Vertx vertx = Vertx.vertx();

    @AfterEach
    void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void h2SharesNoValuesThroughItsCache() throws ClassNotFoundException {
        // Set by Database's class initializer, before H2 reads its settings; in the gateway Database is H2's first user.
        Class.forName(Database.class.getName());
        assertThat(System.getProperty("h2.objectCache")).isEqualTo("false");
    }

    @Test
    void concurrentWritesAreGroupedAndAllDurable() throws Exception {
        Database database = Database.openH2(vertx, dir);
        int writes = 2000;
        CompletableFuture<List<Boolean>> done = new CompletableFuture<>();
        Context context = vertx.getOrCreateContext();
        context.runOnContext(v -> {
            List<Future<Boolean>> all = new ArrayList<>();
            for (int i = 0; i < writes; i++) {
                int n = i;
                all.add(database.write(c -> insert(c, "dev-" + n))
                        // the answer comes back on the context that asked
                        .map(x -> Vertx.currentContext() == context));
            }
            Future.all(all).onSuccess(f -> done.complete(f.list())).onFailure(done::completeExceptionally);
        });

        assertThat(done.get(60, TimeUnit.SECONDS)).hasSize(writes).containsOnly(true);
        database.close();

        Database reopened = Database.openH2(vertx, dir);
        assertThat(reopened.read(DatabaseTest::count).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS))
                .isEqualTo(writes);
        reopened.close();
    }

    @Test
    void aFailingWriteDoesNotFailItsNeighbours() throws Exception {
        Database database = Database.openH2(vertx, dir);
        // Holds the writer until the writes below are queued, so that they are committed as one group.
        CountDownLatch queued = new CountDownLatch(1);
        Future<Integer> blocker = database.write(c -> {
            awaitQuietly(queued);
            return insert(c, "z");
        });
        Future<Integer> good1 = database.write(c -> insert(c, "a"));
        Future<Integer> duplicate = database.write(c -> insert(c, "a"));
        Future<Integer> good2 = database.write(c -> insert(c, "b"));
        Future<Integer> broken = database.write(c -> {
            throw new IllegalStateException("boom");
        });
        queued.countDown();

        assertThat(good1.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS)).isEqualTo(1);
        assertThat(good2.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS)).isEqualTo(1);
        assertThat(duplicate.toCompletionStage().toCompletableFuture().handle((v, e) -> e).get()).isNotNull();
        assertThat(broken.toCompletionStage().toCompletableFuture().handle((v, e) -> e).get())
                .hasMessageContaining("boom");
        assertThat(blocker.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS)).isEqualTo(1);
        // The group ran again with a savepoint per write; each good write is there exactly once.
        assertThat(database.read(DatabaseTest::count).toCompletionStage().toCompletableFuture().get()).isEqualTo(3);
        database.close();
    }

    @Test
    void aWriteThatThrowsAnErrorFailsAloneAndTheWriterLivesOn() throws Exception {
        // A LinkageError once killed the writer thread (a jar of another build on the classpath), and
        // every later write then waited forever: API calls hung with no error anywhere.
        Database database = Database.openH2(vertx, dir);
        Future<Integer> broken = database.write(c -> {
            throw new NoSuchMethodError("a changed constructor");
        });
        assertThat(broken.toCompletionStage().toCompletableFuture().handle((v, e) -> e).get(10, TimeUnit.SECONDS))
                .hasMessageContaining("a changed constructor");

        assertThat(database.write(c -> insert(c, "after")).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS))
                .isEqualTo(1);
        database.close();
    }

    @Test
    void aBackupHoldsEveryAcknowledgedWriteAndNoLaterOne() throws Exception {
        Database database = Database.openH2(vertx, dir.resolve("live"));
        List<Future<Integer>> writes = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            int n = i;
            writes.add(database.write(c -> insert(c, "dev-" + n)));
        }
        Future.all(writes).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        Path zip = dir.resolve("it's a backup.zip");
        // Writes go on while it is copied (H2 appends them after the copied length)
        CapturedLog log = CapturedLog.of(Database.class);
        Future<Void> backup = database.backupTo(zip);
        List<Future<Integer>> during = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            int n = i;
            during.add(database.write(c -> insert(c, "during-" + n)));
        }
        backup.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        log.close();
        assertThat(log.lines()).isEmpty(); // the copy beside the writer was kept, not replaced by H2's BACKUP
        Future.all(during).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        database.write(c -> insert(c, "later")).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertThat(database.read(DatabaseTest::count).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS))
                .isEqualTo(2_301);
        database.close();

        assertThat(Files.getPosixFilePermissions(zip)).isEqualTo(OwnerOnly.FILE);
        Path restored = dir.resolve("restored");
        Files.createDirectories(restored);
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            assertThat(in.getNextEntry().getName()).isEqualTo("onramp.mv.db");
            Files.copy(in, restored.resolve("onramp.mv.db"));
        }
        Database reopened = Database.openH2(vertx, restored);
        // Every write acknowledged before it; of those sent after, the ones committed before its moment came (it
        // waits for the group in progress); never the one written once it was done
        assertThat(reopened.read(c -> count(c, "dev-%")).toCompletionStage().toCompletableFuture()
                .get(10, TimeUnit.SECONDS)).isEqualTo(300);
        assertThat(reopened.read(c -> count(c, "later")).toCompletionStage().toCompletableFuture()
                .get(10, TimeUnit.SECONDS)).isZero();
        reopened.close();
    }

    /**
     * A journaled write H2 has written its pages for since (its periodic version, every 100 ms), with nothing left
     * unsaved when the backup comes: the backup holds it. A copy of the file taken beside a running H2, cut at its
     * length at a quiet moment, once restored without it (H2 found its newest chunk from a header older than it):
     * the copy is now marked by a row of its own, written at the file's end, and checked by H2 ({@link StoreCopy}).
     */
    @Test
    void aBackupHoldsAJournaledWriteH2WroteBeforeIt() throws Exception {
        Database database = Database.openH2(vertx, dir.resolve("quiet"));
        Instant now = Instant.parse("2026-11-29T18:00:00Z");
        database.write(new Redo.SaveRegistration(new RegistrationRecord("sensor-0042", EnrollmentRef.group("g"),
                "sensor-0042", "127.0.0.2", RegistrationStatus.ASSIGNED, RegistrationRecord.INITIAL_ASSIGNMENT, null,
                null, null, "\"e\"", now, now))).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        Thread.sleep(1_500); // H2's pages written, a checkpoint done: nothing unsaved
        Path zip = dir.resolve("quiet.zip");
        try (CapturedLog log = CapturedLog.of(Database.class)) {
            database.backupTo(zip).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            // the copy made beside the writer was kept: H2's BACKUP on the writer was not needed
            assertThat(log.lines()).isEmpty();
        }
        database.close();

        Path restored = dir.resolve("quiet-restored");
        Files.createDirectories(restored);
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            in.getNextEntry();
            Files.copy(in, restored.resolve("onramp.mv.db"));
        }
        Database reopened = Database.openH2(vertx, restored);
        assertThat(reopened.read(DatabaseTest::count).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS))
                .isEqualTo(1);
        reopened.close();
    }

    /**
     * A checkpoint syncs H2 off the writer and deletes the journal H2 then holds: a copy of the live files taken
     * after it (what a kill would leave) opens with every registration and redoes none of them.
     */
    @Test
    void aCheckpointLeavesH2HoldingEveryJournaledWriteAndDeletesTheirJournal() throws Exception {
        Path live = dir.resolve("live");
        Database database = Database.openH2(vertx, live, 16 * 1024); // small journal files: many of them
        Instant now = Instant.parse("2026-11-28T19:00:00Z");
        long last = 0;
        for (int batch = 0; batch < 20; batch++) { // 20 groups or more, each over 16 KB: a rotation after each
            List<Future<RegistrationRecord>> writes = new ArrayList<>();
            for (int i = batch * 50; i < (batch + 1) * 50; i++) {
                String id = "device-" + i;
                writes.add(database.write(new Redo.SaveRegistration(new RegistrationRecord(id, EnrollmentRef.group("g"),
                        id, "127.0.0.2", RegistrationStatus.ASSIGNED, RegistrationRecord.INITIAL_ASSIGNMENT, null, null,
                        null, "\"etag-" + id + "\"", now, now))));
            }
            Future.all(writes).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            last += writes.size();
        }
        Path journal = live.resolve("journal");

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while ((SyncedMark.read(journal).orElse(-1) < last || journalFiles(journal) > 1) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(SyncedMark.read(journal)).as("synced mark").hasValue(last);
        assertThat(journalFiles(journal)).as("journal files after a checkpoint").isEqualTo(1);
        assertThat(Journal.readAll(journal)).as("records left in the file being appended to: none of the first file's")
                .allSatisfy(entry -> assertThat(entry.number()).isGreaterThan(50));
        Path killed = dir.resolve("killed");
        copyDirectory(live, killed);
        database.close();

        Database reopened = Database.openH2(vertx, killed);
        try {
            assertThat(reopened.recoveredWrites()).as("writes redone from the journal").isZero();
            assertThat(reopened.read(DatabaseTest::count).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS))
                    .isEqualTo(1_000);
        } finally {
            reopened.close();
        }
    }

    private static long journalFiles(Path journal) throws IOException {
        try (Stream<Path> files = Files.list(journal)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".log")).count();
        }
    }

    private static void copyDirectory(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target);
                }
            }
        }
    }

    /** A registration row with only what the table requires: the store's tests' unit of write. */
    static int insert(java.sql.Connection c, String id) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO registrations (reg_key, registration_id,"
                + " enrollment_kind, enrollment_id, status, etag, created_ms, updated_ms) VALUES (?,?,'GROUP','g','assigned','e',0,0)")) {
            s.setString(1, id);
            s.setString(2, id);
            return s.executeUpdate();
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static int count(java.sql.Connection c) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT COUNT(*) FROM registrations"); ResultSet rs = s.executeQuery()) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /** The rows whose key is like {@code pattern}. */
    private static int count(java.sql.Connection c, String pattern) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT COUNT(*) FROM registrations WHERE reg_key LIKE ?")) {
            s.setString(1, pattern);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }
}
