package io.onramp.gateway.provisioning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RefusalThrottleTest {

    private static final long MILLI = 1_000_000L;

    private final AtomicLong now = new AtomicLong(42 * 1_000 * MILLI);
    private final RefusalThrottle throttle = new RefusalThrottle(3, 10, now::get);

    @Test
    void anAddressIsAdmittedUntilItsBurstIsSpent() {
        for (int i = 0; i < 3; i++) {
            assertThat(throttle.admits("10.0.0.1")).as("before refusal %d", i + 1).isTrue();
            throttle.refused("10.0.0.1");
        }
        assertThat(throttle.admits("10.0.0.1")).isFalse();
    }

    @Test
    void otherAddressesAreNotCharged() {
        spend("10.0.0.1");
        assertThat(throttle.admits("10.0.0.2")).isTrue();
        assertThat(throttle.admits("fd00::1")).isTrue();
    }

    @Test
    void aSpentAddressEarnsOneAttemptBackPerPeriod() {
        spend("10.0.0.1");
        now.addAndGet(99 * MILLI);
        assertThat(throttle.admits("10.0.0.1")).as("after 99 ms at 10 a second").isFalse();
        now.addAndGet(MILLI);
        assertThat(throttle.admits("10.0.0.1")).as("after 100 ms").isTrue();
        throttle.refused("10.0.0.1");
        assertThat(throttle.admits("10.0.0.1")).as("the one earned, spent again").isFalse();
    }

    @Test
    void theBudgetRefillsNoHigherThanTheBurst() {
        spend("10.0.0.1");
        now.addAndGet(60_000 * MILLI);
        spend("10.0.0.1");
        assertThat(throttle.admits("10.0.0.1")).as("three refusals after a minute's rest spend it again").isFalse();
    }

    @Test
    void attemptsRefusedWhileThrottledAreNotCounted() {
        spend("10.0.0.1");
        for (int i = 0; i < 100; i++) {
            throttle.admits("10.0.0.1");
        }
        now.addAndGet(100 * MILLI);
        assertThat(throttle.admits("10.0.0.1")).as("asking while throttled does not push the refill back").isTrue();
    }

    @Test
    void anUnknownAddressIsNeverThrottled() {
        for (int i = 0; i < 10; i++) {
            throttle.refused(null);
        }
        assertThat(throttle.admits(null)).isTrue();
        assertThat(throttle.tracked()).isZero();
    }

    @Test
    void aBurstOfZeroTurnsItOff() {
        RefusalThrottle off = new RefusalThrottle(0, 1, now::get);
        for (int i = 0; i < 10; i++) {
            off.refused("10.0.0.1");
        }
        assertThat(off.admits("10.0.0.1")).isTrue();
        assertThat(off.tracked()).isZero();
    }

    @Test
    void whenFullItForgetsTheAddressesThatHaveRefilled() {
        RefusalThrottle small = new RefusalThrottle(1, 1, now::get);
        for (int i = 0; i < RefusalThrottle.MAX_TRACKED; i++) {
            small.refused("10.1." + (i >> 8) + "." + (i & 0xff));
        }
        assertThat(small.tracked()).isEqualTo(RefusalThrottle.MAX_TRACKED);
        small.refused("10.9.9.9");
        assertThat(small.admits("10.9.9.9")).as("nothing refilled: not tracked, so not throttled").isTrue();

        now.addAndGet(1_000 * MILLI);
        small.refused("10.9.9.9");
        assertThat(small.tracked()).as("the refilled ones forgotten").isEqualTo(1);
        assertThat(small.admits("10.9.9.9")).isFalse();
    }

    @Test
    void refusesSettingsThatMakeNoSense() {
        assertThatThrownBy(() -> new RefusalThrottle(-1, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RefusalThrottle(1, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    private void spend(String address) {
        for (int i = 0; i < 3; i++) {
            throttle.refused(address);
        }
    }
}
