package io.onramp.gateway.store;

import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets H2 catch up with the journal. Once a second, when records were committed since the last time,
 * the writer syncs H2 between two groups ({@link GroupCommitWriter#syncH2()}), which covers every
 * record committed before it and advances the {@link SyncedMark}; the closed journal files holding
 * only such records are then deleted. The writes queued meanwhile wait for that sync (a few
 * milliseconds once a second). It ran on a connection and thread of its own until kill tests showed
 * H2 coming back without acknowledged writes its mark covered (5 of 141 runs, once a row its
 * primary-key index had lost) or stopping its start on a record it could not redo (4 runs: a row
 * lock that never came free, a device its index did not find); through the writer, no loss in 160
 * runs, but 3 starts still failed on a damaged index, until H2 wrote its pages only between the writer's
 * groups ({@link H2PageWrites}).
 * <p>
 * It also keeps H2's own file safe against power loss: H2 writes its pages in the background
 * without syncing them and reuses the space of chunks freed more than {@code RETENTION_TIME} (5 s)
 * ago, which is only safe while the chunks that replaced them are synced sooner than that.
 */
final class JournalCheckpoints implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(JournalCheckpoints.class);
    private static final long PERIOD_MILLIS = 1_000;

    private final Journal journal;
    private final Supplier<CompletionStage<Long>> syncThroughWriter;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "onramp-store-checkpoint");
        t.setDaemon(true);
        return t;
    });
    private long covered;

    /**
     * @param committed the number of the last record whose write H2 has committed (in memory), from the writer
     */
    JournalCheckpoints(Journal journal, Supplier<CompletionStage<Long>> syncThroughWriter, LongSupplier committed) {
        this.journal = journal;
        this.syncThroughWriter = syncThroughWriter;
        this.covered = committed.getAsLong();
        thread.scheduleWithFixedDelay(() -> checkpoint(committed.getAsLong()), PERIOD_MILLIS, PERIOD_MILLIS,
                TimeUnit.MILLISECONDS);
    }

    private void checkpoint(long committed) {
        if (committed == covered) {
            return;
        }
        try {
            long syncedUpTo = syncThroughWriter.get().toCompletableFuture().get(60, TimeUnit.SECONDS);
            covered = committed;
            journal.dropUpTo(Math.min(committed, syncedUpTo));
        } catch (Exception e) {
            LOG.warn("store: checkpoint failed; the journal keeps every record until one succeeds: {}", e.toString());
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
