package io.onramp.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * This process's minor page faults so far ({@code minflt} of {@code /proc/self/stat}). A new JVM's heap is memory
 * the kernel has not yet handed out: ZGC's heap, a memfd on tmpfs, gets each page zeroed on its first touch, and at
 * 4,150 registrations/s that took the gateway about 2.5 minutes for a 6 GB heap, at 10-16 % of the event loops' and
 * the store writer's CPU meanwhile (2026-11-29). A gateway that has run for a while pays it again only after ZGC's
 * cycles (up to a few faults per registration for a while), which the rounds, each begun after a collection, do not
 * meet; so the warm-up waits until faults are rare, and each round says how many it saw.
 */
final class PageFaults {

    private static final Path SELF_STAT = Path.of("/proc/self/stat");

    private PageFaults() {
    }

    /** Minor faults of this process since it started; -1 where the system does not tell. */
    static long minor() {
        try {
            return Files.exists(SELF_STAT) ? minorOf(Files.readString(SELF_STAT)) : -1;
        } catch (IOException e) {
            return -1;
        }
    }

    /** The 10th field of a {@code /proc/PID/stat} line; the 2nd, the command in parentheses, may hold spaces. */
    static long minorOf(String stat) {
        String afterCommand = stat.substring(stat.lastIndexOf(')') + 2);
        // fields from the 3rd on: state ppid pgrp session tty_nr tpgid flags minflt
        return Long.parseLong(afterCommand.split(" ")[7]);
    }
}
