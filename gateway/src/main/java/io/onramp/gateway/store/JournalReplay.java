package io.onramp.gateway.store;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Redoes, when the store opens, the journal's records after H2's last sync ({@link SyncedMark}), in
 * order and in one transaction, then syncs H2 so that none is needed again. H2 may hold some of them
 * already (its own mark, {@link JournalMark}, says which it should): the records are idempotent, and
 * H2's state past its last sync is not trusted, since a killed H2 came back with that mark covering a
 * write it had lost. Data of a release without the synced mark replays from H2's mark.
 */
final class JournalReplay {

    private static final Logger LOG = LoggerFactory.getLogger(JournalReplay.class);
    /**
     * A record that fails is tried again, alone, a few times; one that keeps failing stops the start,
     * naming it, so that nothing acknowledged is dropped silently. While H2 wrote its pages in the
     * middle of the writer's transactions, about one kill test in 50 came back with a secondary index
     * naming a row its table did not hold ("Row not found in primary index", reported as a lock
     * timeout), on every later start too; none in 270 since ({@link H2PageWrites}).
     */
    private static final int ATTEMPTS = 5;
    /**
     * Redone records committed together, H2's pages written after each batch: as in the writer (H2PageWrites),
     * H2 must not write them in the middle of a transaction, which its background thread would do once the
     * replay had not written any for 2 s. A replay cut short starts over from the same synced mark.
     */
    private static final int BATCH = 1_000;
    private static final long PAUSE_MILLIS = 500;

    private JournalReplay() {}

    /**
     * What a replay did: {@code last}, the highest record number seen, which new records follow; {@code redone}, how
     * many acknowledged writes H2 may not have had, which only a process that did not stop cleanly leaves.
     */
    record Outcome(long last, int redone) {}

    static Outcome run(Connection c, Path journalDirectory) throws SQLException, IOException {
        c.setAutoCommit(false);
        long marked = JournalMark.read(c);
        long held = SyncedMark.read(journalDirectory).orElse(marked);
        long last = Math.max(held, marked);
        int redone = 0;
        int unmarked = 0;
        List<Journal.Entry> entries = Journal.readAll(journalDirectory);
        int toRedo = (int) entries.stream().filter(entry -> entry.number() > held).count();
        try (ReplayProgress progress = ReplayProgress.logged(toRedo)) {
            for (Journal.Entry entry : entries) {
                last = Math.max(last, entry.number());
                if (entry.number() > held) {
                    progress.redoing(entry.number());
                    redo(c, entry, journalDirectory, entries, held);
                    progress.redone();
                    redone++;
                    unmarked += entry.number() > marked ? 1 : 0;
                    if (redone % BATCH == 0) {
                        c.commit();
                        H2PageWrites.writeChangedPages().run(c);
                    }
                }
            }
        }
        if (redone > 0) {
            JournalMark.write(c, last);
            c.commit();
            // The operator is told by the gateway, in words (Database#recoveredWrites); the detail is for us.
            LOG.debug("store: redid {} journal records written after H2's last sync, {} of them past H2's own mark",
                    redone, unmarked);
        }
        if (!entries.isEmpty()) {
            // The caller deletes these files next. What H2 shows after a killed process may still be only
            // in the OS's cache, so it is synced first, redone or not.
            H2PageWrites.sync().run(c);
        }
        return new Outcome(last, redone);
    }

    private static void redo(Connection c, Journal.Entry entry, Path journalDirectory, List<Journal.Entry> entries,
            long held) throws SQLException {
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
                if (attempt == 1 && restoreLostDevice(c, redo, entries, held)) {
                    continue;
                }
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

    /**
     * Once in about 150 kill tests, H2 came back without a device row that a transaction it otherwise
     * kept had written (its mark covered the record; a later record of that device then failed). When
     * the device is missing and the journal still holds the records that made and patched it, they are
     * redone first, in order: the row and its patches went together, so nothing is applied twice.
     */
    private static boolean restoreLostDevice(Connection c, Redo<?> failed, List<Journal.Entry> entries, long held)
            throws SQLException {
        String[] device = failed.device();
        if (device == null || DeviceRows.find(c, device[0], device[1]).isPresent()) {
            return false;
        }
        List<Long> numbers = new ArrayList<>();
        List<Redo<?>> earlier = new ArrayList<>();
        for (Journal.Entry entry : entries) {
            if (entry.number() > held) {
                continue; // being redone now, not a record H2 claimed to hold
            }
            Redo<?> redo = Redo.decode(entry.payload());
            if (Arrays.equals(redo.device(), device)) {
                numbers.add(entry.number());
                earlier.add(redo);
            }
        }
        if (earlier.isEmpty() || !(earlier.get(0) instanceof Redo.ProvisionDevice)) {
            return false;
        }
        for (Redo<?> redo : earlier) {
            redo.apply(c);
        }
        LOG.warn("store: H2 had lost device {} of hub {}; redone from journal records {}", device[1], device[0],
                numbers);
        return true;
    }

    private static void pause() {
        try {
            Thread.sleep(PAUSE_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
