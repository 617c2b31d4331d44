package io.onramp.gateway.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The number of the last journal record whose write H2 has synced to disk: by a checkpoint, or by the sync a
 * group with an unjournaled write waits for. A replay starts after it, not after H2's own mark ({@link
 * JournalMark}): in kill tests (5 of 141 runs) H2 came back with that mark covering a write it did not
 * show, so H2's state past its last sync is not trusted, and the records after this number are redone whether
 * H2 shows them or not ({@link Redo} records are idempotent). Kept as a small file beside the journal, written
 * to a temporary name, synced and renamed, so that a crash leaves the old number or the new one. A telemetry
 * outbox keeps the number of its last delivered record the same way, under another name.
 */
final class SyncedMark {

    private static final String NAME = "synced";

    private final Path file;
    private long number;

    SyncedMark(Path journalDirectory, long number) {
        this(journalDirectory, NAME, number);
    }

    /** A mark kept in {@code journalDirectory/name}. */
    SyncedMark(Path journalDirectory, String name, long number) {
        this.file = journalDirectory.resolve(name);
        this.number = number;
    }

    /** The number a replay starts after, or empty where no process ever wrote one (the data of an older release). */
    static OptionalLong read(Path journalDirectory) throws IOException {
        return read(journalDirectory, NAME);
    }

    /** The number in {@code journalDirectory/name}, or empty when there is no such file. */
    static OptionalLong read(Path journalDirectory, String name) throws IOException {
        Path file = journalDirectory.resolve(name);
        if (!Files.exists(file)) {
            return OptionalLong.empty();
        }
        String text = Files.readString(file, StandardCharsets.US_ASCII).strip();
        try {
            return OptionalLong.of(Long.parseLong(text));
        } catch (NumberFormatException e) {
            throw new StoreException("the mark " + file + " is not a number: '" + text + "'", e);
        }
    }

    /** Notes that every record up to {@code synced} is in H2's synced file; never goes back. */
    synchronized void advance(long synced) throws IOException {
        if (synced <= number) {
            return;
        }
        Path partial = file.resolveSibling(file.getFileName() + ".partial");
        try (FileChannel out = FileChannel.open(partial, Set.of(StandardOpenOption.CREATE,
                StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING), OwnerOnly.newFile(partial.getParent()))) {
            out.write(ByteBuffer.wrap((synced + "\n").getBytes(StandardCharsets.US_ASCII)));
            out.force(true);
        }
        Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        DirectorySync.sync(file.getParent());
        number = synced;
    }
}
