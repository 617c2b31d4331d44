package io.onramp.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.onramp.certs.ca.CaMaterial;
import io.onramp.certs.ca.CertificateAuthority;
import io.onramp.certs.ca.CertificateBuilder;
import io.onramp.certs.pem.PemWriter;
import io.onramp.gateway.app.Gateway;
import io.onramp.gateway.app.MainAccess;
import io.onramp.gateway.cli.Console;
import io.onramp.gateway.config.ConfigLoader;
import io.onramp.gateway.support.TestTls;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** {@code onramp start} with the operator's own TLS material, served on HTTPS and on the AMQP port of the shipped config. */
class ConfigStartIT {

    static final String ADDRESS = "127.0.0.180";

    @TempDir
    Path dir;

    /** srv.pem (server certificate, then its root), srv.key, root.pem, and other.key (a key of another certificate). */
    void writeTlsFiles() {
        CaMaterial root = CertificateBuilder.rootCa("config start root").issue();
        CaMaterial server = CertificateAuthority.issueServer(root, ADDRESS, List.of(ADDRESS), Duration.ofDays(1));
        CaMaterial other = CertificateAuthority.issueServer(root, ADDRESS, List.of(ADDRESS), Duration.ofDays(1));
        PemWriter.write(dir.resolve("srv.pem"), PemWriter.toPem(server.certificate(), root.certificate()), false);
        PemWriter.write(dir.resolve("root.pem"), PemWriter.toPem(root.certificate()), false);
        PemWriter.write(dir.resolve("srv.key"), PemWriter.toPem(server.privateKey()), true);
        PemWriter.write(dir.resolve("other.key"), PemWriter.toPem(other.privateKey()), true);
    }

    Path config(String listen, String tls) throws Exception {
        Path file = dir.resolve("onramp.yaml");
        Files.writeString(file, """
            idScope: 0ne00000180
            dataDir: %s
            listen: { address: %s, %s }
            tls: { %s }
            """.formatted(dir.resolve("data"), ADDRESS, listen, tls));
        return file;
    }

    @Test
    void aKeyOfAnotherCertificateStopsTheStartAtOnce() throws Exception {
        writeTlsFiles();
        Path config = config("https: 0, mqtts: -1, amqps: -1", "certificate: %s, privateKey: %s"
                .formatted(dir.resolve("srv.pem"), dir.resolve("other.key")));

        Result result = start(config);

        assertThat(result.code()).isEqualTo(1);
        assertThat(result.err()).contains("tls.privateKey: the key does not belong to the certificate in tls.certificate ("
                + dir.resolve("srv.pem") + ")");
        assertThat(dir.resolve("data")).as("nothing was started").doesNotExist();
    }

    @Test
    void aMissingCertificateIsNamedNotBlamedOnThePort() throws Exception {
        Path config = config("https: 0, mqtts: -1, amqps: -1", "certificate: %s, privateKey: %s"
                .formatted(dir.resolve("nope/server.pem"), dir.resolve("nope/server.key")));

        Result result = start(config);

        assertThat(result.code()).isEqualTo(1);
        assertThat(result.err()).contains("tls.certificate: cannot read " + dir.resolve("nope/server.pem") + ": no such file or directory")
                .doesNotContain("cannot listen").doesNotContain("another process");
    }

    @Test
    void aDataDirThatCannotBeMadeIsNamed() throws Exception {
        Path config = dir.resolve("proc.yaml");
        Files.writeString(config, """
            idScope: 0ne00000180
            dataDir: /proc/onramp-nope
            listen: { address: %s, https: 0, mqtts: -1, amqps: -1 }
            """.formatted(ADDRESS));

        Result result = start(config);

        assertThat(result.code()).isEqualTo(1);
        assertThat(result.err()).startsWith("onramp: dataDir: cannot create /proc/onramp-nope: ")
                .doesNotContain("Exception");
    }

    @Test
    void theOperatorsOwnCertificateServesHttpsAndAmqp() throws Exception {
        writeTlsFiles();
        Path config = config("https: 0, mqtts: -1, amqps: 5671", "certificate: srv.pem, privateKey: srv.key");
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        // The gateway's package: the listeners log where they listen.
        Logger gatewayLog = (Logger) LoggerFactory.getLogger(Gateway.class.getPackageName());
        gatewayLog.addAppender(log);
        log.start();
        Gateway gateway = Gateway.start(new ConfigLoader(Map.of(), dir).load(config))
                .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        try {
            try (SSLSocket socket = (SSLSocket) TestTls.trusting(dir.resolve("root.pem")).getSocketFactory()
                    .createSocket(ADDRESS, gateway.httpsPort())) {
                socket.startHandshake();
                assertThat(socket.getSession().getPeerCertificates()).hasSize(2);
            }
            assertThat(log.list).map(ILoggingEvent::getFormattedMessage)
                    .contains("AMQP over TLS listening on " + ADDRESS + ":5671 (DPS device API and hub devices)");
            assertThat(gateway.amqpsPort()).isEqualTo(5671);
            try (SSLSocket socket = (SSLSocket) TestTls.trusting(dir.resolve("root.pem")).getSocketFactory()
                    .createSocket(ADDRESS, 5671)) {
                socket.startHandshake();
                assertThat(socket.getSession().getPeerCertificates()).as("the operator's chain on AMQP too").hasSize(2);
            }
        } finally {
            gatewayLog.detachAppender(log);
            gateway.stop().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }

    /** Runs {@code onramp start}; one refused by its config ends within seconds. */
    private static Result start(Path config) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> MainAccess.run(
                new String[] {"start", "--config", config.toString()},
                new Console(new PrintStream(new ByteArrayOutputStream()), new PrintStream(err))));
        return new Result(code, err.toString(StandardCharsets.UTF_8));
    }

    private record Result(int code, String err) {}
}
