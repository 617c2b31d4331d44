package io.onramp.gateway.store;

import io.netty.buffer.ByteBuf;
import io.onramp.gateway.config.IoReasons;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * A hub's telemetry on its way upstream (store and forward). Each message is appended to a journal of its own
 * ({@code dataDir/upstream/<hub>}) and is on disk before {@link #add} completes, which is when the device is
 * acknowledged; it stays until the upstream broker acknowledged it ({@link #delivered}). One writer thread appends
 * what arrived meanwhile with one synchronous write, as the store's writer does. Messages the sender has not taken
 * yet wait in memory up to {@link #MEMORY_BYTES}; past that (an upstream away for long) they are read back from the
 * files, a file at a time, so memory stays bounded however much waits. A restart takes up after the last message
 * the upstream acknowledged: delivery is at least once, and after a crash the upstream may see a message again.
 */
public final class TelemetryOutbox implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TelemetryOutbox.class);
    /** A closed file is deleted once every message in it was delivered: small files free the disk sooner. */
    static final long ROTATE_BYTES = 4L << 20;
    /** Messages waiting for the sender kept in memory; the rest is read back from disk when the sender gets to it. */
    static final long MEMORY_BYTES = 8L << 20;
    private static final long READ_BYTES = 4L << 20;
    private static final int MAX_GROUP = 1024;
    private static final long HOUSEKEEPING_MILLIS = 1000;
    private static final String MARK = "delivered";
    private static final long NONE = -1;

    /** A message as the outbox keeps it: its number (the order it arrived in) and its topic and body. */
    public record Message(long number, byte[] record) {

        public String topic() {
            ByteBuffer data = ByteBuffer.wrap(record);
            int length = data.getInt();
            return new String(record, Integer.BYTES, length, StandardCharsets.UTF_8);
        }

        public byte[] body() {
            int start = Integer.BYTES + ByteBuffer.wrap(record).getInt();
            byte[] body = new byte[record.length - start];
            System.arraycopy(record, start, body, 0, body.length);
            return body;
        }

        /** What the message counts for against the outbox's limit. */
        public int size() {
            return record.length;
        }

        /** The record of a message: the topic's length, the topic, then the body, copied once from the hub's buffer. */
        static byte[] encode(String topic, ByteBuf body) {
            byte[] name = topic.getBytes(StandardCharsets.UTF_8);
            int length = body.readableBytes();
            byte[] record = new byte[Integer.BYTES + name.length + length];
            ByteBuffer.wrap(record).putInt(name.length).put(name);
            body.getBytes(body.readerIndex(), record, Integer.BYTES + name.length, length);
            return record;
        }
    }

    /** The outbox holds its limit: the message is refused, and the device keeps it. */
    public static final class FullException extends RuntimeException {
        FullException(long maxBytes) {
            super("the upstream outbox holds its limit of " + (maxBytes >> 20) + " MiB", null, false, false);
        }
    }

    private record Pending(byte[] record, Promise<Void> promise) {}

    private final Vertx vertx;
    private final Path directory;
    private volatile long maxBytes;
    private final Journal journal;
    private final SyncedMark mark;
    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final Thread writer;
    private final FailureEpisode writeFailures;
    private final FailureEpisode markFailures;
    private volatile Runnable onAvailable = () -> { };

    // Guarded by this.
    private final ArrayDeque<Message> untaken = new ArrayDeque<>();
    private long untakenBytes;
    private long queuedBytes;
    private long nextToTake;
    private long lastAppended;
    /** The first number of the messages that are only on disk (the sender reads them back), or NONE. */
    private long spilledFrom;
    private long delivered;
    private long waitingBytes;
    private long waitingCount;
    private boolean closing;
    /** Counts {@link #rewind}s: a read back begun before one is dropped. */
    private long generation;

    private TelemetryOutbox(Vertx vertx, Path directory, long maxBytes, Journal journal, SyncedMark mark, Backlog backlog,
            String name) {
        this.vertx = vertx;
        this.directory = directory;
        this.maxBytes = maxBytes;
        this.journal = journal;
        this.mark = mark;
        this.delivered = backlog.delivered;
        this.nextToTake = backlog.delivered + 1;
        this.lastAppended = backlog.last;
        this.waitingBytes = backlog.bytes;
        this.waitingCount = backlog.count;
        this.spilledFrom = backlog.count > 0 ? nextToTake : NONE;
        this.writeFailures = new FailureEpisode(LOG, Level.WARN, "hub " + name + ": writing telemetry to the upstream outbox");
        this.markFailures = new FailureEpisode(LOG, Level.WARN, "hub " + name + ": noting delivered upstream telemetry");
        this.writer = new Thread(this::run, "onramp-outbox-" + name);
        writer.setDaemon(true);
    }

    /** What a start finds on disk: the last delivered number, and the messages after it. */
    private record Backlog(long delivered, long last, long count, long bytes) {}

    /**
     * Opens the outbox in {@code directory} (made when missing), with what an earlier run left undelivered waiting.
     * Blocking: reads the files once to count it.
     */
    public static TelemetryOutbox open(Vertx vertx, Path directory, long maxBytes, String name) throws IOException {
        OwnerOnly.createDirectories(directory);
        long delivered = SyncedMark.read(directory, MARK).orElse(0);
        long last = delivered;
        long count = 0;
        long bytes = 0;
        for (long from = delivered + 1; ; ) {
            List<Journal.Entry> entries = Journal.readRange(directory, from, Long.MAX_VALUE, READ_BYTES);
            if (entries.isEmpty()) {
                break;
            }
            for (Journal.Entry entry : entries) {
                count++;
                bytes += entry.payload().length;
            }
            last = entries.get(entries.size() - 1).number();
            from = last + 1;
        }
        Journal journal = Journal.openForAppend(directory, last);
        journal.dropUpTo(delivered);
        TelemetryOutbox outbox = new TelemetryOutbox(vertx, directory, maxBytes, journal, new SyncedMark(directory, MARK,
                delivered), new Backlog(delivered, last, count, bytes), name);
        if (count > 0) {
            LOG.info("hub {}: {} telemetry messages ({} KiB) wait for the upstream since the last run", name, count,
                    bytes >> 10);
        }
        outbox.writer.start();
        return outbox;
    }

    /** Called on the outbox's thread whenever messages were added: the sender looks for them then. */
    public void onAvailable(Runnable listener) {
        this.onAvailable = listener;
    }

    /**
     * Adds a message ({@code body} is copied before this returns); the future completes once it is on disk, on the
     * caller's context. Refused at once with a
     * {@link FullException} when the messages waiting would pass the limit.
     */
    public Future<Void> add(String topic, ByteBuf body) {
        byte[] record = Message.encode(topic, body);
        ContextInternal context = ContextInternal.current();
        Promise<Void> promise = context != null ? context.promise() : Promise.promise();
        synchronized (this) {
            if (closing) {
                return Future.failedFuture(new StoreException("the upstream outbox is closed"));
            }
            if (waitingBytes + queuedBytes + record.length > maxBytes) {
                return Future.failedFuture(new FullException(maxBytes));
            }
            queuedBytes += record.length;
            queue.add(new Pending(record, promise)); // under the lock: the writer stops only once closing finds it empty
        }
        return promise.future();
    }

    /**
     * Up to {@code max} messages after those taken before, in order (more when a file's worth was read back from
     * disk); none when none waits. Taking is not delivering: a message taken and never {@link #delivered} is sent
     * again after a restart. One call at a time.
     */
    public Future<List<Message>> take(int max) {
        long from;
        long to;
        long readGeneration;
        synchronized (this) {
            if (!untaken.isEmpty()) {
                List<Message> taken = new ArrayList<>(Math.min(max, untaken.size()));
                while (taken.size() < max && !untaken.isEmpty()) {
                    Message message = untaken.poll();
                    untakenBytes -= message.size();
                    taken.add(message);
                }
                nextToTake = taken.get(taken.size() - 1).number() + 1;
                return Future.succeededFuture(taken);
            }
            if (spilledFrom == NONE || nextToTake > lastAppended) {
                return Future.succeededFuture(List.of());
            }
            from = nextToTake;
            to = lastAppended;
            readGeneration = generation;
        }
        return vertx.executeBlocking(() -> Journal.readRange(directory, from, to, READ_BYTES), false)
                .map(entries -> readBack(readGeneration, from, to, entries));
    }

    private synchronized List<Message> readBack(long readGeneration, long from, long to, List<Journal.Entry> entries) {
        if (readGeneration != generation) {
            return List.of(); // rewound meanwhile: the next take reads from the rewound place
        }
        if (entries.isEmpty()) {
            // Only a file removed or damaged by hand can do this: go on with what follows rather than stall.
            LOG.error("upstream outbox {}: messages {} to {} cannot be read back from disk; skipped", directory, from, to);
            nextToTake = to + 1;
        } else {
            nextToTake = entries.get(entries.size() - 1).number() + 1;
        }
        if (nextToTake > lastAppended) {
            spilledFrom = NONE; // caught up: what arrives from now on waits in memory again
        }
        List<Message> messages = new ArrayList<>(entries.size());
        for (Journal.Entry entry : entries) {
            messages.add(new Message(entry.number(), entry.payload()));
        }
        return messages;
    }

    /**
     * Forgets what was taken and not delivered, for a new sender (the upstream's settings changed) to start again
     * from the first message not delivered, read back from disk. The old sender must have stopped first, and report
     * nothing delivered after this.
     */
    public synchronized void rewind() {
        generation++;
        untaken.clear();
        untakenBytes = 0;
        nextToTake = delivered + 1;
        spilledFrom = nextToTake <= lastAppended ? nextToTake : NONE;
    }

    /** A new limit, for messages added from now on. */
    public void limit(long bytes) {
        maxBytes = bytes;
    }

    /** The upstream acknowledged every message up to {@code number}: {@code count} messages of {@code bytes} since the last call. */
    public synchronized void delivered(long number, int count, long bytes) {
        if (number > delivered) {
            delivered = number;
            waitingCount -= count;
            waitingBytes -= bytes;
        }
    }

    /** Messages on disk the upstream has not acknowledged yet. */
    public synchronized long waitingCount() {
        return waitingCount;
    }

    /** Their size, as counted against the limit. */
    public synchronized long waitingBytes() {
        return waitingBytes;
    }

    /** Stops taking messages, writes those already added, and notes what was delivered. */
    @Override
    public void close() {
        synchronized (this) {
            closing = true;
        }
        try {
            writer.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        List<Pending> group = new ArrayList<>();
        long housekept = System.nanoTime();
        try {
            while (true) {
                Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first != null) {
                    group.add(first);
                    queue.drainTo(group, MAX_GROUP - 1);
                    append(group);
                    group.clear();
                }
                boolean done;
                synchronized (this) {
                    done = closing && queue.isEmpty();
                }
                if (done || System.nanoTime() - housekept > TimeUnit.MILLISECONDS.toNanos(HOUSEKEEPING_MILLIS)) {
                    housekeeping();
                    housekept = System.nanoTime();
                }
                if (done) {
                    break;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            try {
                journal.close();
            } catch (IOException e) {
                LOG.warn("upstream outbox {}: closing its file failed", directory, e);
            }
        }
    }

    private void append(List<Pending> group) {
        List<byte[]> records = new ArrayList<>(group.size());
        long bytes = 0;
        for (Pending pending : group) {
            records.add(pending.record());
            bytes += pending.record().length;
        }
        try {
            long last = journal.append(records);
            synchronized (this) {
                queuedBytes -= bytes;
                long number = last - group.size() + 1;
                for (byte[] record : records) {
                    if (spilledFrom == NONE && untakenBytes + record.length <= MEMORY_BYTES) {
                        untaken.add(new Message(number, record));
                        untakenBytes += record.length;
                    } else if (spilledFrom == NONE) {
                        spilledFrom = number;
                    }
                    number++;
                }
                lastAppended = last;
                waitingBytes += bytes;
                waitingCount += group.size();
            }
            writeFailures.succeeded();
            group.forEach(pending -> pending.promise().tryComplete());
            onAvailable.run();
            if (journal.currentSize() >= ROTATE_BYTES) {
                journal.rotate();
            }
        } catch (IOException | RuntimeException e) {
            synchronized (this) {
                queuedBytes -= bytes;
            }
            // A full disk fails every group: one line for the episode, not one per group. Their devices send again.
            writeFailures.failed(group.size() + " messages refused, their devices send them again", e);
            StoreException failure = new StoreException("the upstream outbox could not write: " + reason(e), e);
            group.forEach(pending -> pending.promise().tryFail(failure));
        }
    }

    /** Notes on disk what was delivered and deletes the files holding only delivered messages. */
    private void housekeeping() {
        long upTo;
        synchronized (this) {
            upTo = delivered;
        }
        try {
            mark.advance(upTo);
            journal.dropUpTo(upTo);
            markFailures.succeeded();
        } catch (IOException e) {
            markFailures.failed("tried again in a second", e);
        }
    }

    private static String reason(Exception e) {
        return e instanceof IOException io ? IoReasons.of(io) : String.valueOf(e.getMessage());
    }
}
