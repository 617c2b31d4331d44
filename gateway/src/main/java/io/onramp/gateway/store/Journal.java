package io.onramp.gateway.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * The store's redo journal: numbered records appended to files under {@code dataDir/journal}, each
 * group of them made durable by one synchronous write ({@code O_DSYNC}). A file is named after its
 * first record's number; a record is {@code [length][number][CRC-32C of number and payload][payload]}. Reading
 * stops at the first record that is incomplete or fails its checksum: the tail a crash can leave
 * behind, never acknowledged. Used by the store's single writer thread, and by the checkpointer to
 * drop files H2 has made redundant, hence the synchronized methods. A hub's upstream outbox is one too
 * ({@link TelemetryOutbox}), read back a range at a time.
 */
final class Journal implements AutoCloseable {

    /** A record as read back: its number and payload. */
    record Entry(long number, byte[] payload) {}

    private static final int HEADER = Integer.BYTES + Long.BYTES + Integer.BYTES;
    /** Larger records are refused: a registration's record is under 2 KB, a full twin about 100 KB. */
    static final int MAX_PAYLOAD = 4 << 20;
    private static final String PREFIX = "journal-";
    private static final String SUFFIX = ".log";

    private final Path directory;
    private final CRC32C crc = new CRC32C();
    private ByteBuffer buffer = ByteBuffer.allocateDirect(64 * 1024);
    private FileChannel current;
    /** Volatile: {@link #dropUpTo} reads it without the lock. */
    private volatile Path currentPath;
    private long nextNumber;
    private boolean broken;

    private Journal(Path directory, long nextNumber) {
        this.directory = directory;
        this.nextNumber = nextNumber;
    }

    /** Opens the journal for appending after {@code lastNumber}, in a new file; older files stay for {@link #dropUpTo}. */
    static Journal openForAppend(Path directory, long lastNumber) throws IOException {
        OwnerOnly.createDirectories(directory);
        Journal journal = new Journal(directory, lastNumber + 1);
        journal.startFile();
        return journal;
    }

    /** Every readable record of every file in {@code directory}, in number order. */
    static List<Entry> readAll(Path directory) throws IOException {
        List<Entry> entries = new ArrayList<>();
        for (Path file : files(directory)) {
            readFile(file, entries);
        }
        return entries;
    }

    /**
     * The readable records numbered {@code from} to {@code to}, in order, from the file holding {@code from} on,
     * stopping after the file in which they pass {@code maxBytes} of payload: the way to page through a journal too
     * large to read at once.
     */
    static List<Entry> readRange(Path directory, long from, long to, long maxBytes) throws IOException {
        List<Path> files = files(directory);
        List<Entry> entries = new ArrayList<>();
        long bytes = 0;
        for (int i = 0; i < files.size() && bytes < maxBytes; i++) {
            boolean holdsFrom = i + 1 == files.size() || firstNumber(files.get(i + 1)) > from;
            if (!holdsFrom || firstNumber(files.get(i)) > to) {
                continue;
            }
            List<Entry> read = new ArrayList<>();
            readFile(files.get(i), read);
            for (Entry entry : read) {
                if (entry.number() >= from && entry.number() <= to) {
                    entries.add(entry);
                    bytes += entry.payload().length;
                }
            }
        }
        return entries;
    }

    /** The number the next appended record gets. */
    synchronized long nextNumber() {
        return nextNumber;
    }

    /**
     * Appends the payloads as records numbered from {@link #nextNumber()}, on disk when this returns.
     * On failure the file is cut back to where it was, so no half group stays behind; should that fail
     * too, every later append fails.
     */
    synchronized long append(List<byte[]> payloads) throws IOException {
        if (broken) {
            throw new IOException("the journal could not be cut back after a failed write; restart Onramp");
        }
        long position = current.position();
        try {
            buffer.clear();
            long number = nextNumber;
            for (byte[] payload : payloads) {
                if (payload.length > MAX_PAYLOAD) {
                    throw new IOException("journal record of " + payload.length + " bytes is over the limit");
                }
                ensureRoom(HEADER + payload.length);
                crc.reset();
                crc.update(longBytes(number));
                crc.update(payload);
                buffer.putInt(payload.length).putLong(number).putInt((int) crc.getValue()).put(payload);
                number++;
            }
            buffer.flip();
            while (buffer.hasRemaining()) {
                current.write(buffer); // synced before it returns (DSYNC)
            }
            nextNumber = number;
            return number - 1;
        } catch (IOException e) {
            try {
                current.truncate(position);
                current.position(position);
            } catch (IOException cutFailed) {
                // Records appended after a half-written group would be unreadable at the next start, where
                // reading stops at the tear: better no journaled write at all until a restart.
                broken = true;
                e.addSuppressed(cutFailed);
            }
            throw e;
        }
    }

    /** Bytes in the current file. */
    synchronized long currentSize() throws IOException {
        return current.position();
    }

    /** Closes the current file and starts the next. */
    synchronized void rotate() throws IOException {
        current.close();
        startFile();
    }

    /**
     * Deletes the closed files whose every record is numbered at most {@code number}. Not under the journal's lock:
     * deleting a 16 MB file took up to 12 ms here, which appends (the writer's every group) waited for. A file
     * closed by a rotation meanwhile is deleted only if its records are covered too; the file being appended to is
     * the last one, never deleted.
     */
    void dropUpTo(long number) throws IOException {
        List<Path> files = files(directory);
        for (int i = 0; i + 1 < files.size(); i++) {
            long nextFirst = firstNumber(files.get(i + 1));
            if (files.get(i).equals(currentPath) || nextFirst - 1 > number) {
                return;
            }
            Files.deleteIfExists(files.get(i));
        }
    }

    @Override
    public synchronized void close() throws IOException {
        current.close();
    }

    private void startFile() throws IOException {
        currentPath = directory.resolve(String.format("%s%020d%s", PREFIX, nextNumber, SUFFIX));
        // DSYNC: each write returns once its data (and the file size) is on disk, like write + fdatasync, in one
        // system call: 52-54 µs of CPU per group here against 70-71.
        current = FileChannel.open(currentPath, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.DSYNC), OwnerOnly.newFile(directory));
        // The new file's directory entry must survive a crash too: records in it are acknowledged.
        DirectorySync.sync(directory);
    }

    private void ensureRoom(int bytes) {
        if (buffer.remaining() < bytes) {
            ByteBuffer larger = ByteBuffer.allocateDirect(Math.max(buffer.capacity() * 2, buffer.position() + bytes));
            buffer.flip();
            larger.put(buffer);
            buffer = larger;
        }
    }

    private static List<Path> files(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> listing = Files.list(directory)) {
            return listing.filter(p -> p.getFileName().toString().startsWith(PREFIX)
                            && p.getFileName().toString().endsWith(SUFFIX))
                    .sorted() // zero-padded numbers: name order is number order
                    .toList();
        }
    }

    private static long firstNumber(Path file) {
        String name = file.getFileName().toString();
        return Long.parseLong(name.substring(PREFIX.length(), name.length() - SUFFIX.length()));
    }

    private static void readFile(Path file, List<Entry> into) throws IOException {
        ByteBuffer data = ByteBuffer.wrap(Files.readAllBytes(file));
        CRC32C check = new CRC32C();
        while (data.remaining() >= HEADER) {
            int length = data.getInt();
            long number = data.getLong();
            int sum = data.getInt();
            if (length < 0 || length > MAX_PAYLOAD || length > data.remaining()) {
                return;
            }
            byte[] payload = new byte[length];
            data.get(payload);
            check.reset();
            check.update(longBytes(number));
            check.update(payload);
            if ((int) check.getValue() != sum) {
                return;
            }
            into.add(new Entry(number, payload));
        }
    }

    private static byte[] longBytes(long value) {
        return ByteBuffer.allocate(Long.BYTES).putLong(value).array();
    }
}
