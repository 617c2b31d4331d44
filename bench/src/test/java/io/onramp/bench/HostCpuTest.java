package io.onramp.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class HostCpuTest {

    @Test
    void sharesOfTheCoresTimeBetweenTwoReadings() {
        // user nice system idle iowait irq softirq steal guest guest_nice, in clock ticks
        HostCpu.Shares shares = HostCpu.between(
                "cpu  1000 0 100 5000 10 0 20 0 0 0",
                "cpu  1500 0 150 5290 20 0 30 140 0 0");

        // 1,000 ticks passed: 500 user + 50 system + 10 softirq busy, 290 idle + 10 iowait, 140 stolen
        assertThat(shares.busy()).isCloseTo(0.56, within(1e-9));
        assertThat(shares.idle()).isCloseTo(0.30, within(1e-9));
        assertThat(shares.steal()).isCloseTo(0.14, within(1e-9));
        assertThat(shares.describe()).isEqualTo("busy 56 %, steal 14 %, idle 30 % of the cores' time");
    }

    @Test
    void noTimePassedIsAnIdleMachine() {
        String line = "cpu  1 2 3 4 5 6 7 8";
        assertThat(HostCpu.between(line, line)).isEqualTo(new HostCpu.Shares(0, 0, 1));
    }

    @Test
    void aLineThatIsNotTheSummaryIsRefused() {
        assertThatThrownBy(() -> HostCpu.between("cpu0 1 2 3 4 5 6 7 8", "cpu0 1 2 3 4 5 6 7 8"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void thisMachineIsRead() throws Exception {
        HostCpu host = HostCpu.start();
        long until = System.nanoTime() + 50_000_000;
        while (System.nanoTime() < until) {
            Thread.onSpinWait(); // some ticks must pass
        }
        HostCpu.Shares shares = host.sinceStart();
        if (java.nio.file.Files.exists(java.nio.file.Path.of("/proc/stat"))) {
            assertThat(shares).isNotNull();
            assertThat(shares.busy() + shares.steal() + shares.idle()).isBetween(0.0, 1.0 + 1e-9);
        } else {
            assertThat(shares).isNull();
        }
    }
}
