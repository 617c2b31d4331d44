package io.onramp.bench.mqtt;

import io.onramp.certs.ca.LocalPki;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;

/**
 * Mosquitto from the distribution, started with a config of its own on its own loopback address
 * (never the system service): plain and TLS listeners on free ports, anyone let in, user names
 * ignored, Nagle off, and the bounds Onramp has: 256 unacknowledged QoS 1 messages per client and
 * 20,000 queued behind them.
 */
final class MosquittoTarget implements MqttTarget {

    static final String HOST = "127.0.0.61";

    private final Path workDir;
    private final LocalPki.Files pki;
    private final int plainPort;
    private final int tlsPort;
    private Process process;
    private int devices;

    MosquittoTarget(Path workDir, LocalPki.Files pki) throws Exception {
        this.workDir = workDir;
        this.pki = pki;
        this.plainPort = Processes.freePort(HOST);
        this.tlsPort = Processes.freePort(HOST);
        start();
    }

    static String config(int plainPort, int tlsPort, LocalPki.Files pki, boolean asRoot) {
        // As root, Mosquitto would switch to its own user, who cannot read the bench's key files.
        return (asRoot ? "user root\n" : "") + """
                per_listener_settings false
                allow_anonymous true
                persistence false
                log_dest stderr
                log_type error
                log_type warning
                set_tcp_nodelay true
                max_inflight_messages 256
                max_queued_messages 20000
                max_queued_bytes 0
                listener %d %s
                listener %d %s
                certfile %s
                keyfile %s
                """.formatted(plainPort, HOST, tlsPort, HOST, pki.serverCertificateChain(), pki.serverPrivateKey());
    }

    private void start() throws Exception {
        Path config = workDir.resolve("mosquitto.conf");
        Files.writeString(config, config(plainPort, tlsPort, pki, "root".equals(System.getProperty("user.name"))));
        process = Processes.start(List.of("mosquitto", "-c", config.toString()), workDir.resolve("mosquitto.log"));
        Processes.awaitPort(HOST, plainPort, process, 10_000);
        Processes.awaitPort(HOST, tlsPort, process, 10_000);
    }

    static String version() {
        try {
            return Processes.run("mosquitto", "-h").lines().filter(l -> l.contains("version")).findFirst()
                    .orElse("mosquitto").trim();
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
    public int port(boolean tls) {
        return tls ? tlsPort : plainPort;
    }

    @Override
    public File caFile() {
        return pki.caCertificate().toFile();
    }

    @Override
    public void prepareDevices(int count) {
        // anonymous: every client is let in
        devices = Math.max(devices, count);
    }

    @Override
    public int devices() {
        return devices;
    }

    @Override
    public String deviceId(int i) {
        return "mqtt-bench-" + i;
    }

    @Override
    public String deviceUser(int i) {
        return HOST + "/" + deviceId(i) + "/?api-version=2021-04-12";
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
    public long pid() {
        return process.pid();
    }

    @Override
    public OptionalLong heapBytes() {
        return OptionalLong.empty();
    }

    @Override
    public void resetMemory() throws Exception {
        Processes.stop(process);
        start();
    }

    @Override
    public void close() {
        Processes.stop(process);
    }
}
