package io.onramp.gateway.store;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Says how a journal replay is going while it runs, so that a start that takes long is not a silent one: every
 * {@value #PERIOD_SECONDS} s, how many records are redone, or, when none was since the last time, which record
 * the replay is waiting on. Once, with H2's pages written in the background, a replay after a kill waited for
 * ever on a row lock inside H2, which no timeout ended; the operator then at least knows what the start waits for.
 */
final class ReplayProgress implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ReplayProgress.class);
    static final long PERIOD_SECONDS = 10;

    private final int total;
    private final Consumer<String> progress;
    private final Consumer<String> stuck;
    private final ScheduledExecutorService ticks;
    // Written by the replaying thread only, read by the ticks.
    private volatile int done;
    private volatile long current;
    private int doneAtLastTick;
    private long ticksWithoutProgress;

    private ReplayProgress(int total, Consumer<String> progress, Consumer<String> stuck,
            ScheduledExecutorService ticks) {
        this.total = total;
        this.progress = progress;
        this.stuck = stuck;
        this.ticks = ticks;
    }

    /** Reports to the log every {@value #PERIOD_SECONDS} s until closed. */
    static ReplayProgress logged(int total) {
        ScheduledExecutorService ticks = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "onramp-store-replay-progress");
            t.setDaemon(true);
            return t;
        });
        ReplayProgress progress = new ReplayProgress(total, LOG::info, LOG::warn, ticks);
        ticks.scheduleAtFixedRate(progress::tick, PERIOD_SECONDS, PERIOD_SECONDS, TimeUnit.SECONDS);
        return progress;
    }

    /** Reports only when {@link #tick()} is called: for tests. */
    static ReplayProgress manual(int total, Consumer<String> report) {
        return new ReplayProgress(total, report, report, null);
    }

    void redoing(long recordNumber) {
        current = recordNumber;
    }

    void redone() {
        done++;
    }

    void tick() {
        int now = done;
        if (now > doneAtLastTick) {
            ticksWithoutProgress = 0;
            progress.accept(String.format("store: replaying the journal, %d of %d records redone", now, total));
        } else {
            ticksWithoutProgress++;
            stuck.accept(String.format("store: journal record %d has been redoing for %d s with no progress; the"
                    + " start waits for it (H2 may be stuck on a row lock; a thread dump shows where)", current,
                    ticksWithoutProgress * PERIOD_SECONDS));
        }
        doneAtLastTick = now;
    }

    @Override
    public void close() {
        if (ticks != null) {
            ticks.shutdownNow();
        }
    }
}
