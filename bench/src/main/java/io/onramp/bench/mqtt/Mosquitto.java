package io.onramp.bench.mqtt;

import io.onramp.certs.ca.LocalPki;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Mosquitto from the distribution, started with its own config on its own loopback address: plain
 * and TLS listeners, anyone let in, Nagle off (as Onramp has it), and the same bounds as Onramp: 256
 * unacknowledged QoS 1 messages and 1000 queued per client.
 */
final class Mosquitto implements BrokerUnderTest {

    static final String HOST = "127.0.0.61";
    private static final int PLAIN = 1883;
    private static final int TLS = 8883;

    private final Process process;
    private final File caFile;

    Mosquitto(Path workDir, LocalPki.Files pki) throws Exception {
        Path config = workDir.resolve("mosquitto.conf");
        // As root, Mosquitto would switch to its own user, who cannot read the bench's key files.
        String user = "root".equals(System.getProperty("user.name")) ? "user root\n" : "";
        Files.writeString(config, user + """
            per_listener_settings false
            allow_anonymous true
            persistence false
            log_dest none
            set_tcp_nodelay true
            max_queued_messages 1000
            max_inflight_messages 256
            listener %d %s
            listener %d %s
            certfile %s
            keyfile %s
            """.formatted(PLAIN, HOST, TLS, HOST, pki.serverCertificateChain(), pki.serverPrivateKey()));
        process = new ProcessBuilder("mosquitto", "-c", config.toString())
                .redirectErrorStream(true).redirectOutput(workDir.resolve("mosquitto.log").toFile()).start();
        Processes.awaitPort(HOST, PLAIN, process, 10_000);
        Processes.awaitPort(HOST, TLS, process, 10_000);
        caFile = pki.caCertificate().toFile();
    }

    static String version() {
        try {
            return Processes.run("mosquitto", "-h").lines().findFirst().orElse("mosquitto").trim();
        } catch (Exception e) {
            return "mosquitto (version unknown)";
        }
    }

    @Override
    public String name() {
        return "mosquitto";
    }

    @Override
    public String host() {
        return HOST;
    }

    @Override
    public int plainPort() {
        return PLAIN;
    }

    @Override
    public int tlsPort() {
        return TLS;
    }

    @Override
    public File caFile() {
        return caFile;
    }

    @Override
    public void prepareDevices(int count) {
        // anonymous: every client is let in
    }

    @Override
    public String deviceId(int i) {
        return "dev-" + i;
    }

    @Override
    public String deviceUser(int i) {
        return HOST + "/dev-" + i + "/?api-version=2021-04-12";
    }

    @Override
    public String devicePassword(int i) {
        return null;
    }

    @Override
    public String consumerUser() {
        return null;
    }

    @Override
    public String consumerPassword() {
        return null;
    }

    @Override
    public long memoryBytes() throws Exception {
        return Processes.rss(process.pid());
    }

    @Override
    public String memoryKind() {
        return "RSS";
    }

    @Override
    public void close() {
        Processes.stop(process);
    }
}
