package io.onramp.gateway.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.Unpooled;
import io.onramp.gateway.store.TelemetryOutbox.Message;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The upstream outbox against its files: what is added is kept until delivered, in order, across restarts. */
class TelemetryOutboxTest {

    @TempDir
    Path dir;
    final Vertx vertx = Vertx.vertx();

    @AfterEach
    void close() {
        vertx.close().await();
    }

    TelemetryOutbox open(long maxBytes) throws Exception {
        return TelemetryOutbox.open(vertx, dir, maxBytes, "test");
    }

    static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    static byte[] body(int i, int size) {
        byte[] body = new byte[size];
        Arrays.fill(body, (byte) i);
        byte[] label = ("m" + i).getBytes(StandardCharsets.UTF_8);
        System.arraycopy(label, 0, body, 0, Math.min(label.length, size));
        return body;
    }

    static Future<Void> add(TelemetryOutbox outbox, String topic, byte[] body) {
        return outbox.add(topic, Unpooled.wrappedBuffer(body));
    }

    /** Takes until nothing more comes, delivering each batch when asked to. */
    static List<Message> drain(TelemetryOutbox outbox, boolean deliver) throws Exception {
        List<Message> all = new ArrayList<>();
        while (true) {
            List<Message> batch = await(outbox.take(100));
            if (batch.isEmpty()) {
                return all;
            }
            all.addAll(batch);
            if (deliver) {
                outbox.delivered(batch.get(batch.size() - 1).number(), batch.size(),
                        batch.stream().mapToLong(Message::size).sum());
            }
        }
    }

    @Test
    void whatWasAddedIsTakenInOrderWithItsTopicAndBody() throws Exception {
        try (TelemetryOutbox outbox = open(1 << 20)) {
            List<Future<Void>> added = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                added.add(add(outbox, "devices/d" + i + "/messages/events/k=v", body(i, 10)));
            }
            for (Future<Void> future : added) {
                await(future);
            }
            assertThat(outbox.waitingCount()).isEqualTo(50);
            List<Message> taken = drain(outbox, false);
            assertThat(taken).hasSize(50);
            for (int i = 0; i < 50; i++) {
                assertThat(taken.get(i).topic()).isEqualTo("devices/d" + i + "/messages/events/k=v");
                assertThat(taken.get(i).body()).isEqualTo(body(i, 10));
            }
            assertThat(taken.get(49).number() - taken.get(0).number()).isEqualTo(49);
        }
    }

    @Test
    void aRestartSendsAgainWhatWasNotDeliveredAndOnlyThat() throws Exception {
        try (TelemetryOutbox outbox = open(1 << 20)) {
            for (int i = 0; i < 10; i++) {
                await(add(outbox, "t/" + i, body(i, 5)));
            }
            List<Message> taken = await(outbox.take(10));
            // the upstream acknowledged the first four; the rest were taken (sent) but not acknowledged
            outbox.delivered(taken.get(3).number(), 4, taken.subList(0, 4).stream().mapToLong(Message::size).sum());
            assertThat(outbox.waitingCount()).isEqualTo(6);
        }
        try (TelemetryOutbox outbox = open(1 << 20)) {
            assertThat(outbox.waitingCount()).isEqualTo(6);
            assertThat(drain(outbox, true)).extracting(Message::topic).containsExactly("t/4", "t/5", "t/6", "t/7", "t/8", "t/9");
            await(add(outbox, "t/10", body(10, 5)));
            assertThat(drain(outbox, true)).extracting(Message::topic).containsExactly("t/10");
        }
        try (TelemetryOutbox outbox = open(1 << 20)) {
            assertThat(outbox.waitingCount()).isZero();
            assertThat(drain(outbox, false)).isEmpty();
            // numbers go on after the delivered ones: nothing already delivered is mistaken for new
            await(add(outbox, "t/11", body(11, 5)));
            assertThat(drain(outbox, false)).extracting(Message::topic).containsExactly("t/11");
        }
    }

    @Test
    void aFullOutboxRefusesAtOnceAndTakesAgainOnceMessagesAreDelivered() throws Exception {
        try (TelemetryOutbox outbox = open(10_000)) {
            for (int i = 0; i < 9; i++) {
                await(add(outbox, "t", body(i, 1000)));
            }
            Future<Void> refused = add(outbox, "t", body(9, 1000));
            assertThat(refused.failed()).isTrue();
            assertThat(refused.cause()).isInstanceOf(TelemetryOutbox.FullException.class)
                    .hasMessageContaining("limit");
            assertThat(outbox.waitingCount()).isEqualTo(9);
            List<Message> taken = await(outbox.take(3));
            outbox.delivered(taken.get(2).number(), 3, taken.stream().mapToLong(Message::size).sum());
            await(add(outbox, "t", body(9, 1000)));
            assertThat(outbox.waitingCount()).isEqualTo(7);
        }
    }

    @Test
    void messagesPastWhatMemoryHoldsAreReadBackFromDiskInOrder() throws Exception {
        int size = 64 * 1024;
        int count = (int) (TelemetryOutbox.MEMORY_BYTES / size) * 2 + 7; // twice what memory holds
        try (TelemetryOutbox outbox = open(1L << 30)) {
            List<Future<Void>> added = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                added.add(add(outbox, "t/" + i, body(i, size)));
            }
            for (Future<Void> future : added) {
                await(future);
            }
            List<Message> taken = drain(outbox, true);
            assertThat(taken).hasSize(count);
            for (int i = 0; i < count; i++) {
                assertThat(taken.get(i).topic()).isEqualTo("t/" + i);
            }
            // caught up: what comes now is taken from memory again, right after the others
            await(add(outbox, "t/last", body(1, 3)));
            assertThat(drain(outbox, true)).extracting(Message::topic).containsExactly("t/last");
            assertThat(outbox.waitingCount()).isZero();
        }
        assertThat(files()).as("files holding only delivered messages are deleted").hasSizeLessThanOrEqualTo(2);
    }

    @Test
    void aTornTailLeftByACrashIsIgnoredAndTheMessagesBeforeItKept() throws Exception {
        try (TelemetryOutbox outbox = open(1 << 20)) {
            for (int i = 0; i < 3; i++) {
                await(add(outbox, "t/" + i, body(i, 5)));
            }
        }
        Path last = files().get(files().size() - 1);
        Files.write(last, new byte[] {0, 0, 0, 40, 0, 0, 0, 0, 0, 0, 0, 9, 1, 2}, StandardOpenOption.APPEND);
        try (TelemetryOutbox outbox = open(1 << 20)) {
            assertThat(outbox.waitingCount()).isEqualTo(3);
            await(add(outbox, "t/3", body(3, 5)));
            assertThat(drain(outbox, true)).extracting(Message::topic).containsExactly("t/0", "t/1", "t/2", "t/3");
        }
    }

    @Test
    void aRewindGivesANewSenderEveryMessageNotDeliveredAgain() throws Exception {
        try (TelemetryOutbox outbox = open(1 << 20)) {
            for (int i = 0; i < 6; i++) {
                await(add(outbox, "t/" + i, body(i, 5)));
            }
            List<Message> taken = await(outbox.take(4));
            outbox.delivered(taken.get(1).number(), 2, taken.subList(0, 2).stream().mapToLong(Message::size).sum());
            // the old sender had t/2 and t/3 on their way: the new one starts at t/2
            outbox.rewind();
            await(add(outbox, "t/6", body(6, 5)));
            assertThat(drain(outbox, true)).extracting(Message::topic).containsExactly("t/2", "t/3", "t/4", "t/5", "t/6");
            assertThat(outbox.waitingCount()).isZero();
            assertThat(outbox.waitingBytes()).isZero();
        }
    }

    @Test
    void aClosedOutboxRefusesNewMessages() throws Exception {
        TelemetryOutbox outbox = open(1 << 20);
        outbox.close();
        assertThatThrownBy(() -> await(add(outbox, "t", body(0, 1)))).isInstanceOf(ExecutionException.class)
                .hasMessageContaining("closed");
    }

    List<Path> files() throws Exception {
        try (Stream<Path> listing = Files.list(dir)) {
            return listing.filter(p -> p.getFileName().toString().startsWith("journal-")).sorted().toList();
        }
    }
}
