package io.onramp.gateway.logging;

import ch.qos.logback.classic.LoggerContext;
import org.slf4j.LoggerFactory;

/** The end of logging: lines still waiting in a background appender are written before the JVM exits. */
public final class LogLines {

    private LogLines() {}

    /** Stops the logger context, which writes what its appenders still hold; later lines are not logged. */
    public static void writeAndStop() {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            context.stop();
        }
    }
}
