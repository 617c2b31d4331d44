package io.onramp.gateway.cli;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.streams.WriteStream;

/**
 * A file written to the disk as it fills: forced each {@code everyBytes}, so that a download of hundreds of MB is not
 * left for the kernel to write back in one go, where a gateway on the same disk would wait behind it for its
 * journal's synchronous writes (registrations 100-300 ms late). Each force is on Vert.x's worker threads and covers
 * what was written by then; closing it forces nothing, the caller forces the whole file once it is closed.
 */
final class SyncingFileStream implements WriteStream<Buffer> {

    private final AsyncFile file;
    private final long everyBytes;
    private long unforced;

    SyncingFileStream(AsyncFile file, long everyBytes) {
        this.file = file;
        this.everyBytes = everyBytes;
    }

    @Override
    public Future<Void> write(Buffer data) {
        Future<Void> written = file.write(data);
        unforced += data.length();
        if (unforced >= everyBytes) {
            unforced = 0;
            written.compose(v -> file.flush()); // pacing only: a failed force shows in the caller's final one
        }
        return written;
    }

    @Override
    public Future<Void> end() {
        return file.end();
    }

    @Override
    public SyncingFileStream exceptionHandler(Handler<Throwable> handler) {
        file.exceptionHandler(handler);
        return this;
    }

    @Override
    public SyncingFileStream setWriteQueueMaxSize(int maxSize) {
        file.setWriteQueueMaxSize(maxSize);
        return this;
    }

    @Override
    public boolean writeQueueFull() {
        return file.writeQueueFull();
    }

    @Override
    public SyncingFileStream drainHandler(Handler<Void> handler) {
        file.drainHandler(handler);
        return this;
    }
}
