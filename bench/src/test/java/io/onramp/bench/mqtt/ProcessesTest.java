package io.onramp.bench.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProcessesTest {

    @Test
    void cpuTimeIsReadAfterACommandNameWithSpacesAndParentheses() {
        String stat = "4242 (java (main) x) S 1 4242 4242 0 -1 4194560 1000 0 0 0 250 50 0 0 20 0 30 0 100 0";
        assertThat(Processes.cpuNanosFromStat(stat)).isEqualTo(300 * 10_000_000L);
    }

    @Test
    void machineBusyTimeLeavesOutIdleAndIoWait() {
        String cpu = "cpu  100 5 50 9000 40 3 2 1 7 0";
        assertThat(Processes.machineBusyNanosFromStat(cpu)).isEqualTo((100 + 5 + 50 + 3 + 2 + 1) * 10_000_000L);
    }

    @Test
    void liveHeapIsTheTotalOfTheClassHistogram() {
        String histogram = """
                 num     #instances         #bytes  class name (module)
                -------------------------------------------------------
                   1:        123456       23456789  [B (java.base@17.0.15)
                5701:             1             16  sun.util.resources.cldr.provider.CLDRLocaleDataMetaInfo
                Total        967318       67197968
                """;
        assertThat(Processes.liveBytesFromHistogram(histogram)).isEqualTo(67_197_968L);
    }

    @Test
    void thisProcessHasAResidentSetAndCpuTime() throws Exception {
        long pid = ProcessHandle.current().pid();
        assertThat(Processes.rssBytes(pid)).isPositive();
        assertThat(Processes.cpuNanos(pid)).isPositive();
    }
}
