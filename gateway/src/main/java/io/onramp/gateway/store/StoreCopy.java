package io.onramp.gateway.store;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.h2.mvstore.MVStore;

/**
 * A copy of H2's file as it was at one moment, taken while H2 goes on writing: from {@link #mark} until the copy is
 * written H2 does not reuse space, so every byte before the marked length stays as it was (new chunks are appended
 * after it), and the header H2 rewrites in place is taken at the mark. The copy is then the file a quiescent H2
 * would have had at the mark.
 */
final class StoreCopy {

    /** H2's two file headers, rewritten in place as chunks are written. */
    private static final int HEADER_BYTES = 2 * 4096;

    private final MVStore store;
    private final Path file;
    private final long length;
    private final byte[] header;

    private StoreCopy(MVStore store, Path file, long length, byte[] header) {
        this.store = store;
        this.file = file;
        this.length = length;
        this.header = header;
    }

    /**
     * On the store's writer, between two groups (no transaction open): stops space reuse, lets H2 finish what it began to write (which may
     * have reused space), has it write a version of every change ({@code writeChangedPages}) and finish that too, then
     * notes the file's length and header.
     */
    static StoreCopy mark(MVStore store, SqlWork<Void> writeChangedPages, Connection connection) throws SQLException {
        store.setReuseSpace(false);
        try {
            H2PageWrites.drain(connection);
            writeChangedPages.run(connection);
            H2PageWrites.drain(connection);
            Path file = Path.of(store.getFileStore().getFileName());
            try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
                long length = in.size();
                ByteBuffer header = ByteBuffer.allocate((int) Math.min(HEADER_BYTES, length));
                while (header.hasRemaining() && in.read(header, header.position()) >= 0) {
                    // positional reads until the header is whole
                }
                return new StoreCopy(store, file, length, header.array());
            }
        } catch (IOException e) {
            store.setReuseSpace(true);
            throw new StoreException("cannot read the store's file for a backup: " + e.getMessage(), e);
        } catch (SQLException | RuntimeException e) {
            store.setReuseSpace(true);
            throw e;
        }
    }

    /** Writes the zip (an entry named as H2's file, as H2's BACKUP does), then lets H2 reuse space again. */
    void writeZip(Path zip) throws IOException {
        try (OutputStream out = Files.newOutputStream(zip, StandardOpenOption.TRUNCATE_EXISTING);
                ZipOutputStream entries = new ZipOutputStream(out);
                FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            entries.putNextEntry(new ZipEntry(file.getFileName().toString()));
            entries.write(header);
            ByteBuffer buffer = ByteBuffer.allocate(1 << 20);
            for (long position = header.length; position < length; ) {
                buffer.clear().limit((int) Math.min(buffer.capacity(), length - position));
                int read = in.read(buffer, position);
                if (read < 0) {
                    throw new IOException(file + " ended at " + position + ", before the " + length + " bytes marked");
                }
                entries.write(buffer.array(), 0, read);
                position += read;
            }
            entries.closeEntry();
        } finally {
            store.setReuseSpace(true);
        }
    }
}
