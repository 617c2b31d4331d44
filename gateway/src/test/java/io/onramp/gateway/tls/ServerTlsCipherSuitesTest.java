package io.onramp.gateway.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.onramp.gateway.config.ConfigException;
import io.onramp.gateway.config.ConfigLoader;
import io.onramp.gateway.config.GatewayConfig.TlsConfig;
import io.onramp.gateway.config.GatewayConfig.TlsConfig.Engine;
import io.onramp.gateway.support.TestTls;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/**
 * Real handshakes from a JDK client offering one suite at a time, against listeners on both engines: TLS 1.2
 * with ECDHE and AEAD only by default (no CBC, no SHA-1 MAC, no static RSA), TLS 1.3 as it comes, and
 * {@code tls.cipherSuites} to widen it for old devices.
 */
class ServerTlsCipherSuitesTest {

    private static final String ADDRESS = "127.0.0.223";

    @TempDir
    static Path dataDir;
    static Vertx vertx;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void tls12TakesOnlyForwardSecretAeadSuitesByDefault(Engine engine) throws Exception {
        ServerTls tls = ServerTls.prepare(new TlsConfig(null, null, List.of(ADDRESS), engine), List.of(), dataDir);
        int port = listen(tls);

        assertThat(handshake(tls, port, "TLSv1.2", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256")).isTrue();
        assertThat(handshake(tls, port, "TLSv1.2", "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256")).isTrue();
        assertThat(handshake(tls, port, "TLSv1.3", "TLS_AES_256_GCM_SHA384")).isTrue();
        assertThat(handshake(tls, port, "TLSv1.2", "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA")).isFalse();
        assertThat(handshake(tls, port, "TLSv1.2", "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384")).isFalse();
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void theConfigMayWidenThemForOldDevices(Engine engine) throws Exception {
        List<String> suites = List.of("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA");
        ServerTls tls = ServerTls.prepare(new TlsConfig(null, null, List.of(ADDRESS), engine, suites), List.of(), dataDir);
        int port = listen(tls);

        assertThat(handshake(tls, port, "TLSv1.2", "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA")).isTrue();
        assertThat(handshake(tls, port, "TLSv1.2", "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256")).isFalse();
    }

    @Test
    void anUnknownSuiteIsRefusedNamingIt() {
        ConfigLoader loader = new ConfigLoader(Map.of(), Path.of(""));
        assertThat(loader.parse("t", "idScope: 0ne1\n").tls().cipherSuites()).isEqualTo(TlsConfig.DEFAULT_CIPHER_SUITES);
        assertThatThrownBy(() -> loader.parse("t", "idScope: 0ne1\ntls: { cipherSuites: [ECDHE-RSA-AES128-GCM-SHA256] }\n"))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).containsExactly(
                        "tls.cipherSuites[0]: unknown cipher suite 'ECDHE-RSA-AES128-GCM-SHA256': give IANA names such as "
                                + "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256 (README: \"Configuration\")"));
        assertThatThrownBy(() -> loader.parse("t", "idScope: 0ne1\ntls: { cipherSuites: [] }\n"))
                .hasMessageContaining("tls.cipherSuites: must name at least one cipher suite");
    }

    private static int listen(ServerTls tls) throws Exception {
        NetServer server = vertx.createNetServer(tls.apply(new NetServerOptions()).setHost(ADDRESS).setPort(0))
                .connectHandler(socket -> { });
        server.listen().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        return server.actualPort();
    }

    private static boolean handshake(ServerTls tls, int port, String protocol, String suite) throws Exception {
        try (SSLSocket socket = (SSLSocket) TestTls.trusting(tls.caCertificate()).getSocketFactory()
                .createSocket(ADDRESS, port)) {
            socket.setEnabledProtocols(new String[] {protocol});
            socket.setEnabledCipherSuites(new String[] {suite});
            socket.setSoTimeout(10_000);
            socket.startHandshake();
            return socket.getSession().getCipherSuite().equals(suite);
        } catch (IOException refused) {
            return false;
        }
    }
}
