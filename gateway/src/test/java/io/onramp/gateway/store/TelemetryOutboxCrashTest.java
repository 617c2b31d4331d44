package io.onramp.gateway.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.onramp.gateway.store.TelemetryOutbox.Message;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The outbox's promise, tested the hard way: a child JVM adds telemetry as fast as it can, prints each message the
 * outbox acknowledged (what the hub then PUBACKs), and meanwhile delivers them to a slow "upstream", printing each
 * delivered one. It is killed with SIGKILL mid-flight; every acknowledged message must then be delivered already or
 * be in the outbox when it opens again, in order. The upstream lags, so the kill finds messages read back from disk,
 * files rotated and files deleted.
 */
class TelemetryOutboxCrashTest {

    private static final int BODY_BYTES = 2_000;

    @TempDir
    Path dir;

    /** One run by default; {@code -Doutbox.crash.runs=20} repeats it. */
    static IntStream runs() {
        return IntStream.rangeClosed(1, Integer.getInteger("outbox.crash.runs", 1));
    }

    @ParameterizedTest(name = "run {0}")
    @MethodSource("runs")
    void everyAcknowledgedMessageIsDeliveredOrStillInTheOutboxAfterAKill(int run) throws Exception {
        Set<Integer> acknowledged = new HashSet<>();
        Set<Integer> delivered = new HashSet<>();
        long[] firstAck = {0};
        KilledChild.run(Child.class, dir, line -> {
            (line.charAt(0) == 'a' ? acknowledged : delivered).add(Integer.parseInt(line.substring(2)));
            firstAck[0] = firstAck[0] == 0 ? System.nanoTime() : firstAck[0];
        }, // past a few housekeeping rounds (once a second), so that delivered files were deleted
                () -> acknowledged.size() >= 10_000 && System.nanoTime() - firstAck[0] > 3_000_000_000L);
        assertThat(acknowledged).hasSizeGreaterThanOrEqualTo(10_000);
        assertThat(delivered).as("the upstream lagged: some acknowledged messages were not delivered yet")
                .hasSizeLessThan(acknowledged.size());

        Vertx vertx = Vertx.vertx();
        List<Integer> kept = new ArrayList<>();
        try (TelemetryOutbox outbox = TelemetryOutbox.open(vertx, dir, 1L << 30, "crash")) {
            while (true) {
                List<Message> batch = outbox.take(1_000).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
                if (batch.isEmpty()) {
                    break;
                }
                batch.forEach(m -> kept.add(label(m.body())));
            }
        } finally {
            vertx.close().await();
        }
        Set<Integer> keptSet = new HashSet<>(kept);
        List<Integer> lost = acknowledged.stream().filter(n -> !delivered.contains(n) && !keptSet.contains(n)).sorted()
                .toList();
        System.out.printf("outbox-crash run %d: %d acknowledged, %d delivered, %d kept (%d MB waited)%n", run,
                acknowledged.size(), delivered.size(), kept.size(), (long) kept.size() * BODY_BYTES >> 20);
        assertThat(lost).as("acknowledged, never delivered, and not in the outbox after the kill (run %d)", run).isEmpty();
        assertThat(kept).as("in the order they were added").isSorted();
    }

    static int label(byte[] body) {
        return Integer.parseInt(new String(body, 0, 10, StandardCharsets.US_ASCII).trim());
    }

    /** The process that is killed: adds 64 at a time, delivers with a lag. */
    public static final class Child {
        public static void main(String[] args) throws Exception {
            Vertx vertx = Vertx.vertx();
            TelemetryOutbox outbox = TelemetryOutbox.open(vertx, Path.of(args[0]), 1L << 30, "crash");
            Thread upstream = new Thread(() -> deliverSlowly(outbox), "slow-upstream");
            upstream.setDaemon(true);
            upstream.start();
            Semaphore inFlight = new Semaphore(64);
            for (int i = 0; ; i++) {
                inFlight.acquire();
                int n = i;
                byte[] body = new byte[BODY_BYTES];
                byte[] label = String.format("%-10d", n).getBytes(StandardCharsets.US_ASCII);
                System.arraycopy(label, 0, body, 0, label.length);
                outbox.add("devices/d/messages/events/n=" + n, Unpooled.wrappedBuffer(body)).onComplete(added -> {
                    if (added.succeeded()) {
                        System.out.println("a " + n);
                    }
                    inFlight.release();
                });
            }
        }

        /** About a third of the rate messages come in at: a backlog builds and spills to disk. */
        private static void deliverSlowly(TelemetryOutbox outbox) {
            try {
                while (true) {
                    List<Message> batch = outbox.take(50).toCompletionStage().toCompletableFuture().get();
                    Thread.sleep(batch.isEmpty() ? 5 : 10);
                    if (!batch.isEmpty()) {
                        outbox.delivered(batch.get(batch.size() - 1).number(), batch.size(),
                                batch.stream().mapToLong(Message::size).sum());
                        batch.forEach(m -> System.out.println("d " + label(m.body())));
                    }
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
