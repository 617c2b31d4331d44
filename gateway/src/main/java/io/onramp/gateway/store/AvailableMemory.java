package io.onramp.gateway.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;

/**
 * How much memory this process may still take without pushing something out: the kernel's {@code MemAvailable},
 * and within a memory-limited cgroup (a container's limit, which /proc/meminfo does not show) no more than its limit
 * less its usage. Files in a tmpfs count against both.
 */
final class AvailableMemory {

    /** cgroup v1 says "no limit" with a number near 2^63 (9223372036854771712, rounded to the page size). */
    private static final long UNLIMITED_V1 = 1L << 62;

    private final Path proc;
    private final Path cgroupRoot;

    AvailableMemory(Path proc, Path cgroupRoot) {
        this.proc = proc;
        this.cgroupRoot = cgroupRoot;
    }

    static AvailableMemory ofThisMachine() {
        return new AvailableMemory(Path.of("/proc"), Path.of("/sys/fs/cgroup"));
    }

    /** Bytes; empty when it cannot be told (not Linux, a kernel before 3.14): then treat as none. */
    OptionalLong bytes() {
        OptionalLong machine = memAvailable();
        if (machine.isEmpty()) {
            return machine;
        }
        OptionalLong cgroup = cgroupRoom();
        return cgroup.isPresent() ? OptionalLong.of(Math.min(machine.getAsLong(), cgroup.getAsLong())) : machine;
    }

    private OptionalLong memAvailable() {
        for (String line : lines(proc.resolve("meminfo"))) {
            if (line.startsWith("MemAvailable:")) {
                String kilobytes = line.substring("MemAvailable:".length()).trim().split("\\s+")[0];
                return OptionalLong.of(Long.parseLong(kilobytes) * 1024);
            }
        }
        return OptionalLong.empty();
    }

    /**
     * What this process's cgroup lets it take still: {@code memory.max - memory.current} in v2 ("0::/path"),
     * {@code memory.limit_in_bytes - memory.usage_in_bytes} in v1 ("4:memory:/path"); empty when unlimited or unknown.
     */
    private OptionalLong cgroupRoom() {
        OptionalLong room = OptionalLong.empty();
        for (String line : lines(proc.resolve("self").resolve("cgroup"))) {
            String[] fields = line.split(":", 3);
            if (fields.length < 3) {
                continue;
            }
            String path = fields[2].replaceFirst("^/+", "");
            OptionalLong found = OptionalLong.empty();
            if (fields[0].equals("0") && fields[1].isEmpty()) {
                found = room(cgroupRoot.resolve(path), "memory.max", "memory.current");
            } else if (List.of(fields[1].split(",")).contains("memory")) {
                found = room(cgroupRoot.resolve("memory").resolve(path), "memory.limit_in_bytes", "memory.usage_in_bytes");
            }
            if (found.isPresent() && (room.isEmpty() || found.getAsLong() < room.getAsLong())) {
                room = found;
            }
        }
        return room;
    }

    /** {@code limit - usage} read from {@code dir}; empty when either is missing or the limit is none. */
    private static OptionalLong room(Path dir, String limitFile, String usageFile) {
        List<String> limit = lines(dir.resolve(limitFile));
        List<String> usage = lines(dir.resolve(usageFile));
        if (limit.isEmpty() || usage.isEmpty() || limit.get(0).trim().equals("max")) {
            return OptionalLong.empty();
        }
        long max = Long.parseLong(limit.get(0).trim());
        if (max >= UNLIMITED_V1) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(Math.max(0, max - Long.parseLong(usage.get(0).trim())));
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            return List.of();
        }
    }
}
