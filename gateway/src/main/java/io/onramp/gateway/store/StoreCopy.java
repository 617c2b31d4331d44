package io.onramp.gateway.store;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.h2.mvstore.MVStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A copy of H2's file as it was at one moment, taken while H2 goes on writing, and kept only once H2 itself has
 * opened it and found that moment in it.
 *
 * <p>At the {@link #mark}, on the store's writer between two groups, H2 stops reusing space and a row naming this
 * backup is committed; H2 writes that version as a new chunk, which (no reuse) lands at the end of the file, and the
 * file's length and headers are noted. Until those bytes are copied (a second or two per GB) every byte before that
 * length stays as it was, H2 appending after it, so the copy is the file a stopped H2 would have had, ending with
 * the marked chunk.
 * Reading a file beside a running H2 is not something H2 vouches for (an earlier copy made without the marking row
 * opened, restored, at an older chunk than its newest), so the copy is opened with H2 before it is kept: it must
 * open and hold the row. The writer is held only for the mark; the copy, the check and the compression run beside.
 */
final class StoreCopy {

    private static final Logger LOG = LoggerFactory.getLogger(StoreCopy.class);

    /** H2's two file headers, rewritten in place as chunks are written. */
    private static final int HEADER_BYTES = 2 * 4096;
    static final String MARK_NAME = "backup";
    /** The mark's time, in milliseconds since the epoch. */
    static final String TAKEN_AT_NAME = "backup_taken_at";
    /** Left free for the store's own writes while a backup takes room beside it (a few 16 MB journal files). */
    static final long RESERVE_BYTES = 64L << 20;
    /** The name H2 gives the file, and the zip entry's (as H2's BACKUP names it, which restore expects). */
    static final String FILE_NAME = "onramp.mv.db";

    private final MVStore store;
    private final LiveStoreFile live;
    private final long length;
    private final byte[] header;
    private final long mark;
    private final long markedNanos;

    private StoreCopy(MVStore store, LiveStoreFile live, long length, byte[] header, long mark, long markedNanos) {
        this.store = store;
        this.live = live;
        this.length = length;
        this.header = header;
        this.mark = mark;
        this.markedNanos = markedNanos;
    }

    /**
     * On the store's writer, between two groups (no transaction open): stops space reuse, lets H2 finish what it
     * began to write (which may have reused space), commits the marking row, has H2 write that version and finish it,
     * then notes the file's length and headers. H2 does not reuse space until {@link #writeZip} has copied them.
     */
    static StoreCopy mark(Connection connection, LiveStoreFile live, Path zip, SqlWork<Void> writeChangedPages)
            throws SQLException {
        long started = System.nanoTime();
        MVStore store = H2PageWrites.store(connection);
        ensureRoom(store.getFileStore().size(), zip.toAbsolutePath().getParent());
        store.setReuseSpace(false);
        try {
            H2PageWrites.drain(connection);
            // Random, not the time: a clock set back could give an older backup's number, which an older chunk holds.
            long mark = ThreadLocalRandom.current().nextLong();
            StoreMarks.write(connection, MARK_NAME, mark);
            StoreMarks.write(connection, TAKEN_AT_NAME, System.currentTimeMillis()); // for restore to tell when
            connection.commit();
            writeChangedPages.run(connection);
            H2PageWrites.drain(connection);
            FileChannel in = live.channel();
            long length = in.size();
            ByteBuffer header = ByteBuffer.allocate((int) Math.min(HEADER_BYTES, length));
            while (header.hasRemaining() && in.read(header, header.position()) >= 0) {
                // positional reads until the headers are whole
            }
            return new StoreCopy(store, live, length, header.array(), mark, System.nanoTime() - started);
        } catch (IOException e) {
            store.setReuseSpace(true);
            throw new StoreException("cannot read the store's file for a backup: " + e.getMessage(), e);
        } catch (SQLException | RuntimeException e) {
            store.setReuseSpace(true);
            throw e;
        }
    }

    /** When the backup this store was restored from was taken; empty for a live store or an older backup. */
    static Optional<Instant> takenAt(Connection connection) throws SQLException {
        OptionalLong millis = StoreMarks.read(connection, TAKEN_AT_NAME);
        return millis.isPresent() ? Optional.of(Instant.ofEpochMilli(millis.getAsLong())) : Optional.empty();
    }

    /** Room for the uncompressed copy and its zip at once (the store's pages compress to about 30 %), and the reserve. */
    static long roomNeeded(long storeBytes) {
        return storeBytes + storeBytes / 2 + RESERVE_BYTES;
    }

    /**
     * Refuses a backup the disk has no room for: the uncompressed copy and the zip beside it would otherwise take the
     * room the store itself writes to, and H2 closes a store whose write fails (the gateway then stops).
     */
    static void ensureRoom(long storeBytes, Path dir) {
        long needed = roomNeeded(storeBytes);
        long usable;
        try {
            usable = Files.getFileStore(dir).getUsableSpace();
        } catch (IOException e) {
            throw new StoreException("cannot tell the room left in " + dir + " for a backup: " + e.getMessage(), e);
        }
        if (usable < needed) {
            throw new StoreException("not enough room in " + dir + " for a backup: it needs about " + megabytes(needed)
                    + " MB (a copy of the store's " + megabytes(storeBytes) + " MB file, its zip, and "
                    + megabytes(RESERVE_BYTES) + " MB left to the store) and " + (usable >> 20) + " MB are free");
        }
    }

    /**
     * Copies the marked bytes into a directory of its own beside {@code zip} (H2 may then reuse space again), opens
     * the copy with H2 and checks the mark, then compresses it into {@code zip}. Blocking; off the event loops and
     * the writer. Throws {@link StoreException} when the copy does not open or lacks the mark; nothing is left
     * behind but {@code zip}, as it was, in that case.
     */
    void writeZip(Path zip) throws IOException {
        Path dir = null;
        try {
            long started = System.nanoTime();
            try {
                dir = OwnerOnly.createTempDirectory(zip.toAbsolutePath().getParent(), DataDirectory.BACKUP_COPY_PREFIX);
                copyMarkedBytes(dir.resolve(FILE_NAME));
            } finally {
                store.setReuseSpace(true);
            }
            long copied = System.nanoTime();
            check(dir, mark);
            long checked = System.nanoTime();
            compress(dir.resolve(FILE_NAME), zip);
            LOG.info("backup: writes held {} ms for the mark; {} MB copied in {} ms, opened by H2 in {} ms, compressed"
                    + " into {} in {} ms", millis(markedNanos), megabytes(length), millis(copied - started),
                    millis(checked - copied), zip, millis(System.nanoTime() - checked));
        } finally {
            if (dir != null) {
                DataDirectory.deleteWithItsFiles(dir);
            }
        }
    }

    /** Rounded up: a store of a few KB is not "0 MB". */
    private static long megabytes(long bytes) {
        return (bytes + (1 << 20) - 1) >> 20;
    }

    private static long millis(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }

    private void copyMarkedBytes(Path copy) throws IOException {
        FileChannel in = live.channel();
        try (FileChannel out = FileChannel.open(copy, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            out.write(ByteBuffer.wrap(header));
            for (long position = header.length; position < length; ) {
                long copied = in.transferTo(position, length - position, out);
                if (copied <= 0) {
                    throw new IOException(live.path() + " ended at " + position + ", before the " + length
                            + " bytes marked");
                }
                position += copied;
            }
        }
    }

    /**
     * H2 opens the copy in {@code dir} (it redoes nothing of ours: the journal is not in it) and must find the
     * backup's row holding {@code mark}; a {@link StoreException} says why not.
     */
    static void check(Path dir, long mark) {
        // Read-only: H2 would otherwise sync the copy when it closes it, pushing its whole size to the disk at once
        // while the store's journal waits to sync behind it (a 0.5 s stall of every registration at 1.6 GB).
        String url = "jdbc:h2:file:" + dir.toAbsolutePath().resolve("onramp")
                + ";DB_CLOSE_ON_EXIT=FALSE;IFEXISTS=TRUE;ACCESS_MODE_DATA=r";
        try (Connection c = DriverManager.getConnection(url, "onramp", "")) {
            OptionalLong found = StoreMarks.read(c, MARK_NAME);
            if (found.isEmpty() || found.getAsLong() != mark) {
                throw new StoreException("the copy of the store opened at an older version than the backup's"
                        + " moment (H2 did not find its newest chunk)");
            }
        } catch (SQLException e) {
            throw new StoreException("the copy of the store does not open: " + e.getMessage(), e);
        }
    }

    private static void compress(Path copy, Path zip) throws IOException {
        try (OutputStream out = Files.newOutputStream(zip, StandardOpenOption.TRUNCATE_EXISTING);
                ZipOutputStream entries = new ZipOutputStream(out)) {
            // The fastest level: half the default's time (a core's 13 s against 26 s for 1.7 GB here) for a zip 6 %
            // larger, and the core it takes is one the devices' registrations share.
            entries.setLevel(Deflater.BEST_SPEED);
            entries.putNextEntry(new ZipEntry(FILE_NAME));
            Files.copy(copy, entries);
            entries.closeEntry();
        }
    }
}
