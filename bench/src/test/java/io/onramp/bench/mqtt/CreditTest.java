package io.onramp.bench.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CreditTest {

    @Test
    void publishersParkWhenOutOfCreditAndResumeOnDelivery() {
        Credit credit = new Credit(2);
        AtomicInteger resumed = new AtomicInteger();
        assertThat(credit.take()).isTrue();
        assertThat(credit.take()).isTrue();
        assertThat(credit.take()).isFalse();
        credit.park(resumed::incrementAndGet);
        assertThat(resumed).hasValue(0);
        credit.delivered();
        assertThat(resumed).hasValue(1);
        credit.delivered();
        assertThat(resumed).as("a parked publisher resumes once").hasValue(1);
        assertThat(credit.take()).isTrue();
    }

    @Test
    void parkingWhileCreditCameBackResumesAtOnce() {
        Credit credit = new Credit(1);
        AtomicInteger resumed = new AtomicInteger();
        credit.park(resumed::incrementAndGet);
        assertThat(resumed).hasValue(1);
    }

    @Test
    void creditLostWithDroppedMessagesIsRefilledAfterAStall() {
        Credit credit = new Credit(3);
        AtomicInteger resumed = new AtomicInteger();
        while (credit.take()) {
            // spend it all: these messages are never delivered
        }
        credit.park(resumed::incrementAndGet);
        assertThat(credit.refillIfStalled()).as("first look: nothing to compare with yet").isTrue();
        assertThat(resumed).hasValue(1);
        credit.take();
        credit.delivered();
        assertThat(credit.refillIfStalled()).as("deliveries came back: not stalled").isFalse();
    }
}
