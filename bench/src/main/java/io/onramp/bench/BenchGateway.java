package io.onramp.bench;

import io.onramp.gateway.app.Gateway;
import io.onramp.gateway.config.ConfigLoader;
import io.onramp.gateway.config.GatewayConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real gateway under test, configured through the real YAML loader: one symmetric-key group,
 * two hubs, HTTPS only, its store and TLS material in a fresh data directory.
 */
final class BenchGateway implements AutoCloseable {

    static final String ID_SCOPE = "0ne0000BE01";
    static final String ADDRESS = "127.0.0.50";
    /** Public demo keys, as in conf/onramp.yaml. */
    static final String GROUP_PRIMARY_KEY = "b25yYW1wLWJlbmNoLWdyb3VwLXByaW1hcnkta2V5ISE=";
    static final String GROUP_SECONDARY_KEY = "b25yYW1wLWJlbmNoLWdyb3VwLXNlY29uZGFyeS1rZXk=";

    private final Gateway gateway;

    private BenchGateway(Gateway gateway) {
        this.gateway = gateway;
    }

    /** @param webhookUrl null for the hashed policy, else the custom allocation webhook of the bench group */
    static BenchGateway start(Path dataDir, String webhookUrl) throws Exception {
        GatewayConfig config = config(dataDir, freePort(ADDRESS), webhookUrl);
        return new BenchGateway(Gateway.start(config).toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS));
    }

    /** Read by the real loader, so the bench breaks loudly when the config format moves on. */
    static GatewayConfig config(Path dataDir, int httpsPort, String webhookUrl) {
        String yaml = """
                idScope: %s
                dataDir: %s
                listen: { address: %s, https: %d, mqtts: -1, amqps: -1 }
                connections: { max: 1000000, perAddress: 1000000 }   # every load connection comes from one address
                tls: { hostNames: [%s] }
                hubs:
                  - { name: bench-a, hostName: 127.0.0.2, ownerKey: YmVuY2gtaHViLWEtb3duZXIta2V5LTAwMDAwMDAwMDA= }
                  - { name: bench-b, hostName: 127.0.0.3, ownerKey: YmVuY2gtaHViLWItb3duZXIta2V5LTAwMDAwMDAwMDA= }
                allocation: { policy: hashed }
                enrollmentGroups:
                  - enrollmentGroupId: bench
                    attestation:
                      type: symmetricKey
                      symmetricKey: { primaryKey: %s, secondaryKey: %s }
                    initialTwin: { tags: { site: bench }, properties: { desired: { telemetryIntervalSec: 30 } } }
                """.formatted(ID_SCOPE, dataDir, ADDRESS, httpsPort, ADDRESS, GROUP_PRIMARY_KEY, GROUP_SECONDARY_KEY);
        if (webhookUrl != null) {
            yaml += """
                        allocationPolicy: custom
                        customAllocationDefinition: { webhookUrl: "%s", apiVersion: "2021-10-01" }
                    """.formatted(webhookUrl);
        }
        return new ConfigLoader(Map.of(), Path.of("")).parse("bench", yaml);
    }

    Gateway gateway() {
        return gateway;
    }

    int port() {
        return gateway.httpsPort();
    }

    /** The CA devices must trust: the gateway made it on first start. */
    Path caFile() {
        return gateway.tls().caCertificate();
    }

    /** Devices stored per hub: proof that the registrations were really written. */
    Map<String, Long> devicesPerHub() throws Exception {
        return gateway.deviceRegistry().countByHub().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws Exception {
        gateway.stop().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }

    /** A port free now on {@code address}; the YAML needs a fixed one. */
    static int freePort(String address) throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(address))) {
            return socket.getLocalPort();
        }
    }
}
