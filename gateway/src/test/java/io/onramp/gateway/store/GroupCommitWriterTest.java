package io.onramp.gateway.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.onramp.gateway.provisioning.EnrollmentRef;
import io.onramp.gateway.provisioning.RegistrationRecord;
import io.onramp.gateway.provisioning.RegistrationStatus;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.tx.Transaction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the writer runs between two groups (H2PageWrites in the gateway) runs often, and where no transaction is open. */
class GroupCommitWriterTest {

    @TempDir
    Path dir;
    Vertx vertx = Vertx.vertx();
    Connection connection;

    @BeforeEach
    void open() throws SQLException {
        // No background compaction: its versions would blur which versions the writer cut.
        connection = DriverManager.getConnection("jdbc:h2:file:" + dir.resolve("t").toAbsolutePath() + ";WRITE_DELAY=2000;AUTO_COMPACT_FILL_RATE=0",
                "sa", "");
        try (Statement s = connection.createStatement()) {
            s.execute("CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(20))");
        }
    }

    @AfterEach
    void close() throws Exception {
        connection.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void runsBetweenGroupsWhileWritesStreamAndWhenIdleNeverInsideATransaction() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        List<Integer> openWithChanges = new ArrayList<>();
        SqlWork<Void> probe = c -> {
            calls.incrementAndGet();
            openWithChanges.add((int) transactions(c).stream().filter(Transaction::hasChanges).count());
            return null;
        };
        GroupCommitWriter writer = writer(probe);
        List<Future<Integer>> writes = new ArrayList<>();
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(600);
        for (int i = 0; System.nanoTime() < end; i++) {
            int id = i;
            writes.add(writer.submit(c -> insert(c, id)));
            if (i % 50 == 0) {
                Thread.sleep(1);
            }
        }
        Future.all(writes).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        int whileWriting = calls.get();
        Thread.sleep(300); // idle: nothing queued
        writer.close();

        assertThat(whileWriting).as("calls while writes streamed, one per 20 ms").isGreaterThanOrEqualTo(5);
        assertThat(calls.get()).as("calls once idle too").isGreaterThan(whileWriting);
        assertThat(openWithChanges).as("transactions holding changes when it ran").containsOnly(0);
    }

    @Test
    void workSubmittedBetweenGroupsRunsWhereNoTransactionHoldsChangesAndFailsAlone() throws Exception {
        GroupCommitWriter writer = writer(c -> null);
        List<Future<Integer>> writes = new ArrayList<>();
        List<Future<Long>> probes = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            int id = i;
            writes.add(writer.submit(c -> insert(c, id)));
            if (i % 100 == 0) {
                probes.add(writer.submitBetweenGroups(c -> transactions(c).stream().filter(Transaction::hasChanges).count()));
            }
        }
        Future<Void> failing = writer.submitBetweenGroups(c -> {
            throw new SQLException("cannot mark");
        });
        Future.all(writes).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        for (Future<Long> probe : probes) {
            assertThat(probe.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS))
                    .as("transactions holding changes when it ran").isZero();
        }
        assertThat(failing.toCompletionStage().toCompletableFuture()).failsWithin(10, TimeUnit.SECONDS);
        assertThat(writer.submit(insertOf(5_000)).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS))
                .as("the writer goes on").isEqualTo(1);
        writer.close();
        assertThat(writer.submitBetweenGroups(c -> 1).toCompletionStage().toCompletableFuture())
                .as("closed").failsWithin(1, TimeUnit.SECONDS);
    }

    @Test
    void aFailureBetweenGroupsFailsNoWrite() throws Exception {
        GroupCommitWriter writer = writer(c -> {
            throw new SQLException("cannot write pages");
        });
        for (int i = 0; i < 20; i++) {
            assertThat(writer.submit(insertOf(i)).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS))
                    .isEqualTo(1);
            Thread.sleep(5);
        }
        writer.close();
    }

    /** What a checkpoint may sync and drop: the journaled writes committed before the last run between groups that did not fail. */
    @Test
    void theJournalInWrittenPagesIsWhatWasCommittedBeforeTheLastPageWrite() throws Exception {
        AtomicBoolean pageWritesFail = new AtomicBoolean();
        GroupCommitWriter writer = writer(c -> {
            if (pageWritesFail.get()) {
                throw new SQLException("cannot write pages");
            }
            return null;
        });
        Schema.migrate(connection);
        connection.commit();
        assertThat(writer.inWrittenPages()).as("at the start").isZero();
        saveRegistrations(writer, "a", 50);
        awaitInWrittenPages(writer, 50);
        assertThat(writer.inWrittenPages()).as("after the page write following 50 writes").isEqualTo(50);

        pageWritesFail.set(true);
        saveRegistrations(writer, "b", 50);
        Thread.sleep(200); // ten periods
        assertThat(writer.inWrittenPages()).as("while page writes fail").isEqualTo(50);

        pageWritesFail.set(false);
        awaitInWrittenPages(writer, 100);
        assertThat(writer.inWrittenPages()).as("once they succeed again").isEqualTo(100);
        writer.close();
    }

    private static void saveRegistrations(GroupCommitWriter writer, String prefix, int count) throws Exception {
        Instant now = Instant.parse("2026-11-28T19:00:00Z");
        List<Future<RegistrationRecord>> writes = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String id = prefix + "-" + i;
            writes.add(writer.submit(new Redo.SaveRegistration(new RegistrationRecord(id, EnrollmentRef.group("g"), id,
                    "127.0.0.2", RegistrationStatus.ASSIGNED, RegistrationRecord.INITIAL_ASSIGNMENT, null, null, null,
                    "\"etag-" + id + "\"", now, now))));
        }
        Future.all(writes).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static void awaitInWrittenPages(GroupCommitWriter writer, long number) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (writer.inWrittenPages() < number && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
    }

    @Test
    void eachWriteCompletesOnItsCallersContextInOrderAndAFailedOneFailsAlone() throws Exception {
        GroupCommitWriter writer = writer(c -> null);
        List<Context> contexts = List.of(vertx.getOrCreateContext(), vertx.getOrCreateContext());
        List<List<String>> outcomes = List.of(new CopyOnWriteArrayList<>(), new CopyOnWriteArrayList<>());
        CountDownLatch done = new CountDownLatch(20);
        for (int n = 0; n < 2; n++) {
            int caller = n;
            contexts.get(caller).runOnContext(v -> {
                for (int i = 0; i < 10; i++) {
                    int id = caller * 100 + i;
                    // The fifth write of each caller repeats a key: it fails, its neighbours do not.
                    writer.submit(insertOf(i == 4 ? id - 1 : id)).onComplete(result -> {
                        boolean onCaller = Vertx.currentContext() == contexts.get(caller);
                        outcomes.get(caller).add(id + (result.succeeded() ? " ok" : " failed") + (onCaller ? "" : " elsewhere"));
                        done.countDown();
                    });
                }
            });
        }
        assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
        writer.close();

        for (int caller = 0; caller < 2; caller++) {
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                expected.add((caller * 100 + i) + (i == 4 ? " failed" : " ok"));
            }
            assertThat(outcomes.get(caller)).containsExactlyElementsOf(expected);
        }
    }

    /**
     * H2 cuts a version itself, inside the transaction that is writing, once its unsaved pages pass its
     * autoCommitMemory; the writer writes them between two groups first, long before its period (an hour here) is
     * up. Journaled writes, as registrations are: they wait for no H2 sync, so nothing else writes H2's pages.
     */
    @Test
    void writesH2sPagesBetweenGroupsBeforeH2WouldInsideOne() throws Exception {
        Schema.migrate(connection);
        connection.commit();
        org.h2.mvstore.MVStore store = H2PageWrites.engineStore(connection).getMvStore();
        AtomicInteger pageWrites = new AtomicInteger();
        SqlWork<Void> counted = c -> {
            long before = store.getCurrentVersion();
            H2PageWrites.writeChangedPages().run(c);
            pageWrites.addAndGet((int) (store.getCurrentVersion() - before));
            return null;
        };
        GroupCommitWriter writer = writer(new BetweenGroups(counted, 3_600_000, H2PageWrites.piling()));
        long versionAtStart = store.getCurrentVersion();
        for (int group = 0; group < 80; group++) {
            saveRegistrations(writer, "device-" + group, 500);
        }
        writer.close();

        long versions = store.getCurrentVersion() - versionAtStart;
        assertThat(pageWrites.get()).as("the writer wrote H2's pages before its period was up").isGreaterThanOrEqualTo(3);
        assertThat(versions).as("versions cut, all of them by the writer between groups").isEqualTo(pageWrites.get());
    }

    private GroupCommitWriter writer(SqlWork<Void> betweenGroups) throws Exception {
        return writer(BetweenGroups.every(20, betweenGroups));
    }

    private GroupCommitWriter writer(BetweenGroups betweenGroups) throws Exception {
        Path journal = dir.resolve("journal");
        MVStore h2 = H2PageWrites.store(connection);
        return new GroupCommitWriter(vertx, connection, H2PageWrites.sync(), betweenGroups,
                Journal.openForAppend(journal, 0), new SyncedMark(journal, -1), 1 << 20,
                () -> Database.whyClosed(h2));
    }

    private static SqlWork<Integer> insertOf(int id) {
        return c -> insert(c, id);
    }

    private static int insert(Connection c, int id) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO t VALUES (?, 'x')")) {
            s.setInt(1, id);
            return s.executeUpdate();
        }
    }

    private static List<Transaction> transactions(Connection c) throws SQLException {
        return H2PageWrites.engineStore(c).getTransactionStore().getOpenTransactions();
    }
}
