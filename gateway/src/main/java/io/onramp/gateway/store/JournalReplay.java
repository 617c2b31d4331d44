package io.onramp.gateway.store;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Redoes, when the store opens, the journal's records that H2 does not hold ({@link JournalMark}),
 * in order and in one transaction, then syncs H2 so that none is needed again.
 */
final class JournalReplay {

    private static final Logger LOG = LoggerFactory.getLogger(JournalReplay.class);
    /**
     * A record that fails is tried again, alone, a few times: once in about forty kill tests a redo
     * right after H2's own crash recovery timed out on a row lock (H2 was still tidying up?). A record
     * that keeps failing stops the start, naming it: nothing acknowledged is dropped silently.
     */
    static final int ATTEMPTS = 5;
    private static final long PAUSE_MILLIS = 500;

    private JournalReplay() {}

    /** Returns the highest record number seen, which new records follow. */
    static long run(Connection c, Path journalDirectory) throws SQLException, IOException {
        c.setAutoCommit(false);
        long held = JournalMark.read(c);
        long last = held;
        int redone = 0;
        List<Journal.Entry> entries = Journal.readAll(journalDirectory);
        for (Journal.Entry entry : entries) {
            last = Math.max(last, entry.number());
            if (entry.number() > held) {
                redo(c, entry, journalDirectory);
                redone++;
            }
        }
        if (redone > 0) {
            JournalMark.write(c, last);
            c.commit();
            LOG.info("store: redid {} journal records H2 had not written", redone);
        }
        if (!entries.isEmpty()) {
            // The caller deletes these files next. What H2 shows after a killed process may still be only
            // in the OS's cache, so it is synced first, redone or not.
            GroupCommitWriter.h2Sync().run(c);
        }
        return last;
    }

    private static void redo(Connection c, Journal.Entry entry, Path journalDirectory) throws SQLException {
        Redo<?> redo;
        try {
            redo = Redo.decode(entry.payload());
        } catch (RuntimeException e) {
            c.rollback();
            throw new StoreException("cannot read journal record " + entry.number() + " in " + journalDirectory
                    + ": " + e.getMessage(), e);
        }
        for (int attempt = 1; ; attempt++) {
            Savepoint before = c.setSavepoint();
            try {
                redo.apply(c);
                c.releaseSavepoint(before);
                return;
            } catch (SQLException | RuntimeException e) {
                c.rollback(before);
                if (attempt == ATTEMPTS) {
                    c.rollback();
                    throw new StoreException("cannot redo journal record " + entry.number() + " in "
                            + journalDirectory + " (" + ATTEMPTS + " attempts): " + e.getMessage(), e);
                }
                LOG.warn("store: redoing journal record {} failed, trying again: {}", entry.number(), e.getMessage());
                pause();
            }
        }
    }

    private static void pause() {
        try {
            Thread.sleep(PAUSE_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
