package io.onramp.gateway.store;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.spi.ILoggingEvent;
import io.onramp.gateway.support.CapturedLog;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

class FailureEpisodeTest {

    private final CapturedLog log = CapturedLog.of(FailureEpisodeTest.class);
    private final AtomicLong now = new AtomicLong();
    private final FailureEpisode episode = new FailureEpisode(LoggerFactory.getLogger(FailureEpisodeTest.class),
            Level.ERROR, "a group's commit", now::get);

    @AfterEach
    void detach() {
        log.close();
    }

    @Test
    void aFailureRepeatedThousandsOfTimesIsOneLineWithItsTraceThenOneLineEveryTenSeconds() {
        IOException full = new IOException("No space left on device");
        // GIVEN a failure at every attempt, 1,000 attempts a second for 25 s
        for (int i = 0; i < 25_000; i++) {
            episode.failed(" (3 writes failed)", full);
            now.addAndGet(TimeUnit.MILLISECONDS.toNanos(1));
        }

        // THEN the first with its stack trace, then one line per 10 s with the count and the latest cause
        assertThat(log.lines()).hasSize(3);
        ILoggingEvent first = log.lines().get(0);
        assertThat(first.getLevel()).isEqualTo(ch.qos.logback.classic.Level.ERROR);
        assertThat(first.getFormattedMessage()).isEqualTo("a group's commit failed (3 writes failed)");
        assertThat(first.getThrowableProxy().getMessage()).isEqualTo("No space left on device");
        assertThat(log.lines().get(1).getFormattedMessage()).isEqualTo("a group's commit failed 10000 more times in the "
                + "last 10 s (3 writes failed), the latest with: java.io.IOException: No space left on device");
        assertThat(log.lines().get(1).getThrowableProxy()).isNull();
        assertThat(log.lines().get(2).getFormattedMessage()).startsWith("a group's commit failed 10000 more times");

        // WHEN it succeeds THEN one line ends the episode; the next failure begins a new one, with its trace
        episode.succeeded();
        episode.succeeded();
        assertThat(log.lines()).hasSize(4);
        assertThat(log.lines().get(3).getFormattedMessage()).isEqualTo("a group's commit works again, after 25000 failures");
        episode.failed("", full);
        assertThat(log.lines()).hasSize(5);
        assertThat(log.lines().get(4).getThrowableProxy()).isNotNull();
    }

    @Test
    void successesAloneLogNothing() {
        for (int i = 0; i < 100; i++) {
            episode.succeeded();
        }
        assertThat(log.lines()).isEmpty();
    }
}
