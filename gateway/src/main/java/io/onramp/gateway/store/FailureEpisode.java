package io.onramp.gateway.store;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.event.Level;

/**
 * One kind of store failure that repeats as often as the store is asked (every group's commit, every page write, on
 * a full disk), logged as an episode: its first failure with the stack trace, the repeats at most once every
 * {@value #REPORT_EVERY_SECONDS} s with their count and the latest cause, and the first success after them once.
 * A full disk logged a stack trace per group and per 100 ms: 260,000 lines in 20 s, which dropped the lines that
 * mattered from the log. Used by one thread.
 */
final class FailureEpisode {

    static final long REPORT_EVERY_SECONDS = 10;
    private static final long REPORT_EVERY_NANOS = TimeUnit.SECONDS.toNanos(REPORT_EVERY_SECONDS);

    private final Logger log;
    private final Level level;
    private final String what;
    private final LongSupplier nanoTime;
    /** Failures since the episode began; 0 outside one. */
    private long failures;
    private long unreported;
    private long reportedAtNanos;

    /** {@code what} names the work, as in "{what} failed". */
    FailureEpisode(Logger log, Level level, String what) {
        this(log, level, what, System::nanoTime);
    }

    FailureEpisode(Logger log, Level level, String what, LongSupplier nanoTime) {
        this.log = log;
        this.level = level;
        this.what = what;
        this.nanoTime = nanoTime;
    }

    /** {@code detail} says what this failure cost (which writes failed), or is empty. */
    void failed(String detail, Throwable cause) {
        long now = nanoTime.getAsLong();
        if (failures++ == 0) {
            log.atLevel(level).setCause(cause).log("{} failed{}", what, detail);
            reportedAtNanos = now;
            return;
        }
        unreported++;
        if (now - reportedAtNanos >= REPORT_EVERY_NANOS) {
            log.atLevel(level).log("{} failed {} more times in the last {} s{}, the latest with: {}", what, unreported,
                    TimeUnit.NANOSECONDS.toSeconds(now - reportedAtNanos), detail, cause.toString());
            unreported = 0;
            reportedAtNanos = now;
        }
    }

    /** Ends the episode, if one was going on. */
    void succeeded() {
        if (failures > 0) {
            log.info("{} works again, after {} failures", what, failures);
            failures = 0;
            unreported = 0;
        }
    }
}
