package io.onramp.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
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
        Running first = Running.start(config);
        assertThat(first.output()).doesNotContain(CRASH_WARNING);
        String stopped = first.terminate();
        assertThat(stopped).contains("stopping (signal)", "store closed", "stopped");
        assertThat(stopped.indexOf("store closed")).isLessThan(stopped.lastIndexOf(" - stopped"));

        // WHEN it starts again THEN nothing is said about the previous run; then it is killed
        Running second = Running.start(config);
        assertThat(second.output()).doesNotContain(CRASH_WARNING);
        second.kill();

        // WHEN it starts after the kill THEN one plain warning says so
        Running third = Running.start(config);
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

    /** One {@code onramp start} process, its output (log included) collected as it comes. */
    private record Running(Process process, StringBuffer seen, Thread reader) {

        static Running start(Path config) throws Exception {
            Process process = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-cp",
                    System.getProperty("java.class.path"), "io.onramp.gateway.app.Main", "start", "--config",
                    config.toString()).redirectErrorStream(true).start();
            StringBuffer seen = new StringBuffer();
            CountDownLatch running = new CountDownLatch(1);
            Thread reader = new Thread(() -> {
                try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    for (String line = out.readLine(); line != null; line = out.readLine()) {
                        seen.append(line).append('\n');
                        if (line.startsWith("Onramp is running")) {
                            running.countDown();
                        }
                    }
                } catch (Exception e) {
                    // the process ended
                }
            });
            reader.setDaemon(true);
            reader.start();
            if (!running.await(90, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("onramp did not start:\n" + seen);
            }
            // the banner comes after the start's log lines, but the log is written in batches: let them come
            Thread.sleep(500);
            return new Running(process, seen, reader);
        }

        String output() {
            return seen.toString();
        }

        /** SIGTERM, as systemctl stop does; answers everything it printed. */
        String terminate() throws Exception {
            // Through its handle: Process.destroy() also closes our end of its output, losing the lines of its stop.
            process.toHandle().destroy();
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            reader.join(10_000);
            return output() + "\nexit " + process.exitValue();
        }

        void kill() throws Exception {
            process.destroyForcibly();
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
            reader.join(10_000);
        }
    }
}
