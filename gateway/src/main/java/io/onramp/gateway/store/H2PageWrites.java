package io.onramp.gateway.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.db.Store;

/**
 * Has H2 write its changed pages (an MVStore commit: a new chunk, not synced) from the store's writer between two
 * groups, where no transaction is open. H2's background thread would write them at any moment, also in the
 * middle of the writer's transaction, and after a {@code kill -9} H2's recovery of such a state now and then
 * left a row locked for ever or an index naming a row its table did not hold: 3 of 160 kill runs did not start
 * again with H2 2.3.232, 1 of 40 with 2.5.252 (its replay spun for ever); none of 270 with the writes here
 * (none of 120 with them on 2.3.232 either), and none of 150 with H2 writing at the end of every transaction
 * ({@code WRITE_DELAY=0}: no background thread, so no background compaction either, and a file 3.5 times larger
 * under re-registrations). Its background
 * thread still compacts the file ({@code AUTO_COMPACT_FILL_RATE}); its {@code WRITE_DELAY} is longer than this
 * period, so it writes pages only if the writer stops doing so for that long.
 */
final class H2PageWrites {

    /**
     * H2's threads serialize what changed since the last version in one burst on one core: at 4,150 registrations/s
     * every 500 ms (as often as H2's own thread wrote by default) that was 25 ms of a core's time, and registrations
     * arriving meanwhile shared the other; every 100 ms the bursts are a fifth as long. Fixed-rate bench runs
     * (10 rounds each) gave p99 medians of 8.3 / 8.8 / 9.2 ms against 10.3 / 13.1 ms at 500 ms, the serialization's
     * CPU per registration unchanged (10-12 us) and the file no larger (store churn bench: 123 MB against 144 MB).
     */
    static final long PERIOD_MILLIS = 100;

    private H2PageWrites() {
    }

    /**
     * Cuts a new version here, on the writer's thread where no transaction is open, and leaves it to H2's threads to
     * serialize and write: 10-50 ms of their work every 500 ms at 3,000 registrations/s, which the writer waited for
     * until it was the p99 of a registration. The version before is drained first ({@link #drain}), so that no
     * version is cut while another is on its way; a checkpoint waits for this one ({@link #syncWritten}).
     */
    static SqlWork<Void> writeChangedPages() {
        return connection -> {
            cutVersion(store(connection));
            return null;
        };
    }

    private static void cutVersion(MVStore store) {
        drain(store);
        // tryCommit cuts nothing while H2's housekeeping holds its store lock: commit then waits for the lock (and,
        // rarely, for the write), so that what the writer counts as handed over is.
        if (store.tryCommit() < 0 && store.hasUnsavedChanges()) {
            store.commit();
        }
    }

    /**
     * On any thread: waits until every version cut so far is written, then syncs H2's file, which then holds every
     * write those versions hold. H2's threads may meanwhile write a later version; the sync covers it or not.
     */
    static void syncWritten(MVStore store) {
        drain(store);
        store.sync();
    }

    /** Every {@link #PERIOD_MILLIS}, and sooner while H2's unsaved pages pile up ({@link #piling}). */
    static BetweenGroups betweenGroups() {
        return new BetweenGroups(writeChangedPages(), PERIOD_MILLIS, piling());
    }

    /**
     * True once H2's unsaved pages reach half of what makes H2 cut a version itself, in the middle of whatever
     * transaction is writing ({@code autoCommitMemory}, about 19 MB here). At 6,200 registrations/s on this
     * machine they reached 14 MB within the period; a faster one would get there, and a group adds about 1 MB.
     */
    static SqlWork<Boolean> piling() {
        return connection -> {
            MVStore store = store(connection);
            return store.getUnsavedMemory() > store.getAutoCommitMemory() / 2;
        };
    }

    /** Makes every version H2 has begun to write durable: drained, committed and synced ({@code CHECKPOINT SYNC}). */
    static SqlWork<Void> sync() {
        return connection -> {
            drain(store(connection));
            try (Statement s = connection.createStatement()) {
                s.execute("CHECKPOINT SYNC");
            }
            return null;
        };
    }

    /**
     * Waits until H2 has written every version it has begun to write. H2 2.5 pipelines a version: one thread
     * serializes it, another allocates and writes its chunk, and a chunk is listed in the layout of a later chunk
     * only if it was written before that one was serialized. A version cut while the previous one is still on its
     * way (ours with {@code tryCommit}, or H2's own when its unsaved pages pile up) leaves a newest chunk whose maps
     * point into a chunk its layout does not list: a process killed before H2 writes yet another chunk leaves a
     * file that does not open ("Chunk N not found"), or opens without tables. StoreCrashTest met it in 5 of 117
     * runs; a bare MVStore, a large {@code tryCommit} then a small {@code commit}, in 7 of 40 (none drained).
     * H2's own versions cut this way (its unsaved pages past three quarters or all of its autoCommitMemory) are
     * kept from happening by {@link #piling}.
     */
    private static void drain(MVStore store) {
        store.executeFilestoreOperation(() -> { });
    }

    /** {@link #drain} for work that cuts a version of its own, e.g. H2's {@code BACKUP} (Database.backupTo). */
    static void drain(Connection connection) throws SQLException {
        drain(store(connection));
    }

    static MVStore store(Connection connection) throws SQLException {
        return engineStore(connection).getMvStore();
    }

    /** H2's engine API: public, but not JDBC. The store is embedded H2 by construction (Database.openH2). */
    static Store engineStore(Connection connection) throws SQLException {
        SessionLocal session = (SessionLocal) connection.unwrap(JdbcConnection.class).getSession();
        return session.getDatabase().getStore();
    }
}
