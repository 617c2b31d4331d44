package io.onramp.bench.x509;

import io.onramp.gateway.app.Gateway;
import io.onramp.gateway.config.ConfigLoader;
import io.onramp.gateway.config.GatewayConfig;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real gateway for the X.509 bench, configured through the real YAML loader: HTTPS only, the
 * bench's server certificate and key, the TLS engine under test, one X.509 enrollment group whose
 * signing certificate is the bench's root (devices send leaf and intermediate), two hubs.
 */
final class X509Gateway implements AutoCloseable {

    static final String ID_SCOPE = "0ne0000B509";

    private final Gateway gateway;
    private final String address;

    private X509Gateway(Gateway gateway, String address) {
        this.gateway = gateway;
        this.address = address;
    }

    static X509Gateway start(String engine, String address, Path dataDir, Path serverChain, Path serverKey,
            X509Certificate groupRoot) throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName(address))) {
            port = probe.getLocalPort();
        }
        String yaml = """
                idScope: %s
                dataDir: %s
                listen: { address: %s, https: %d, mqtts: -1, amqps: -1 }
                tls: { certificate: %s, privateKey: %s, hostNames: [%s], engine: %s }
                hubs:
                  - { name: x509-a, hostName: 127.0.0.2, ownerKey: YmVuY2gtaHViLWEtb3duZXIta2V5LTAwMDAwMDAwMDA= }
                  - { name: x509-b, hostName: 127.0.0.3, ownerKey: YmVuY2gtaHViLWItb3duZXIta2V5LTAwMDAwMDAwMDA= }
                allocation: { policy: hashed }
                enrollmentGroups:
                  - enrollmentGroupId: x509-bench
                    attestation: { type: x509, x509: { signingCertificates: { primary: { certificate: "%s" } } } }
                """.formatted(ID_SCOPE, dataDir, address, port, serverChain, serverKey, address, engine,
                Base64.getEncoder().encodeToString(groupRoot.getEncoded()));
        GatewayConfig config = new ConfigLoader(Map.of(), Path.of("")).parse("x509-bench-" + engine, yaml);
        Gateway gateway = Gateway.start(config).toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
        return new X509Gateway(gateway, address);
    }

    String address() {
        return address;
    }

    int port() {
        return gateway.httpsPort();
    }

    String engine() {
        return gateway.tls().engineDescription();
    }

    /** Devices the gateway really stored, over all hubs. */
    long storedDevices() throws Exception {
        return gateway.deviceRegistry().countByHub().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS)
                .values().stream().mapToLong(Long::longValue).sum();
    }

    @Override
    public void close() throws Exception {
        gateway.stop().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }
}
