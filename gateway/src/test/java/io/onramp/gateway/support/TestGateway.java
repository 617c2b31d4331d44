package io.onramp.gateway.support;

import io.onramp.gateway.app.ConfigWatcher;
import io.onramp.gateway.app.Gateway;
import io.onramp.gateway.config.ConfigLoader;
import io.onramp.gateway.config.GatewayConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real gateway for a test: its own loopback address, a free HTTPS port, its own data directory,
 * and a config written as YAML and read by the real loader. Restartable on the same data.
 */
public final class TestGateway implements AutoCloseable {

    public static final String ID_SCOPE = "0ne0000AB12";
    /** The SDKs dial MQTT on 8883 whatever the endpoint says. */
    public static final int MQTTS_PORT = 8883;
    /** The service SDKs dial HTTPS on 443 whatever the host name says. */
    public static final int STANDARD_HTTPS_PORT = 443;
    /** The SDKs dial AMQP on 5671 whatever the endpoint says. */
    public static final int AMQPS_PORT = 5671;

    private final String address;
    private final int httpsPort;
    private final Path dataDir;
    private final String baseYaml;
    private final String yaml;
    private Gateway gateway;
    private ConfigWatcher watcher;

    private TestGateway(String address, List<String> mqttAddresses, Path dataDir, String extraYaml) {
        this(address, freePort(address), mqttAddresses, -1, dataDir, extraYaml);
    }

    private TestGateway(String address, int httpsPort, List<String> mqttAddresses, Path dataDir, String extraYaml) {
        this(address, httpsPort, mqttAddresses, -1, dataDir, extraYaml);
    }

    private TestGateway(String address, int httpsPort, List<String> mqttAddresses, int amqpsPort, Path dataDir,
            String extraYaml) {
        this.address = address;
        this.httpsPort = httpsPort;
        this.dataDir = dataDir;
        List<String> addresses = new java.util.ArrayList<>(List.of(address));
        addresses.addAll(mqttAddresses);
        this.baseYaml = """
            idScope: %s
            dataDir: %s
            listen: { address: [%s], https: %d, mqtts: %d, amqps: %d }
            tls: { hostNames: [%s] }
            """.formatted(ID_SCOPE, dataDir, String.join(", ", addresses), httpsPort,
                mqttAddresses.isEmpty() ? -1 : MQTTS_PORT, amqpsPort, address);
        this.yaml = baseYaml + extraYaml;
    }

    /** Starts a gateway; {@code extraYaml} adds hubs, allocation and enrollments to the base config. */
    public static TestGateway start(String address, Path dataDir, String extraYaml) {
        TestGateway test = new TestGateway(address, List.of(), dataDir, extraYaml);
        test.startGateway();
        return test;
    }

    /**
     * Starts a gateway that also listens for MQTT on the port the SDKs hard-code (8883), on its own
     * address (DPS) and on each hub address (the hubs' host names), all of them loopback addresses.
     */
    public static TestGateway startWithMqtt(String address, List<String> hubAddresses, Path dataDir, String extraYaml) {
        TestGateway test = new TestGateway(address, hubAddresses, dataDir, extraYaml);
        test.startGateway();
        return test;
    }

    /** Starts a gateway that also serves DPS over AMQP on the port the SDKs hard-code (5671), on its own address. */
    public static TestGateway startWithAmqp(String address, Path dataDir, String extraYaml) {
        TestGateway test = new TestGateway(address, freePort(address), List.of(), AMQPS_PORT, dataDir, extraYaml);
        test.startGateway();
        return test;
    }

    /**
     * Starts a gateway on the ports the AMQP SDKs hard-code, 5671 and (for AMQP over WebSockets) HTTPS 443, on its own
     * address.
     */
    public static TestGateway startWithAmqpOnStandardPorts(String address, Path dataDir, String extraYaml) {
        TestGateway test = new TestGateway(address, STANDARD_HTTPS_PORT, List.of(), AMQPS_PORT, dataDir, extraYaml);
        test.startGateway();
        return test;
    }

    /**
     * Starts a gateway whose HTTPS listener is on the port the service SDKs hard-code (443), so that
     * a hub hosted on {@code address} is reachable as {@code HostName=address} in a connection string.
     */
    public static TestGateway startOnStandardHttps(String address, Path dataDir, String extraYaml) {
        TestGateway test = new TestGateway(address, STANDARD_HTTPS_PORT, List.of(), dataDir, extraYaml);
        test.startGateway();
        return test;
    }

    /**
     * Starts a gateway on the ports every SDK hard-codes, HTTPS 443, MQTT 8883 and AMQP 5671, on {@code address} and
     * on each hub address: what the Node, C and Python SDKs need, since they take no port with the endpoint.
     */
    public static TestGateway startOnStandardPorts(String address, List<String> hubAddresses, Path dataDir, String extraYaml) {
        TestGateway test = new TestGateway(address, STANDARD_HTTPS_PORT, hubAddresses, AMQPS_PORT, dataDir, extraYaml);
        test.startGateway();
        return test;
    }

    /**
     * Starts a gateway from its config file ({@link #writeConfigFile()}), as {@code onramp start} does, and has it
     * apply the file whenever it changes ({@link #rewriteConfigFile}).
     */
    public static TestGateway startWatchingConfigFile(String address, Path dataDir, String extraYaml) throws IOException {
        return startWatchingConfigFile(address, List.of(), dataDir, extraYaml);
    }

    /** The same, with MQTT on 8883 as in {@link #startWithMqtt}: hubs the file adds later can be on these addresses. */
    public static TestGateway startWatchingConfigFile(String address, List<String> hubAddresses, Path dataDir,
            String extraYaml) throws IOException {
        TestGateway test = new TestGateway(address, hubAddresses, dataDir, extraYaml);
        Path file = test.writeConfigFile();
        ConfigLoader loader = new ConfigLoader(Map.of(), dataDir);
        try {
            test.gateway = Gateway.start(loader.load(file)).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("gateway did not start", e);
        }
        test.watcher = test.gateway.watchConfigFile(file, loader);
        return test;
    }

    /** Writes the config file anew, with {@code extraYaml} after the base settings instead of the first one. */
    public void rewriteConfigFile(String extraYaml) throws IOException {
        Path file = dataDir.resolve("onramp.yaml");
        Path next = dataDir.resolve("onramp.yaml.next");
        Files.writeString(next, baseYaml + extraYaml);
        // As editors and deployment tools do: the watcher sees a whole file or the old one, never half of it.
        Files.move(next, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    /** What {@code kill -HUP} does to {@code onramp start}: the config file read and applied now, changed or not. */
    public void reloadConfigNow() {
        watcher.reloadNow();
    }

    public GatewayConfig config() {
        return new ConfigLoader(Map.of(), Path.of("")).parse("test", yaml);
    }

    private void startGateway() {
        try {
            gateway = Gateway.start(config()).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("gateway did not start", e);
        }
    }

    public void restart() {
        restart(() -> { });
    }

    /** Stops the gateway, runs {@code whileStopped} (e.g. an offline command on its dataDir), starts it again. */
    public void restart(Runnable whileStopped) {
        stopGateway();
        whileStopped.run();
        startGateway();
    }

    public Gateway gateway() {
        return gateway;
    }

    public String address() {
        return address;
    }

    public int httpsPort() {
        return httpsPort;
    }

    /** What an SDK takes as its global endpoint: host and port. */
    public String endpoint() {
        return address + ":" + httpsPort;
    }

    public Path caFile() {
        return dataDir.resolve("tls").resolve("ca.pem");
    }

    public String yaml() {
        return yaml;
    }

    /** Writes this gateway's config into its data directory, as an operator's file the CLI is given with --config. */
    public Path writeConfigFile() throws IOException {
        return Files.writeString(dataDir.resolve("onramp.yaml"), yaml);
    }

    private void stopGateway() {
        if (gateway != null) {
            try {
                gateway.stop().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException("gateway did not stop", e);
            } finally {
                gateway = null;
            }
        }
    }

    @Override
    public void close() {
        stopGateway();
    }

    private static int freePort(String address) {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(address))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
