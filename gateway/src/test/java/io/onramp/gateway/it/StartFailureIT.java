package io.onramp.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.onramp.gateway.app.Gateway;
import io.onramp.gateway.app.MainAccess;
import io.onramp.gateway.cli.Console;
import io.onramp.gateway.config.ConfigLoader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code onramp start} on a port another process holds: a clear error at once, and the data directory left usable. */
class StartFailureIT {

    static final String ADDRESS = "127.0.0.153";

    @TempDir
    Path dataDir;

    @Test
    void anHttpsPortInUseIsNamedAndTheStartEnds() throws Exception {
        try (ServerSocket holder = new ServerSocket(0, 50, InetAddress.getByName(ADDRESS))) {
            Path config = config(holder.getLocalPort(), -1);

            Result result = start(config);

            assertThat(result.code()).isEqualTo(1);
            assertThat(result.err()).contains("onramp: cannot listen for HTTPS on " + ADDRESS + ":" + holder.getLocalPort())
                    .contains("listen.https");
        }
        // nothing was left open: the same data directory starts
        Gateway gateway = Gateway.start(new ConfigLoader(Map.of(), Path.of("")).load(config(0, -1)))
                .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        gateway.stop().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    @Test
    void anMqttPortInUseIsNamedToo() throws Exception {
        try (ServerSocket holder = new ServerSocket(0, 50, InetAddress.getByName(ADDRESS))) {
            Result result = start(config(0, holder.getLocalPort()));

            assertThat(result.code()).isEqualTo(1);
            assertThat(result.err()).contains("cannot listen for MQTT over TLS on " + ADDRESS + ":" + holder.getLocalPort())
                    .contains("listen.mqtts");
        }
    }

    private Path config(int https, int mqtts) throws Exception {
        Path file = dataDir.resolve("onramp-" + https + "-" + mqtts + ".yaml");
        Files.writeString(file, """
            idScope: 0ne00000153
            dataDir: %s
            listen: { address: %s, https: %d, mqtts: %d, amqps: -1 }
            tls: { hostNames: [%s] }
            """.formatted(dataDir.resolve("data"), ADDRESS, https, mqtts, ADDRESS));
        return file;
    }

    /** Runs {@code onramp start}; a start that does not end within a minute fails the test (it used to hang). */
    private static Result start(Path config) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> MainAccess.run(
                new String[] {"start", "--config", config.toString()},
                new Console(new PrintStream(new ByteArrayOutputStream()), new PrintStream(err))));
        return new Result(code, err.toString(StandardCharsets.UTF_8));
    }

    private record Result(int code, String err) {}
}
