package io.onramp.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.onramp.gateway.support.GatewayProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code onramp start} in its own process, stopped by SIGTERM and killed with -9: the log says it stops (a log
 * that ends without "stopped" was cut short), and the start after a kill says in words that the previous run
 * did not stop cleanly; the start after a clean stop does not.
 */
class StopAndCrashLogIT {

    static final String ADDRESS = "127.0.0.245";
    static final String CRASH_WARNING = "the previous run did not stop cleanly";

    @TempDir
    Path dir;

    @Test
    void aCleanStopIsLoggedAndOnlyTheStartAfterAKillWarns() throws Exception {
        Path config = config();

        // GIVEN a gateway stopped by SIGTERM
        GatewayProcess first = GatewayProcess.start(config);
        assertThat(first.output()).doesNotContain(CRASH_WARNING);
        String stopped = first.terminate();
        assertThat(stopped).contains("stopping (signal)", "store closed", "stopped");
        assertThat(stopped.indexOf("store closed")).isLessThan(stopped.lastIndexOf(" - stopped"));

        // WHEN it starts again THEN nothing is said about the previous run; then it is killed
        GatewayProcess second = GatewayProcess.start(config);
        assertThat(second.output()).doesNotContain(CRASH_WARNING);
        second.kill();

        // WHEN it starts after the kill THEN one plain warning says so
        GatewayProcess third = GatewayProcess.start(config);
        String out = third.terminate();
        assertThat(out).contains(CRASH_WARNING).doesNotContain("journal records", "H2");
    }

    private Path config() throws Exception {
        return Files.writeString(dir.resolve("onramp.yaml"), """
            idScope: 0ne00000245
            dataDir: %s
            listen: { address: %s, https: 0, mqtts: -1, amqps: -1 }
            tls: { hostNames: [%s] }
            """.formatted(dir.resolve("data"), ADDRESS, ADDRESS));
    }
}
