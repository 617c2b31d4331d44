package io.onramp.gateway.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets H2 catch up with the journal off the writer's thread. Once a second, when records were
 * committed since the last time, a checkpoint on its own connection writes and syncs every page H2
 * holds in memory, which covers every record committed before it started; the closed journal files
 * holding only such records are then deleted. Registrations never wait for it.
 * <p>
 * It also keeps H2's own file safe against power loss: H2 writes its pages in the background
 * without syncing them and reuses the space of chunks freed more than {@code RETENTION_TIME} (5 s)
 * ago, which is only safe while the chunks that replaced them are synced sooner than that.
 */
final class JournalCheckpoints implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(JournalCheckpoints.class);
    private static final long PERIOD_MILLIS = 1_000;

    private final Journal journal;
    private final Connection connection;
    private final SqlWork<Void> sync;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "onramp-store-checkpoint");
        t.setDaemon(true);
        return t;
    });
    private long covered;

    /**
     * @param committed the number of the last record whose write H2 has committed (in memory), from the writer
     */
    JournalCheckpoints(Journal journal, Connection connection, SqlWork<Void> sync, LongSupplier committed) {
        this.journal = journal;
        this.connection = connection;
        this.sync = sync;
        this.covered = committed.getAsLong();
        thread.scheduleWithFixedDelay(() -> checkpoint(committed.getAsLong()), PERIOD_MILLIS, PERIOD_MILLIS,
                TimeUnit.MILLISECONDS);
    }

    private void checkpoint(long committed) {
        if (committed == covered) {
            return;
        }
        try {
            sync.run(connection);
            covered = committed;
            journal.dropUpTo(committed);
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
        try {
            connection.close();
        } catch (SQLException e) {
            // closing anyway
        }
    }
}
