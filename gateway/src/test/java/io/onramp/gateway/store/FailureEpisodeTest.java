package io.onramp.gateway.store;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

class FailureEpisodeTest {

    private final Logger logger = (Logger) LoggerFactory.getLogger("test.failure-episode");
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
    private final AtomicLong now = new AtomicLong();
    private final FailureEpisode episode = new FailureEpisode(logger, Level.ERROR, "a group's commit", now::get);

    @BeforeEach
    void attach() {
        lines.start();
        logger.addAppender(lines);
    }

    @AfterEach
    void detach() {
        logger.detachAppender(lines);
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
        assertThat(lines.list).hasSize(3);
        ILoggingEvent first = lines.list.get(0);
        assertThat(first.getLevel()).isEqualTo(ch.qos.logback.classic.Level.ERROR);
        assertThat(first.getFormattedMessage()).isEqualTo("a group's commit failed (3 writes failed)");
        assertThat(first.getThrowableProxy().getMessage()).isEqualTo("No space left on device");
        assertThat(lines.list.get(1).getFormattedMessage()).isEqualTo("a group's commit failed 10000 more times in the "
                + "last 10 s (3 writes failed), the latest with: java.io.IOException: No space left on device");
        assertThat(lines.list.get(1).getThrowableProxy()).isNull();
        assertThat(lines.list.get(2).getFormattedMessage()).startsWith("a group's commit failed 10000 more times");

        // WHEN it succeeds THEN one line ends the episode; the next failure begins a new one, with its trace
        episode.succeeded();
        episode.succeeded();
        assertThat(lines.list).hasSize(4);
        assertThat(lines.list.get(3).getFormattedMessage()).isEqualTo("a group's commit works again, after 25000 failures");
        episode.failed("", full);
        assertThat(lines.list).hasSize(5);
        assertThat(lines.list.get(4).getThrowableProxy()).isNotNull();
    }

    @Test
    void successesAloneLogNothing() {
        for (int i = 0; i < 100; i++) {
            episode.succeeded();
        }
        assertThat(lines.list).isEmpty();
    }
}
