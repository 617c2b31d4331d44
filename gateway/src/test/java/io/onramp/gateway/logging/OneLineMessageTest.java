package io.onramp.gateway.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.status.Status;
import ch.qos.logback.core.status.StatusUtil;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** What a client sends cannot start a log line of its own: the shipped pattern escapes control characters. */
class OneLineMessageTest {

    @Test
    void controlCharactersAreEscapedAndEverythingElseIsLeftAsItIs() {
        assertThat(OneLineMessage.escape("plain séñsor-46 \"quoted\"")).isEqualTo("plain séñsor-46 \"quoted\"");
        assertThat(OneLineMessage.escape("a\nb\r\tc\u0007d\u007fe\u2028")).isEqualTo("a\\nb\\r\\tc\\u0007d\\u007fe\\u2028");
    }

    @Test
    void theShippedConfigWritesAForgedAuditLineInsideTheLineThatCarriesIt() throws Exception {
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(new LogbackMDCAdapter());
        JoranConfigurator joran = new JoranConfigurator();
        joran.setContext(context);
        joran.doConfigure(getClass().getResource("/logback.xml"));
        // A warning of logback's own (a deprecated attribute, say) is printed on stdout at every start.
        assertThat(new StatusUtil(context).getHighestLevel(0)).as("logback's own status").isLessThan(Status.WARN);
        ByteArrayOutputStream written = new ByteArrayOutputStream();
        BatchingConsoleAppender appender = (BatchingConsoleAppender) context.getLogger(Logger.ROOT_LOGGER_NAME)
                .getAppender("STDERR");
        appender.setOut(new PrintStream(written, true, StandardCharsets.UTF_8));

        // an MQTT user name as a client sent it (walk X, defect 2)
        context.getLogger("io.onramp.broker.hub.HubRealm").warn("malformed user name {}",
                "127.0.0.226/dev\n07:05:00.000 INFO  audit.registration - assigned forged-device hub=127.0.0.226");
        context.stop();

        assertThat(written.toString(StandardCharsets.UTF_8).lines()).singleElement().asString()
                .endsWith("malformed user name 127.0.0.226/dev\\n07:05:00.000 INFO  audit.registration - assigned"
                        + " forged-device hub=127.0.0.226");
    }
}
