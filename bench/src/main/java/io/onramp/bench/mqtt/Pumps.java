package io.onramp.bench.mqtt;

import java.util.concurrent.atomic.LongAdder;

/**
 * The publishers' send loops, all on their connections' event loops. QoS 0: write batches while
 * the socket takes them, yield to the other connections between batches, resume when the socket
 * drains. QoS 1: keep a window of unacknowledged messages, one new message per PUBACK.
 * {@code published} counts messages written (QoS 0) or acknowledged by the broker (QoS 1).
 */
final class Pumps {

    private static final int MAX_PACKET_ID = 0xFFFF;

    private final LongAdder published;
    private volatile boolean running = true;

    Pumps(LongAdder published) {
        this.published = published;
    }

    void stop() {
        running = false;
    }

    void flood(LoadConnection sender, PublishTemplate template, int batch) {
        Runnable pump = new Runnable() {
            @Override
            public void run() {
                if (!running || !sender.isActive()) {
                    return;
                }
                int written = 0;
                while (written < batch && sender.isWritable()) {
                    sender.publish(template, 0);
                    written++;
                }
                published.add(written);
                sender.flush();
                if (sender.isWritable()) {
                    sender.eventLoop().execute(this);
                }
            }
        };
        sender.listen(new LoadConnection.Listener() {
            @Override
            public void writable(LoadConnection connection) {
                pump.run();
            }
        });
        sender.eventLoop().execute(pump);
    }

    void window(LoadConnection sender, PublishTemplate template, int size) {
        int[] nextId = {1};
        Runnable sendOne = () -> {
            sender.publish(template, nextId[0]);
            nextId[0] = nextId[0] == MAX_PACKET_ID ? 1 : nextId[0] + 1;
        };
        sender.listen(new LoadConnection.Listener() {
            @Override
            public void pubAck(LoadConnection connection, int packetId) {
                published.increment();
                if (running) {
                    sendOne.run(); // flushed once the reader has drained the socket
                }
            }
        });
        sender.eventLoop().execute(() -> {
            for (int i = 0; i < size; i++) {
                sendOne.run();
            }
            sender.flush();
        });
    }
}
