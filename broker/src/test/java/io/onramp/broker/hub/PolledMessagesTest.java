package io.onramp.broker.hub;

import static org.assertj.core.api.Assertions.assertThat;

import io.onramp.broker.hub.CloudMessageStore.Waiting;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PolledMessagesTest {

    private static final String DEVICE = "hub/d1";
    private static final long LOCK = PolledMessages.LOCK.toMillis();

    private static Waiting message(long sequence) {
        return new Waiting(sequence, "m" + sequence, new CloudMessage(new byte[0], Map.of(), Map.of(), null),
                Instant.EPOCH.plusSeconds(3600));
    }

    @Test
    void eachPollLocksTheNextMessageUntilItsLockRunsOut() {
        PolledMessages polled = new PolledMessages();
        List<Waiting> waiting = List.of(message(1), message(2));

        PolledMessages.Lock first = polled.lockFirst(DEVICE, waiting, 0).orElseThrow();
        PolledMessages.Lock second = polled.lockFirst(DEVICE, waiting, 1).orElseThrow();

        assertThat(first.message().sequence()).isEqualTo(1);
        assertThat(second.message().sequence()).isEqualTo(2);
        assertThat(first.token()).isNotEqualTo(second.token());
        assertThat(polled.lockFirst(DEVICE, waiting, 2)).as("both locked").isEmpty();
        assertThat(polled.lockFirst(DEVICE, waiting, LOCK).orElseThrow().message().sequence())
                .as("the first lock ran out").isEqualTo(1);
    }

    @Test
    void aLockIsReleasedOnceAndNotAfterItRanOut() {
        PolledMessages polled = new PolledMessages();
        List<Waiting> waiting = List.of(message(1), message(2));
        PolledMessages.Lock first = polled.lockFirst(DEVICE, waiting, 0).orElseThrow();
        PolledMessages.Lock second = polled.lockFirst(DEVICE, waiting, 0).orElseThrow();

        assertThat(polled.release(DEVICE, first.token(), 10).sequence()).isEqualTo(1);
        assertThat(polled.release(DEVICE, first.token(), 10)).as("released already").isNull();
        assertThat(polled.release(DEVICE, second.token(), LOCK)).as("ran out").isNull();
        assertThat(polled.release("hub/other", second.token(), 10)).as("another device's").isNull();
        assertThat(polled.release(DEVICE, null, 10)).isNull();
    }

    @Test
    void devicesWithNothingWaitingAreForgotten() {
        PolledMessages polled = new PolledMessages();
        PolledMessages.Lock lock = polled.lockFirst(DEVICE, List.of(message(1)), 0).orElseThrow();

        polled.forgetAllBut(Set.of(), 1);

        assertThat(polled.release(DEVICE, lock.token(), 2)).isNull();
    }
}
