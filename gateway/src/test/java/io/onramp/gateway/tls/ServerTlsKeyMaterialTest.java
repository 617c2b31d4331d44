package io.onramp.gateway.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.ssl.OpenSslCachingX509KeyManagerFactory;
import io.onramp.certs.ca.LocalPki;
import io.onramp.gateway.config.GatewayConfig.TlsConfig.Engine;
import io.vertx.core.Vertx;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** BoringSSL gets the server's key material in Netty's caching factory; the JDK engine gets the PEM files as they are. */
class ServerTlsKeyMaterialTest {

    @TempDir
    Path dir;

    @Test
    void boringSslConvertsTheKeyMaterialOnceAndTheJdkEngineReadsThePemFiles() throws Exception {
        LocalPki.Files pki = LocalPki.ensure(dir, List.of("127.0.0.1"), Clock.systemUTC());
        ServerTls boring = new ServerTls(pki.serverCertificateChain(), pki.serverPrivateKey(), pki.caCertificate(), true,
                Engine.OPENSSL);
        ServerTls jdk = new ServerTls(pki.serverCertificateChain(), pki.serverPrivateKey(), pki.caCertificate(), true,
                Engine.JDK);
        Vertx vertx = Vertx.vertx();
        try {
            KeyCertOptions options = boring.apply(new NetServerOptions()).getKeyCertOptions();
            assertThat(options.getKeyManagerFactory(vertx)).isInstanceOf(OpenSslCachingX509KeyManagerFactory.class);
            assertThat(options.getKeyManagerFactory(vertx).getKeyManagers()).isNotEmpty();
            // Vert.x keys its prepared TLS configurations by the options.
            assertThat(options).isEqualTo(boring.apply(new NetServerOptions()).getKeyCertOptions()).isEqualTo(options.copy());
            assertThat(jdk.apply(new NetServerOptions()).getKeyCertOptions()).isInstanceOf(PemKeyCertOptions.class);
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }
}
