package io.onramp.gateway.store;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.h2.mvstore.MVStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded store: an H2 file under the data directory, used through plain JDBC so that
 * PostgreSQL can take its place. Writes go through the {@link GroupCommitWriter}; reads run on a
 * small worker pool, each worker thread with its own connection. Nothing here runs on an event loop.
 * A registration's writes are journaled ({@link Redo}, {@link Journal}): on opening, the records H2
 * had not yet written when the last process ended are redone before anything else runs.
 */
public final class Database implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Database.class);

    private static final String H2_OBJECT_CACHE = "h2.objectCache";

    private static final int READERS = 4;

    static {
        // H2 hashes every string it is given, to share equal values through a cache (h2.objectCache): for a device
        // row with its twin, 5-6 % of the store writer's time, to share nothing, each device's values being its
        // own. Read when H2 first loads its settings, which this class is first to use; a -D given wins.
        if (System.getProperty(H2_OBJECT_CACHE) == null) {
            System.setProperty(H2_OBJECT_CACHE, "false");
        }
    }

    private final String url;
    private final WorkerExecutor readPool;
    /** One thread for the whole-table scans the start does not wait for: they leave the other core to what it does. */
    private final WorkerExecutor backgroundPool;
    private final GroupCommitWriter writer;
    private final Journal journal;
    private final JournalCheckpoints checkpoints;
    private final List<Connection> readConnections = new CopyOnWriteArrayList<>();
    private final ThreadLocal<Connection> readConnection = new ThreadLocal<>();
    private final int recoveredWrites;
    private final AtomicBoolean backingUp = new AtomicBoolean();
    private final LiveStoreFile liveFile;

    private Database(Vertx vertx, String url, Path journalDirectory, long rotateBytes) throws SQLException, IOException {
        this.url = url;
        Connection writeConnection = DriverManager.getConnection(url, "onramp", "");
        Schema.migrate(writeConnection);
        JournalReplay.Outcome replay = JournalReplay.run(writeConnection, journalDirectory);
        this.recoveredWrites = replay.redone();
        long last = replay.last();
        this.journal = Journal.openForAppend(journalDirectory, last);
        SyncedMark synced = new SyncedMark(journalDirectory, -1);
        synced.advance(last);
        journal.dropUpTo(last);
        MVStore h2 = H2PageWrites.store(writeConnection);
        this.liveFile = LiveStoreFile.open(Path.of(h2.getFileStore().getFileName()));
        this.writer = new GroupCommitWriter(vertx, writeConnection, H2PageWrites.sync(), H2PageWrites.betweenGroups(),
                journal, synced, rotateBytes, () -> whyClosed(h2));
        this.checkpoints = new JournalCheckpoints(journal, synced, writer::inWrittenPages,
                () -> H2PageWrites.syncWritten(h2));
        this.readPool = vertx.createSharedWorkerExecutor("onramp-store-read", READERS);
        this.backgroundPool = vertx.createSharedWorkerExecutor("onramp-store-background", 1);
    }

    /** Why H2 closed its store while we use it (the write that failed, a full disk say), or null while it is open. */
    static Throwable whyClosed(MVStore h2) {
        if (!h2.isClosed()) {
            return null;
        }
        Throwable panic = h2.getPanicException();
        return panic != null ? panic : new StoreException("H2 closed the store");
    }

    /** Opens (creating if needed) the H2 database in {@code dataDir}; blocking, call off the event loop. */
    public static Database openH2(Vertx vertx, Path dataDir) {
        return openH2(vertx, dataDir, GroupCommitWriter.ROTATE_BYTES);
    }

    /** With journal files of about {@code rotateBytes}: small ones let a test see many rotations. */
    static Database openH2(Vertx vertx, Path dataDir, long rotateBytes) {
        try {
            OwnerOnly.createDirectories(dataDir);
            // DB_CLOSE_ON_EXIT=FALSE: we close it ourselves after the writer has drained. WRITE_DELAY 2 s: the
            // writer has H2 write its pages every 100 ms between two of its groups (H2PageWrites); H2's background
            // thread does only if the writer has not for 2 s. Background compaction only below a 50 % fill rate: at
            // H2's default (90 %) it stalled the store while devices registered (2,166/s: p50 11 ms, p99 34-83 ms
            // against 3.4 ms and 10 ms); MAX_COMPACT_TIME compacts at shutdown.
            // RETENTION_TIME 5 s, not H2's 45 s: H2 keeps freed chunks that long in case the OS has not yet
            // flushed the newer ones, but H2 is synced at least once a second here (JournalCheckpoints). With 45 s,
            // 100,000 devices re-registering over and over took 1,087 MB of file; with 5 s (or 1 s), 219 MB,
            // at the same rate. Not 0: with no retention H2 can reuse blocks a chunk map still lists.
            String url = "jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("onramp")
                    + ";DB_CLOSE_ON_EXIT=FALSE;MAX_COMPACT_TIME=2000;AUTO_COMPACT_FILL_RATE=50;WRITE_DELAY=2000;RETENTION_TIME=5000";
            Database database = new Database(vertx, url, dataDir.resolve("journal"), rotateBytes);
            restrictH2Files(dataDir);
            return database;
        } catch (SQLException | IOException e) {
            throw new StoreException("cannot open the store in " + dataDir + ": " + e.getMessage(), e);
        }
    }

    /** H2 creates its files with the umask's mode; they hold every device's key. */
    private static void restrictH2Files(Path dataDir) throws IOException {
        try (Stream<Path> files = Files.list(dataDir)) {
            for (Path file : (Iterable<Path>) files.filter(Database::isH2File)::iterator) {
                OwnerOnly.restrict(file);
            }
        }
    }

    /** onramp.mv.db, onramp.trace.db, and H2's temporary files beside them; not a user's onramp.yaml. */
    static boolean isH2File(Path file) {
        return file.getFileName().toString().matches("onramp\\.[a-z]+\\.db.*");
    }

    /**
     * How many acknowledged writes opening the store redid from the journal, H2 not having had them for sure: more
     * than none only after a process that did not stop cleanly (killed, crashed, or the machine went down).
     */
    public int recoveredWrites() {
        return recoveredWrites;
    }

    /** Why writes fail now (the writer stopped, or its last commit failed), or null when the store is up. */
    public String problem() {
        return writer.problem();
    }

    /** Completes once H2 has closed the store itself after a failed write: see {@link GroupCommitWriter#broken}. */
    public Future<Throwable> broken() {
        return writer.broken();
    }

    /** Groups of writes whose commit failed since the start. */
    public long failedCommits() {
        return writer.failedCommits();
    }

    public <T> Future<T> write(SqlWork<T> work) {
        return writer.submit(work);
    }

    /** A journaled write: durable, and acknowledged, once its record is synced. */
    <T> Future<T> write(Redo<T> redo) {
        return writer.submit(redo);
    }

    /**
     * Writes a consistent copy of the store (a zip holding onramp.mv.db, as H2's BACKUP writes) to {@code zip}, mode
     * 600, replacing it: every write acknowledged before it, and no one's uncommitted rows. The writer is held only
     * for a mark between two groups ({@link StoreCopy}); the copy, H2's check of it and the compression run on a
     * thread of their own while writes go on, and need room for one uncompressed copy beside {@code zip} meanwhile.
     * Should the copy not open at its mark, H2's {@code BACKUP} runs on the writer instead, holding every write while
     * it copies and compresses the file (25 s for 1.8 million devices, 1.7 GB, on the 2-core development machine);
     * a copy or zip that could not be written fails the backup (H2's would need room too). A backup the disk has no
     * room for is refused before anything is written ({@link StoreCopy#ensureRoom}); one asked for while another is
     * being made fails with {@link BackupInProgressException}: a second would let H2 reuse space again under the
     * first's copy when it ends.
     */
    public Future<Void> backupTo(Path zip) {
        if (!backingUp.compareAndSet(false, true)) {
            return Future.failedFuture(new BackupInProgressException());
        }
        return backUp(zip).onComplete(done -> backingUp.set(false));
    }

    private Future<Void> backUp(Path zip) {
        return writer.submitBetweenGroups(connection -> {
            try {
                OwnerOnly.newWriter(zip).close(); // mode 600 before a byte of the store goes into it
            } catch (IOException e) {
                throw new StoreException("cannot create the backup file " + zip + ": " + e.getMessage(), e);
            }
            return StoreCopy.mark(connection, liveFile, zip, H2PageWrites.writeChangedPages());
        }).compose(copy -> backgroundPool.<Void>executeBlocking(() -> {
            copy.writeZip(zip);
            return null;
        }, false).recover(e -> {
            if (!(e instanceof StoreException)) {
                // The copy or the zip could not be written (a disk filling up, say): H2's BACKUP would need room too.
                return Future.failedFuture(new StoreException("the backup could not be written: " + e, e));
            }
            LOG.warn("backup: {}; H2's BACKUP is made instead, holding the store's writes until it is written",
                    e.getMessage());
            return backupOnTheWriter(zip);
        }));
    }

    /**
     * When the backup a store file was made by was taken (read through {@code connection}, any connection to that
     * file), or empty: a live store, or a backup of an Onramp before backups were marked.
     */
    public static Optional<Instant> backupTakenAt(Connection connection) throws SQLException {
        return StoreCopy.takenAt(connection);
    }

    /** H2's own BACKUP, between two groups; H2's pipeline drained first (BACKUP cuts a version: H2PageWrites). */
    private Future<Void> backupOnTheWriter(Path zip) {
        return writer.submitBetweenGroups(connection -> {
            H2PageWrites.drain(connection);
            try (Statement s = connection.createStatement()) {
                s.execute("BACKUP TO '" + zip.toAbsolutePath().toString().replace("'", "''") + "'");
            }
            return null;
        });
    }

    public <T> Future<T> read(SqlWork<T> work) {
        return readPool.executeBlocking(() -> work.run(readerConnection()), false);
    }

    /**
     * A read nothing waits for, which may scan whole tables (the key filters' loads, the start's check for hubs no
     * longer configured): one at a time, on a thread of their own. At a million devices the start's four scans on
     * the readers took both cores for 4-5 s, and the one the start waits for (the hubs' device counts) with them.
     */
    public <T> Future<T> readInBackground(SqlWork<T> work) {
        return backgroundPool.executeBlocking(() -> work.run(readerConnection()), false);
    }

    private Connection readerConnection() throws SQLException {
        Connection connection = readConnection.get();
        if (connection == null || connection.isClosed()) {
            connection = DriverManager.getConnection(url, "onramp", "");
            readConnection.set(connection);
            readConnections.add(connection);
        }
        return connection;
    }

    @Override
    public void close() {
        checkpoints.close();
        // A last sync of H2, drained by the writer's close: a clean stop leaves no journal record to redo, so
        // that a replay at the next start means the process did not stop cleanly (recoveredWrites).
        writer.syncH2();
        writer.close();
        try {
            journal.close();
        } catch (IOException e) {
            // H2's shutdown below writes everything the journal holds
        }
        readPool.close();
        backgroundPool.close();
        for (Connection connection : readConnections) {
            closeQuietly(connection);
        }
        try (Connection c = DriverManager.getConnection(url, "onramp", ""); Statement s = c.createStatement()) {
            s.execute("SHUTDOWN");
        } catch (SQLException e) {
            // already shut down
        }
        try {
            liveFile.close(); // after H2's own: see LiveStoreFile
        } catch (IOException e) {
            // a read-only descriptor: nothing to lose
        }
    }

    private static void closeQuietly(Connection connection) {
        try {
            connection.close();
        } catch (SQLException e) {
            // closing anyway
        }
    }
}
