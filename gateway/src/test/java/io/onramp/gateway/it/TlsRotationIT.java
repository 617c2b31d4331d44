package io.onramp.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.onramp.certs.ca.CaMaterial;
import io.onramp.certs.ca.CertificateAuthority;
import io.onramp.certs.ca.CertificateBuilder;
import io.onramp.certs.pem.PemReader;
import io.onramp.certs.pem.PemWriter;
import io.onramp.gateway.app.ConfigWatcher;
import io.onramp.gateway.app.Gateway;
import io.onramp.gateway.config.ConfigLoader;
import io.onramp.gateway.support.TestTls;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator's server certificate renewed on disk under a running gateway: new connections on every TLS
 * listener get the new one, without a restart (a certificate that expires must not take the factory down); and a
 * self-made one near its end issued again by the gateway itself.
 */
class TlsRotationIT {

    static final String ADDRESS = "127.0.0.203";

    @TempDir
    Path dir;

    @Test
    void aRenewedCertificateIsServedToNewConnectionsOnHttpsMqttAndAmqp() throws Exception {
        CaMaterial root = CertificateBuilder.rootCa("rotation root").issue();
        PemWriter.write(dir.resolve("root.pem"), PemWriter.toPem(root.certificate()), false);
        BigInteger first = writeServerFiles(root, Duration.ofDays(1));
        Path config = dir.resolve("onramp.yaml");
        Files.writeString(config, """
            idScope: 0ne00000203
            dataDir: %s
            listen: { address: %s, https: 0, mqtts: 0, amqps: 0 }
            tls: { certificate: srv.pem, privateKey: srv.key }
            """.formatted(dir.resolve("data"), ADDRESS));
        ConfigLoader loader = new ConfigLoader(Map.of(), dir);
        Gateway gateway = Gateway.start(loader.load(config)).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        try {
            gateway.watchConfigFile(config, loader);
            SSLContext tls = TestTls.trusting(dir.resolve("root.pem"));
            assertThat(servedSerial(tls, gateway.httpsPort())).isEqualTo(first);
            assertThat(servedSerial(tls, gateway.mqttsPort())).isEqualTo(first);
            assertThat(servedSerial(tls, gateway.amqpsPort())).isEqualTo(first);

            BigInteger renewed = writeServerFiles(root, Duration.ofDays(90));

            Instant deadline = Instant.now().plus(ConfigWatcher.INTERVAL.multipliedBy(8));
            while (!servedSerial(tls, gateway.httpsPort()).equals(renewed) && Instant.now().isBefore(deadline)) {
                Thread.sleep(100);
            }
            assertThat(servedSerial(tls, gateway.httpsPort())).isEqualTo(renewed);
            assertThat(servedSerial(tls, gateway.mqttsPort())).isEqualTo(renewed);
            assertThat(servedSerial(tls, gateway.amqpsPort())).isEqualTo(renewed);
            // AND the expiry metric follows the renewed certificate at once, not at the next daily check
            X509Certificate renewedCertificate = PemReader.readCertificates(dir.resolve("srv.pem")).get(0);
            assertThat(renewedCertificate.getSerialNumber()).isEqualTo(renewed);
            deadline = Instant.now().plus(ConfigWatcher.INTERVAL.multipliedBy(4));
            while (!metrics(tls, gateway).contains(notAfterMetric(renewedCertificate)) && Instant.now().isBefore(deadline)) {
                Thread.sleep(100);
            }
            assertThat(metrics(tls, gateway)).contains(notAfterMetric(renewedCertificate));
        } finally {
            gateway.stop().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void aSelfMadeCertificateDueWithinThirtyDaysIsIssuedAgainAndServedWithoutARestart() throws Exception {
        Path data = dir.resolve("data");
        Path config = dir.resolve("onramp.yaml");
        Files.writeString(config, """
            idScope: 0ne00000203
            dataDir: %s
            listen: { address: %s, https: 0, mqtts: 0, amqps: -1 }
            tls: { hostNames: [%s] }
            """.formatted(data, ADDRESS, ADDRESS));
        Gateway gateway = Gateway.start(new ConfigLoader(Map.of(), dir).load(config)).toCompletionStage()
                .toCompletableFuture().get(60, TimeUnit.SECONDS);
        try {
            SSLContext tls = TestTls.trusting(data.resolve("tls").resolve("ca.pem"));
            // GIVEN the listeners serving a self-made certificate 10 days from its end (the same CA's)
            CaMaterial ca = new CaMaterial(PemReader.readCertificates(data.resolve("tls").resolve("ca.pem")).get(0),
                    PemReader.readPrivateKey(data.resolve("tls").resolve("ca.key")));
            CaMaterial due = CertificateAuthority.issueServer(ca, ADDRESS, List.of(ADDRESS), Duration.ofDays(10));
            PemWriter.write(data.resolve("tls").resolve("server.key"), PemWriter.toPem(due.privateKey()), true);
            PemWriter.write(data.resolve("tls").resolve("server.pem"), PemWriter.toPem(due.certificate(),
                    ca.certificate()), false);
            gateway.reloadTls().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            assertThat(servedSerial(tls, gateway.httpsPort())).isEqualTo(due.certificate().getSerialNumber());

            // WHEN the daily check runs
            gateway.checkCertificates().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);

            // THEN new connections get a certificate of the same CA, good for two more years, on every listener
            X509Certificate renewed = served(tls, gateway.httpsPort());
            assertThat(renewed.getSerialNumber()).isNotEqualTo(due.certificate().getSerialNumber());
            assertThat(renewed.getNotAfter().toInstant()).isAfter(Instant.now().plus(Duration.ofDays(700)));
            assertThat(servedSerial(tls, gateway.mqttsPort())).isEqualTo(renewed.getSerialNumber());
            // AND the operators' metrics say when it ends
            assertThat(metrics(tls, gateway)).contains(notAfterMetric(renewed));
        } finally {
            gateway.stop().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }

    private static String metrics(SSLContext tls, Gateway gateway) throws Exception {
        return HttpClient.newBuilder().sslContext(tls).build().send(HttpRequest.newBuilder(
                URI.create("https://" + ADDRESS + ":" + gateway.httpsPort() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private static String notAfterMetric(X509Certificate certificate) {
        return "onramp_tls_server_certificate_not_after_seconds " + certificate.getNotAfter().toInstant().getEpochSecond();
    }

    /** A new server certificate and key, each file replaced whole (as a renewal tool does), one after the other. */
    private BigInteger writeServerFiles(CaMaterial root, Duration validity) throws Exception {
        CaMaterial server = CertificateAuthority.issueServer(root, ADDRESS, List.of(ADDRESS), validity);
        PemWriter.write(dir.resolve("srv.pem.new"), PemWriter.toPem(server.certificate(), root.certificate()), false);
        PemWriter.write(dir.resolve("srv.key.new"), PemWriter.toPem(server.privateKey()), true);
        Files.move(dir.resolve("srv.pem.new"), dir.resolve("srv.pem"), StandardCopyOption.ATOMIC_MOVE,
                StandardCopyOption.REPLACE_EXISTING);
        Files.move(dir.resolve("srv.key.new"), dir.resolve("srv.key"), StandardCopyOption.ATOMIC_MOVE,
                StandardCopyOption.REPLACE_EXISTING);
        return server.certificate().getSerialNumber();
    }

    private static BigInteger servedSerial(SSLContext tls, int port) throws Exception {
        return served(tls, port).getSerialNumber();
    }

    private static X509Certificate served(SSLContext tls, int port) throws Exception {
        try (SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket(ADDRESS, port)) {
            socket.startHandshake();
            return (X509Certificate) socket.getSession().getPeerCertificates()[0];
        }
    }
}
