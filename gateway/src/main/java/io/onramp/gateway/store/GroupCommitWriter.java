package io.onramp.gateway.store;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * The single writer of the store. Writes queue up while the previous group is being committed and
 * are then committed together, with one fsync for the whole group: an fsync costs 0.2-2 ms here, so
 * one per write would cap the gateway at a few hundred registrations per second. A write's future
 * completes only after its group is on disk (durable before acknowledged), on the caller's context:
 * for a journaled write ({@link Redo}) once its record is synced, for any other once H2 has synced.
 */
public final class GroupCommitWriter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(GroupCommitWriter.class);
    private static final int MAX_GROUP = 512;
    /** How long an idle writer waits for a write before it looks again at its period and at close(). */
    private static final long IDLE_POLL_MILLIS = 100;
    /** A journal file this large is closed: the next checkpoint deletes it; at most seconds of replay at a start. */
    static final long ROTATE_BYTES = 16L << 20;

    /** A write: {@code redo} when it is journaled, else null and the group is synced by H2 itself. */
    private record Job<T>(SqlWork<T> work, Redo<T> redo, Promise<T> promise, Context context) {
        /** Completes the write's future with its result, or fails it; on its context. */
        void settle(Object result, Throwable failure) {
            if (failure != null) {
                promise.fail(failure);
                return;
            }
            @SuppressWarnings("unchecked") T value = (T) result;
            promise.complete(value);
        }

        /** The journal record of this write, which gave {@code result}. */
        byte[] record(Object result) {
            @SuppressWarnings("unchecked") T value = (T) result;
            return redo.completed(value).encode();
        }
    }

    private final Vertx vertx;
    private final Connection connection;
    private final SqlWork<Void> sync;
    private final BetweenGroups betweenGroups;
    private final long betweenGroupsPeriodNanos;
    private long nextBetweenGroups = System.nanoTime();
    private final Journal journal;
    private final SyncedMark synced;
    private final long rotateBytes;
    /** The number of the last journal record whose write is committed in H2; the writer's thread only. */
    private long committed;
    /** The number of the last journal record whose write is in the pages H2 was given to write: what a checkpoint covers. */
    private volatile long inWrittenPages;
    private final BlockingQueue<Job<?>> queue = new LinkedBlockingQueue<>(100_000);
    /** Work that must run where no transaction is open ({@link #submitBetweenGroups}). */
    private final Queue<Job<?>> betweenGroupsWork = new ConcurrentLinkedQueue<>();
    /** Set once the writer's loop has ended: work added from then on is failed by whoever adds it. */
    private volatile boolean betweenGroupsClosed;
    private final Thread thread;
    private volatile boolean running = true;
    /** The last group's commit failure (a full disk, say), or null once a group commits again: for /health. */
    private volatile Throwable failing;
    private final LongAdder failedCommits = new LongAdder();
    private final FailureEpisode commitFailures = new FailureEpisode(LOG, Level.ERROR, "store writer: a group's commit");
    private final FailureEpisode pageWriteFailures = new FailureEpisode(LOG, Level.WARN,
            "store writer: writing H2's pages between two groups");
    private final FailureEpisode dueCheckFailures = new FailureEpisode(LOG, Level.WARN,
            "store writer: telling whether H2's pages are due before their period");
    /** Why H2 has closed the database itself, as it does when a write of its file fails; null while it is open. */
    private final Supplier<Throwable> closedByH2;
    private final Promise<Throwable> broken = Promise.promise();

    /**
     * {@code sync} makes what H2 committed durable; {@code betweenGroups} runs between two groups, where no
     * transaction is open ({@link H2PageWrites}); {@code closedByH2} tells why H2 has closed the database itself
     * after a failure, or answers null ({@link #broken}).
     */
    public GroupCommitWriter(Vertx vertx, Connection connection, SqlWork<Void> sync, BetweenGroups betweenGroups,
            Journal journal, SyncedMark synced, long rotateBytes, Supplier<Throwable> closedByH2) throws SQLException {
        this.vertx = vertx;
        this.closedByH2 = closedByH2;
        this.connection = connection;
        this.sync = sync;
        this.betweenGroups = betweenGroups;
        this.betweenGroupsPeriodNanos = TimeUnit.MILLISECONDS.toNanos(betweenGroups.periodMillis());
        this.journal = journal;
        this.synced = synced;
        this.rotateBytes = rotateBytes;
        this.committed = journal.nextNumber() - 1;
        this.inWrittenPages = committed;
        connection.setAutoCommit(false);
        thread = new Thread(this::loop, "onramp-store-writer");
        thread.setDaemon(true);
        thread.start();
    }

    /** Why the store cannot take writes now, or null: its writer stopped, or its last commit failed. */
    public String problem() {
        if (broken.future().isComplete()) {
            return "H2 closed the store after a failed write (" + innermost(broken.future().result())
                    + "): restart Onramp once the cause is mended";
        }
        if (!running || !thread.isAlive()) {
            return "the store is closed";
        }
        Throwable last = failing;
        return last == null ? null : "the store's last commit failed: " + last;
    }

    /**
     * Completes, with the failure, once H2 has closed the database itself after a write of its file failed (a full
     * disk, an I/O error): H2 does not open it again, so no write succeeds until the process starts again, and the
     * journal replays every acknowledged write then.
     */
    public Future<Throwable> broken() {
        return broken.future();
    }

    /** Groups whose commit failed since the start (each failed every write in it). */
    public long failedCommits() {
        return failedCommits.sum();
    }

    public <T> Future<T> submit(SqlWork<T> work) {
        return enqueue(work, null);
    }

    /**
     * Syncs H2 on the writer's thread, between two groups (a group with nothing to write but H2's sync): for a clean
     * close. Checkpoints sync off the writer ({@link #inWrittenPages}).
     */
    Future<Void> syncH2() {
        return enqueue(c -> null, null);
    }

    /**
     * The last journal record whose write is in a version of H2's pages the writer has cut between two groups, H2
     * writing it on its own threads: once those are written and synced ({@link H2PageWrites#syncWritten}), the
     * journal up to it may go. A checkpoint syncs there, off the writer: through it (a sync between two groups, as
     * it was) the writes queued meanwhile waited 10-30 ms once a second, the p99 of a registration. Kill tests
     * once lost acknowledged writes with a checkpoint of its own connection that cut versions itself (5 of 141
     * runs); this one cuts none.
     */
    long inWrittenPages() {
        return inWrittenPages;
    }

    /** A journaled write: acknowledged once its record is in the journal, before H2 writes its pages. */
    public <T> Future<T> submit(Redo<T> redo) {
        return enqueue(redo::apply, redo);
    }

    /**
     * Runs {@code work} on the writer between two groups, where no transaction is open (a backup's mark: a version H2
     * writes there holds no one's uncommitted rows), once the group in progress is committed, within the idle poll
     * (100 ms) otherwise. Whatever it leaves open is committed.
     */
    public <T> Future<T> submitBetweenGroups(SqlWork<T> work) {
        Promise<T> promise = Promise.promise();
        if (!running) {
            return Future.failedFuture(new StoreException("store is closed"));
        }
        Job<T> job = new Job<>(work, null, promise, vertx.getOrCreateContext());
        betweenGroupsWork.add(job);
        // Added after the loop's last look: no one else will take it (whoever removes it settles it).
        if (betweenGroupsClosed && betweenGroupsWork.remove(job)) {
            job.settle(null, new StoreException("store is closed"));
        }
        return promise.future();
    }

    private <T> Future<T> enqueue(SqlWork<T> work, Redo<T> redo) {
        Promise<T> promise = Promise.promise();
        Context context = vertx.getOrCreateContext();
        if (!running || !queue.offer(new Job<>(work, redo, promise, context))) {
            return Future.failedFuture(new StoreException("store is closed or overloaded"));
        }
        return promise.future();
    }

    private void loop() {
        List<Job<?>> group = new ArrayList<>(MAX_GROUP);
        // The loop only calls turn(): a loop that never returns is compiled by on-stack replacement, counted by its
        // back edges (one per group here), so the writer's loop reached the JIT's last tier minutes into a load, as
        // one large compile of everything it had inlined, in the middle of the bench's measured rounds. A method
        // called once per group is compiled within seconds, like any other.
        while ((running || !queue.isEmpty()) && turn(group)) {
            group.clear();
        }
        betweenGroupsClosed = true;
        for (Job<?> job; (job = betweenGroupsWork.poll()) != null; ) {
            job.settle(null, new StoreException("store is closed"));
        }
    }

    /** Commits the next group, if one comes, and runs what is due between groups; false once interrupted. */
    private boolean turn(List<Job<?>> group) {
        try {
            Job<?> first = queue.poll(IDLE_POLL_MILLIS, TimeUnit.MILLISECONDS);
            boolean due = false;
            if (first != null) {
                group.add(first);
                gather(group);
                commit(group);
                due = betweenGroupsDue();
            }
            runSubmittedBetweenGroups();
            if (due || System.nanoTime() - nextBetweenGroups >= 0) {
                runBetweenGroups();
                nextBetweenGroups = System.nanoTime() + betweenGroupsPeriodNanos;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (Throwable e) {
            // The loop must survive any one bad group (its jobs have been failed in commit()): a
            // dead writer would leave every later write waiting forever.
            LOG.error("store writer: unexpected failure", e);
        }
        return true;
    }

    /**
     * Takes what is queued behind the group's first write, without waiting for more: a journaled group
     * costs one small {@code fdatasync}, so waiting would only add latency. (Before the journal every
     * group rewrote about 60 KB of H2 pages, and a busy store waited up to 1 ms to fill its groups.)
     */
    private void gather(List<Job<?>> group) {
        queue.drainTo(group, MAX_GROUP - group.size());
    }

    /**
     * Commits a group. Most groups fail nowhere, so they run without savepoints (H2 parses each
     * uniquely named savepoint afresh: 8 % of the writer's time). When a job fails, the group is
     * rolled back and run again with a savepoint per job, so that it does not fail its neighbours;
     * running a job twice is safe because the first run left nothing behind.
     * <p>
     * Journaled writes are made durable by their records, synced before the commit makes them
     * visible to readers; the same transaction notes the last record's number in H2, so that a
     * replay after a crash redoes only what H2 had not yet written. A group with any other write
     * waits for H2's own sync (a page write of about 60 KB), as every group did before the journal.
     */
    private void commit(List<Job<?>> group) {
        Object[] results = new Object[group.size()];
        Throwable[] failures = new Throwable[group.size()];
        try {
            if (!runAll(group, results)) {
                connection.rollback();
                runEachUnderSavepoint(group, results, failures);
            }
            List<byte[]> records = new ArrayList<>(group.size());
            boolean unjournaled = false;
            for (int i = 0; i < group.size(); i++) {
                if (failures[i] == null && group.get(i).redo() != null) {
                    records.add(group.get(i).record(results[i]));
                } else if (failures[i] == null) {
                    unjournaled = true;
                }
            }
            long last = journal.nextNumber() - 1;
            if (!records.isEmpty()) {
                last += records.size();
                JournalMark.write(connection, last);
                journal.append(records);
            }
            // Should the commit itself fail after the append, the records are replayed at the next start:
            // the writes were reported failed, but happen. H2 failing a commit leaves no better choice.
            connection.commit();
            committed = last;
            failing = null;
            commitFailures.succeeded();
            if (unjournaled) {
                sync.run(connection);
                advanceSyncedMark(last);
            }
        } catch (Throwable e) {
            commitFailures.failed(" (" + group.size() + " writes failed)", e);
            brokenByH2();
            failing = e;
            failedCommits.increment();
            try {
                connection.rollback();
            } catch (SQLException rollbackFailure) {
                e.addSuppressed(rollbackFailure);
            }
            Arrays.fill(failures, new StoreException("commit failed", e));
            settle(group, new Object[group.size()], failures);
            return;
        }
        settle(group, results, failures);
        rotateWhenFull();
    }

    /**
     * Completes the group's futures on their callers' contexts, one task per context for the whole group, each in
     * group order. A task per write woke an event loop once per write, though a registration's two writes come from
     * one context and usually share a group.
     */
    private static void settle(List<Job<?>> group, Object[] results, Throwable[] failures) {
        Map<Context, List<Runnable>> byContext = new IdentityHashMap<>();
        for (int i = 0; i < group.size(); i++) {
            Job<?> job = group.get(i);
            Object result = results[i];
            Throwable failure = failures[i];
            byContext.computeIfAbsent(job.context(), c -> new ArrayList<>()).add(() -> job.settle(result, failure));
        }
        byContext.forEach((context, settles) -> context.runOnContext(v -> settles.forEach(GroupCommitWriter::runEach)));
    }

    /** One completion's listener failing must not keep the group's later futures waiting. */
    private static void runEach(Runnable settle) {
        try {
            settle.run();
        } catch (RuntimeException e) {
            LOG.error("store writer: completing a write's future failed", e);
        }
    }

    private boolean betweenGroupsDue() {
        try {
            boolean due = betweenGroups.due().run(connection);
            dueCheckFailures.succeeded();
            return due;
        } catch (Exception e) {
            dueCheckFailures.failed("", e);
            brokenByH2();
            return false;
        }
    }

    /** Fails no write: what it did not write now, the next time or the next sync does. */
    private void runBetweenGroups() {
        try {
            long last = committed;
            betweenGroups.work().run(connection);
            inWrittenPages = last;
            pageWriteFailures.succeeded();
        } catch (Exception e) {
            pageWriteFailures.failed("", e);
            brokenByH2();
        }
    }

    private void runSubmittedBetweenGroups() {
        for (Job<?> job; (job = betweenGroupsWork.poll()) != null; ) {
            Object result = null;
            Throwable failure = null;
            try {
                result = job.work().run(connection);
                connection.commit();
            } catch (Throwable e) {
                failure = e;
                try {
                    connection.rollback();
                } catch (SQLException rollbackFailure) {
                    e.addSuppressed(rollbackFailure);
                }
            }
            settle(List.of(job), new Object[] {result}, new Throwable[] {failure});
        }
    }

    /** After a failure: if H2 has closed the database, says so once, in words, and completes {@link #broken}. */
    private void brokenByH2() {
        Throwable why = broken.future().isComplete() ? null : closedByH2.get();
        if (why == null) {
            return;
        }
        LOG.error("store: H2 closed the database after a failed write ({}); no write can succeed until Onramp starts "
                + "again, and every acknowledged write is in the journal for that start", innermost(why));
        broken.tryComplete(why);
    }

    /** The innermost cause's own words: "No space left on device", not H2's wrapping of it. */
    private static String innermost(Throwable failure) {
        Throwable cause = failure;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause.getMessage() == null ? cause.toString() : cause.getMessage();
    }

    /** The writes are committed and synced whatever becomes of the mark: an old one only makes a replay longer. */
    private void advanceSyncedMark(long last) {
        try {
            synced.advance(last);
        } catch (IOException e) {
            LOG.warn("store writer: cannot note H2's sync in the journal directory; a replay would start earlier", e);
        }
    }

    /** A full journal file is closed, for the checkpoints to delete once H2 holds all of it. */
    private void rotateWhenFull() {
        try {
            if (journal.currentSize() >= rotateBytes) {
                journal.rotate();
            }
        } catch (IOException e) {
            LOG.error("store writer: cannot rotate the journal; appending on to the current file", e);
        }
    }

    /** Runs every job in one go; false as soon as one fails (the transaction must then be rolled back). */
    private boolean runAll(List<Job<?>> group, Object[] results) {
        for (int i = 0; i < group.size(); i++) {
            try {
                results[i] = group.get(i).work().run(connection);
            } catch (Throwable e) {
                return false;
            }
        }
        return true;
    }

    private void runEachUnderSavepoint(List<Job<?>> group, Object[] results, Throwable[] failures)
            throws SQLException {
        for (int i = 0; i < group.size(); i++) {
            Savepoint savepoint = connection.setSavepoint();
            try {
                results[i] = group.get(i).work().run(connection);
                connection.releaseSavepoint(savepoint);
            } catch (Throwable e) {
                // Errors too (a LinkageError from a mixed-up classpath, a StackOverflowError): the job
                // fails, the writer lives on.
                connection.rollback(savepoint);
                results[i] = null;
                failures[i] = e;
            }
        }
    }

    /** Drains what is queued, then stops. */
    @Override
    public void close() {
        running = false;
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
