package io.onramp.broker.hub;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TwinWriteBudgetTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void aBurstIsTakenThenTenASecond() {
        TwinWriteBudget budget = new TwinWriteBudget(0);
        for (int i = 0; i < TwinWriteBudget.BURST; i++) {
            assertThat(budget.take(0)).as("update %d of the burst", i + 1).isTrue();
        }
        assertThat(budget.take(0)).isFalse();

        assertThat(budget.take(SECOND / 20)).as("half a token later").isFalse();
        assertThat(budget.take(SECOND / 10)).as("one token later").isTrue();
        assertThat(budget.take(SECOND / 10)).isFalse();

        int taken = 0;
        for (long t = SECOND / 10 + SECOND / 100; t <= SECOND * 11 / 10; t += SECOND / 100) {
            taken += budget.take(t) ? 1 : 0;
        }
        assertThat(taken).as("over one more second").isEqualTo(TwinWriteBudget.PER_SECOND);
    }

    @Test
    void aQuietDeviceSavesUpToOneBurstOnly() {
        TwinWriteBudget budget = new TwinWriteBudget(0);
        int taken = 0;
        while (budget.take(3600 * SECOND)) {
            taken++;
        }
        assertThat(taken).isEqualTo(TwinWriteBudget.BURST);
    }
}
