package io.onramp.bench.mqtt;

import java.util.concurrent.atomic.LongAdder;

/**
 * The publishers' send loops, all on their connections' event loops. QoS 0: write batches while
 * the socket takes them, yield to the other connections between batches, resume when the socket
 * drains. QoS 1: keep a window of unacknowledged messages, one new message per PUBACK. Paced, both
 * also wait for end-to-end {@link Credit}. {@code published} counts messages written (QoS 0) or
 * acknowledged by the broker (QoS 1).
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

    /** QoS 0 as fast as the socket takes it; with {@code credit}, only while the consumer keeps up. */
    void flood(LoadConnection sender, PublishTemplate template, int batch, Credit credit) {
        Runnable pump = new Runnable() {
            @Override
            public void run() {
                if (!running || !sender.isActive()) {
                    return;
                }
                int written = 0;
                boolean outOfCredit = false;
                while (written < batch && sender.isWritable()) {
                    if (credit != null && !credit.take()) {
                        outOfCredit = true;
                        break;
                    }
                    sender.publish(template, 0);
                    written++;
                }
                published.add(written);
                sender.flush();
                if (outOfCredit) {
                    credit.park(() -> sender.eventLoop().execute(this));
                } else if (sender.isWritable()) {
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

    /**
     * QoS 1 with {@code size} messages unacknowledged by the broker; with {@code credit}, also only
     * while the consumer keeps up.
     */
    void window(LoadConnection sender, PublishTemplate template, int size, Credit credit) {
        new Window(sender, template, size, credit).start();
    }

    /** One QoS 1 publisher's window; every field is touched on its connection's event loop only. */
    private final class Window implements LoadConnection.Listener {
        private final LoadConnection sender;
        private final PublishTemplate template;
        private final int size;
        private final Credit credit;
        private int inFlight;
        private int nextId = 1;
        private boolean parked;

        Window(LoadConnection sender, PublishTemplate template, int size, Credit credit) {
            this.sender = sender;
            this.template = template;
            this.size = size;
            this.credit = credit;
        }

        void start() {
            sender.listen(this);
            sender.eventLoop().execute(() -> {
                fill();
                sender.flush();
            });
        }

        @Override
        public void pubAck(LoadConnection connection, int packetId) {
            published.increment();
            inFlight--;
            fill(); // flushed once the reader has drained the socket
        }

        private void fill() {
            while (running && inFlight < size) {
                if (credit != null && !credit.take()) {
                    if (!parked) {
                        parked = true;
                        credit.park(() -> sender.eventLoop().execute(this::resume));
                    }
                    return;
                }
                sender.publish(template, nextId);
                nextId = nextId == MAX_PACKET_ID ? 1 : nextId + 1;
                inFlight++;
            }
        }

        private void resume() {
            parked = false;
            fill();
            sender.flush();
        }
    }
}
