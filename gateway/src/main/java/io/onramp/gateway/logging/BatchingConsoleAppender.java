package io.onramp.gateway.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import ch.qos.logback.core.encoder.Encoder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Writes log lines to stderr from a background thread that wakes every {@code flushMillis} and writes
 * what came meanwhile in one go; warnings and errors wake it at once. Logback's AsyncAppender wakes its
 * worker for every line, and on the provisioning path there is an audit line per registration: that
 * wake-up cost the event loops a futex call and the worker 11-27 µs of CPU per line.
 *
 * <p>Never blocks the caller: past {@code queueSize} lines waiting, lines are dropped and counted, and
 * the count is written with the next batch. Stopping (the logger context stops, e.g. at shutdown)
 * writes what is left.
 */
public final class BatchingConsoleAppender extends UnsynchronizedAppenderBase<ILoggingEvent> {

    private final ConcurrentLinkedQueue<ILoggingEvent> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger waiting = new AtomicInteger();
    private final AtomicInteger dropped = new AtomicInteger();
    private final ByteArrayOutputStream batch = new ByteArrayOutputStream(64 * 1024);
    private Encoder<ILoggingEvent> encoder;
    private int queueSize = 16_384;
    private long flushMillis = 20;
    private PrintStream out;
    private Thread writer;
    private volatile boolean running;

    public void setEncoder(Encoder<ILoggingEvent> encoder) {
        this.encoder = encoder;
    }

    public void setQueueSize(int queueSize) {
        this.queueSize = queueSize;
    }

    public void setFlushMillis(long flushMillis) {
        this.flushMillis = flushMillis;
    }

    /** Where the lines go: stderr unless a test says otherwise. */
    void setOut(PrintStream out) {
        this.out = out;
    }

    @Override
    public void start() {
        if (encoder == null) {
            addError("no encoder for appender " + name);
            return;
        }
        if (out == null) {
            out = System.err;
        }
        running = true;
        writer = new Thread(this::writeUntilStopped, "onramp-log-writer");
        writer.setDaemon(true);
        writer.start();
        super.start();
    }

    @Override
    protected void append(ILoggingEvent event) {
        if (waiting.incrementAndGet() > queueSize) {
            waiting.decrementAndGet();
            dropped.incrementAndGet();
            return;
        }
        event.prepareForDeferredProcessing();
        queue.add(event);
        if (event.getLevel().isGreaterOrEqual(Level.WARN)) {
            LockSupport.unpark(writer);
        }
    }

    @Override
    public void stop() {
        if (!isStarted()) {
            return;
        }
        super.stop();
        running = false;
        LockSupport.unpark(writer);
        try {
            writer.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void writeUntilStopped() {
        while (running) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(flushMillis));
            writeWaiting();
        }
        writeWaiting();
    }

    private void writeWaiting() {
        ILoggingEvent event;
        while ((event = queue.poll()) != null) {
            waiting.decrementAndGet();
            try {
                batch.writeBytes(encoder.encode(event));
            } catch (RuntimeException e) {
                addError("cannot encode a log line", e);
            }
        }
        int lost = dropped.getAndSet(0);
        if (lost > 0) {
            batch.writeBytes((lost + " log lines dropped: more came than could be written\n")
                    .getBytes(StandardCharsets.UTF_8));
        }
        if (batch.size() > 0) {
            try {
                batch.writeTo(out); // one write: PrintStream passes a large one straight through
                out.flush();
            } catch (IOException e) {
                addError("cannot write log lines", e);
            }
            batch.reset();
        }
    }
}
