package io.onramp.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.onramp.gateway.app.MainAccess;
import io.onramp.gateway.cli.Console;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A second {@code onramp start} on a data directory a running Onramp holds says so in words (it used
 * to print H2's "StoreException: … Database may be already in use … [90020-252]"). The first Onramp
 * runs in its own process: H2 shares a database between the opens of one JVM.
 */
class StartDataDirInUseIT {

    static final String FIRST = "127.0.0.192";
    static final String SECOND = "127.0.0.193";

    @TempDir
    Path dir;

    @Test
    void aSecondStartOnTheSameDataDirIsToldToStopTheFirst() throws Exception {
        Path data = dir.resolve("data");
        Process first = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-cp",
                System.getProperty("java.class.path"), "io.onramp.gateway.app.Main", "start", "--config",
                config(FIRST, data).toString()).redirectErrorStream(true).start();
        try {
            assertTimeoutPreemptively(Duration.ofSeconds(90), () -> awaitRunning(first));
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int code = MainAccess.run(new String[] {"start", "--config", config(SECOND, data).toString()},
                    new Console(new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true, StandardCharsets.UTF_8)));

            assertThat(code).isEqualTo(1);
            assertThat(err.toString(StandardCharsets.UTF_8).strip()).isEqualTo("onramp: the data directory " + data
                    + " is in use by another Onramp (or was not released yet); stop it first, or give this one another dataDir");
        } finally {
            first.destroy();
            first.waitFor(30, TimeUnit.SECONDS);
        }
    }

    private static void awaitRunning(Process process) throws Exception {
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder seen = new StringBuilder();
        for (String line = out.readLine(); line != null; line = out.readLine()) {
            seen.append(line).append('\n');
            if (line.startsWith("Onramp is running")) {
                Thread drain = new Thread(() -> out.lines().forEach(l -> { })); // keeps its pipe from filling
                drain.setDaemon(true);
                drain.start();
                return;
            }
        }
        throw new AssertionError("the first onramp did not start:\n" + seen);
    }

    private Path config(String address, Path data) throws Exception {
        Path file = dir.resolve("onramp-" + address + ".yaml");
        Files.writeString(file, """
            idScope: 0ne00000192
            dataDir: %s
            listen: { address: %s, https: 0, mqtts: -1, amqps: -1 }
            tls: { hostNames: [%s] }
            """.formatted(data, address, address));
        return file;
    }
}
