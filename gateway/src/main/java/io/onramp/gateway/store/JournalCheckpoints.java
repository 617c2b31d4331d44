package io.onramp.gateway.store;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * Lets H2 catch up with the journal. Once a second, when the writer has cut a version of H2's pages since the last
 * time ({@link GroupCommitWriter#inWrittenPages}), this thread waits until H2 has written it and syncs H2's file
 * ({@link H2PageWrites#syncWritten}): every record that version holds is then in H2's synced file, the {@link
 * SyncedMark} advances to it, and the closed journal files holding only such records are deleted. The writer goes
 * on meanwhile. Once the writer synced H2 itself between two groups and the writes queued meanwhile waited
 * 10-30 ms, once a second; before that, a checkpoint with a connection of its own that cut versions itself lost
 * acknowledged writes in kill tests (5 of 141 runs). This one cuts none: only the writer does, between groups.
 * <p>
 * It also keeps H2's own file safe against power loss: H2 writes its pages without syncing them and reuses the
 * space of chunks freed more than {@code RETENTION_TIME} (5 s) ago, which is only safe while the chunks that
 * replaced them are synced sooner than that.
 */
final class JournalCheckpoints implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(JournalCheckpoints.class);
    private static final long PERIOD_MILLIS = 1_000;

    private final Journal journal;
    private final SyncedMark synced;
    private final LongSupplier inWrittenPages;
    private final Runnable syncWrittenPages;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "onramp-store-checkpoint");
        t.setDaemon(true);
        return t;
    });
    private long covered;
    private final FailureEpisode failures = new FailureEpisode(LOG, Level.WARN, "store: checkpoint");

    /**
     * @param inWrittenPages the last record in the pages the writer had H2 write ({@link GroupCommitWriter#inWrittenPages})
     * @param syncWrittenPages waits for those pages to be written and syncs H2's file ({@link H2PageWrites#syncWritten})
     */
    JournalCheckpoints(Journal journal, SyncedMark synced, LongSupplier inWrittenPages, Runnable syncWrittenPages) {
        this.journal = journal;
        this.synced = synced;
        this.inWrittenPages = inWrittenPages;
        this.syncWrittenPages = syncWrittenPages;
        this.covered = inWrittenPages.getAsLong();
        thread.scheduleWithFixedDelay(this::checkpoint, PERIOD_MILLIS, PERIOD_MILLIS, TimeUnit.MILLISECONDS);
    }

    private void checkpoint() {
        long through = inWrittenPages.getAsLong();
        if (through == covered) {
            return;
        }
        try {
            syncWrittenPages.run();
            synced.advance(through);
            covered = through;
            journal.dropUpTo(through);
            failures.succeeded();
        } catch (Exception e) {
            failures.failed("; the journal keeps every record until one succeeds", e);
        }
    }

    @Override
    public void close() {
        thread.shutdown();
        try {
            thread.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
