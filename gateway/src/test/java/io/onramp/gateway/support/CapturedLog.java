package io.onramp.gateway.support;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.slf4j.LoggerFactory;

/** The lines a logger (and those under it) logs from now until {@link #close()}, for a test to read. */
public final class CapturedLog implements AutoCloseable {

    private final Logger logger;
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    private CapturedLog(Logger logger) {
        this.logger = logger;
        appender.start();
        logger.addAppender(appender);
    }

    /** What {@code source}'s logger logs. */
    public static CapturedLog of(Class<?> source) {
        return new CapturedLog((Logger) LoggerFactory.getLogger(source));
    }

    /** Every line, of every logger. */
    public static CapturedLog all() {
        return new CapturedLog((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME));
    }

    /** The lines so far, in order: a copy, safe to read while other threads log. */
    public List<ILoggingEvent> lines() {
        synchronized (appender) {
            return List.copyOf(appender.list);
        }
    }

    public void clear() {
        synchronized (appender) {
            appender.list.clear();
        }
    }

    @Override
    public void close() {
        logger.detachAppender(appender);
    }
}
