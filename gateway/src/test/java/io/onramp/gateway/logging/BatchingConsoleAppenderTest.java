package io.onramp.gateway.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BatchingConsoleAppenderTest {

    private final ByteArrayOutputStream written = new ByteArrayOutputStream();
    private final LoggerContext context = new LoggerContext();
    private final BatchingConsoleAppender appender = new BatchingConsoleAppender();
    private final Logger log = context.getLogger("audit.registration");

    @AfterEach
    void stop() {
        context.stop();
    }

    @Test
    void linesAreWrittenInOrderWithinABatchPeriod() throws Exception {
        start(16, 20);
        for (int i = 0; i < 10; i++) {
            log.info("assigned sensor-{}", i);
        }
        awaitText("sensor-9");
        assertThat(lines()).containsExactly("INFO assigned sensor-0", "INFO assigned sensor-1", "INFO assigned sensor-2",
                "INFO assigned sensor-3", "INFO assigned sensor-4", "INFO assigned sensor-5", "INFO assigned sensor-6",
                "INFO assigned sensor-7", "INFO assigned sensor-8", "INFO assigned sensor-9");
    }

    @Test
    void stoppingWritesTheLinesStillWaiting() {
        start(16, TimeUnit.HOURS.toMillis(1));
        log.info("first");
        log.info("last");

        context.stop();

        assertThat(lines()).containsExactly("INFO first", "INFO last");
    }

    @Test
    void aWarningIsWrittenAtOnceWithWhatCameBeforeIt() throws Exception {
        start(16, TimeUnit.HOURS.toMillis(1));
        log.info("before");
        log.warn("store is slow");

        awaitText("store is slow");

        assertThat(lines()).containsExactly("INFO before", "WARN store is slow");
    }

    @Test
    void pastTheQueueSizeLinesAreDroppedCountedAndTheCallerNeverWaits() {
        start(10, TimeUnit.HOURS.toMillis(1));
        for (int i = 0; i < 25; i++) {
            log.info("line {}", i);
        }

        context.stop();

        assertThat(lines()).hasSize(11).startsWith("INFO line 0").contains("INFO line 9")
                .endsWith("15 log lines dropped: more came than could be written");
    }

    private void start(int queueSize, long flushMillis) {
        context.setMDCAdapter(new LogbackMDCAdapter());
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("%level %msg%n");
        encoder.start();
        appender.setContext(context);
        appender.setEncoder(encoder);
        appender.setQueueSize(queueSize);
        appender.setFlushMillis(flushMillis);
        appender.setOut(new PrintStream(written, true, StandardCharsets.UTF_8));
        appender.start();
        log.addAppender(appender);
    }

    private void awaitText(String text) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!text().contains(text) && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
    }

    private String text() {
        synchronized (written) {
            return written.toString(StandardCharsets.UTF_8);
        }
    }

    private List<String> lines() {
        return text().lines().toList();
    }
}
