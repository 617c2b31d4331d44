package io.onramp.gateway.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** MemAvailable, and a cgroup's limit less its usage when that is smaller (a container's, v1 or v2). */
class AvailableMemoryTest {

    private static final long GB = 1L << 30;

    @TempDir
    Path proc;
    @TempDir
    Path cgroups;

    @Test
    void withoutACgroupLimitTheMachinesAvailableMemory() throws IOException {
        meminfo(20 * GB);
        cgroup("0::/\n");
        write(cgroups.resolve("memory.max"), "max\n");
        write(cgroups.resolve("memory.current"), "4000000000\n");

        assertThat(memory()).hasValue(20 * GB);
    }

    @Test
    void aCgroupV2LimitBelowTheMachinesCounts() throws IOException {
        meminfo(20 * GB);
        cgroup("0::/kubepods/pod-1\n");
        write(cgroups.resolve("kubepods/pod-1/memory.max"), Long.toString(4 * GB));
        write(cgroups.resolve("kubepods/pod-1/memory.current"), Long.toString(3 * GB));

        assertThat(memory()).hasValue(GB);
    }

    @Test
    void aCgroupV1LimitCountsAndItsNoLimitDoesNot() throws IOException {
        meminfo(20 * GB);
        cgroup("9:name=systemd:/\n4:memory:/docker/abc\n0::/\n");
        write(cgroups.resolve("memory/docker/abc/memory.limit_in_bytes"), Long.toString(2 * GB));
        write(cgroups.resolve("memory/docker/abc/memory.usage_in_bytes"), Long.toString(GB / 2));

        assertThat(memory()).hasValue(GB + GB / 2);

        write(cgroups.resolve("memory/docker/abc/memory.limit_in_bytes"), "9223372036854771712\n");
        assertThat(memory()).hasValue(20 * GB);
    }

    @Test
    void aMachineThatDoesNotTellHasNone() throws IOException {
        assertThat(memory()).isEmpty();
        write(proc.resolve("meminfo"), "MemTotal:       24598220 kB\nMemFree:        20000000 kB\n");
        assertThat(memory()).as("a kernel before MemAvailable").isEmpty();
    }

    private OptionalLong memory() {
        return new AvailableMemory(proc, cgroups).bytes();
    }

    private void meminfo(long availableBytes) throws IOException {
        write(proc.resolve("meminfo"), "MemTotal:       24598220 kB\nMemFree:        20000000 kB\nMemAvailable:   "
                + availableBytes / 1024 + " kB\nBuffers:          123456 kB\n");
    }

    private void cgroup(String lines) throws IOException {
        write(proc.resolve("self/cgroup"), lines);
    }

    private static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }
}
