package io.onramp.bench.mqtt;

import io.onramp.bench.DpsRegistrations;
import io.onramp.certs.ca.LocalPki;
import io.onramp.certs.sas.SasTokenSigner;
import io.onramp.certs.sas.SymmetricKeys;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;

/**
 * Onramp as users run it: the shaded jar in its own JVM, with a config made for the bench (one hub
 * on its own loopback address, plaintext and TLS MQTT, one symmetric-key enrollment group). Devices
 * reach the hub as real ones do: provisioned through DPS over HTTPS, then logged in as Azure devices
 * with SAS tokens signed by their group-derived keys.
 */
final class OnrampTarget implements MqttTarget {

    static final String HOST = "127.0.0.60";
    static final String ID_SCOPE = "0ne0000BEC1";

    private final Process process;
    private final LocalPki.Files pki;
    private final int httpsPort;
    private final int plainPort;
    private final int tlsPort;
    private final int amqpsPort;
    private final String groupKey = SymmetricKeys.generate();
    private final byte[] ownerKey = SymmetricKeys.decode(SymmetricKeys.generate());
    private final long expiry = Instant.now().plusSeconds(24 * 3600).getEpochSecond();
    private final List<String> ids = new ArrayList<>();
    private final List<String> passwords = new ArrayList<>();
    /** The broker the hub forwards its telemetry to, where the consumer then reads; null for none. */
    private final MqttTarget upstream;

    OnrampTarget(Path workDir, LocalPki.Files pki, Path jar, List<String> jvmOptions, Path log, MqttTarget upstream)
            throws Exception {
        this.pki = pki;
        this.upstream = upstream;
        httpsPort = Processes.freePort(HOST);
        plainPort = Processes.freePort(HOST);
        tlsPort = Processes.freePort(HOST);
        amqpsPort = Processes.freePort(HOST);
        Path config = workDir.resolve(name() + "-bench.yaml");
        String forwardTo = upstream == null ? null : "mqtt://" + upstream.host() + ":" + upstream.port(false);
        Files.writeString(config, config(workDir.resolve(name() + "-data"), httpsPort, plainPort, tlsPort, amqpsPort, pki,
                groupKey, java.util.Base64.getEncoder().encodeToString(ownerKey), forwardTo));
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java")));
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", jar.toString(), "start", "--config", config.toString()));
        process = Processes.start(command, log);
        Processes.awaitPort(HOST, plainPort, process, 120_000);
        Processes.awaitPort(HOST, tlsPort, process, 10_000);
        Processes.awaitPort(HOST, httpsPort, process, 10_000);
        Processes.awaitPort(HOST, amqpsPort, process, 10_000);
    }

    /** The gateway config: the real loader reads it (see the test), so a format change breaks the bench loudly. */
    static String config(Path dataDir, int httpsPort, int plainPort, int tlsPort, int amqpsPort, LocalPki.Files pki,
            String groupKey, String ownerKey) {
        return config(dataDir, httpsPort, plainPort, tlsPort, amqpsPort, pki, groupKey, ownerKey, null);
    }

    /** With {@code upstreamUrl}, the hub forwards every message there through its outbox on disk. */
    static String config(Path dataDir, int httpsPort, int plainPort, int tlsPort, int amqpsPort, LocalPki.Files pki,
            String groupKey, String ownerKey, String upstreamUrl) {
        String upstream = upstreamUrl == null ? "" : ", upstream: { url: '" + upstreamUrl + "', outboxMegabytes: 8192 }";
        return """
                idScope: %s
                dataDir: %s
                listen: { address: %s, https: %d, mqtts: %d, amqps: %d, mqtt: %d }
                connections: { max: 1000000, perAddress: 1000000 }   # every load connection comes from one address
                tls: { certificate: %s, privateKey: %s }
                hubs:
                  - { name: bench, hostName: %s, ownerKey: %s%s }
                allocation: { policy: hashed }
                enrollmentGroups:
                  - enrollmentGroupId: mqtt-bench
                    attestation:
                      type: symmetricKey
                      symmetricKey: { primaryKey: %s }
                """.formatted(ID_SCOPE, dataDir, HOST, httpsPort, tlsPort, amqpsPort, plainPort, pki.serverCertificateChain(),
                pki.serverPrivateKey(), HOST, ownerKey, upstream, groupKey);
    }

    /** Registers the devices not yet registered through DPS and signs their hub tokens. */
    @Override
    public void prepareDevices(int count) throws Exception {
        int first = passwords.size();
        if (count <= first) {
            return;
        }
        // Registration IDs are new in every batch: a second call continues with another prefix.
        String prefix = first == 0 ? "mqtt-bench-" : "mqtt-bench-" + first + "-";
        double rate = DpsRegistrations.register(caFile().toPath(), HOST, httpsPort, ID_SCOPE, groupKey, prefix,
                count - first);
        System.out.printf(Locale.ROOT, "# onramp: %,d devices provisioned through DPS over HTTPS at %,.0f/s%n",
                count - first, rate);
        for (int i = first; i < count; i++) {
            String id = prefix + (i - first);
            byte[] deviceKey = SymmetricKeys.decode(SymmetricKeys.deriveDeviceKey(groupKey, id));
            // sr encoded, no skn: what the Node and Python SDKs send (spec 2.1).
            passwords.add(SasTokenSigner.sign(HOST + "%2Fdevices%2F" + id, expiry, deviceKey, null));
            ids.add(id);
        }
    }

    @Override
    public int devices() {
        return ids.size();
    }

    @Override
    public String name() {
        return upstream == null ? MqttBenchOptions.ONRAMP : MqttBenchOptions.ONRAMP_UPSTREAM;
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
    public int amqpPort() {
        return amqpsPort;
    }

    @Override
    public File caFile() {
        return pki.caCertificate().toFile();
    }

    @Override
    public String deviceId(int i) {
        return ids.get(i);
    }

    @Override
    public String deviceUser(int i) {
        return HOST + "/" + deviceId(i) + "/?api-version=2021-04-12";
    }

    @Override
    public String devicePassword(int i) {
        return passwords.get(i);
    }

    @Override
    public String consumerHost() {
        return upstream == null ? HOST : upstream.host();
    }

    @Override
    public int consumerPort() {
        return upstream == null ? plainPort : upstream.port(false);
    }

    @Override
    public String consumerUser() {
        return upstream == null ? HOST + "/$service" : upstream.consumerUser();
    }

    @Override
    public String consumerPassword() {
        return upstream == null ? SasTokenSigner.sign(HOST, expiry, ownerKey, "iothubowner") : upstream.consumerPassword();
    }

    @Override
    public long pid() {
        return process.pid();
    }

    /** Heap in use after two full collections, as jcmd reports it. */
    @Override
    public OptionalLong heapBytes() throws Exception {
        return OptionalLong.of(Processes.heapUsedAfterGc(process.pid()));
    }

    @Override
    public void resetMemory() {
        // the heap after a full collection holds only what is live: nothing to reset
    }

    @Override
    public void close() {
        Processes.stop(process);
    }
}
