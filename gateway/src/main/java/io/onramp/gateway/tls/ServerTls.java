package io.onramp.gateway.tls;

import io.onramp.certs.ca.LocalPki;
import io.onramp.gateway.config.GatewayConfig.TlsConfig;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.JdkSSLEngineOptions;
import io.vertx.core.net.OpenSSLEngineOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.SSLEngineOptions;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.TrustOptions;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The server's TLS material and settings, shared by every listener. With no certificate configured,
 * a CA and a server certificate are made (and reused) under {@code dataDir/tls}; the CA file is
 * what devices must trust. TLS 1.2 must be
 * offered (Java and Python clients cap at 1.2); BoringSSL is used when present, as it is 1.5-2x
 * faster than the JDK's engine here.
 */
public record ServerTls(Path certificateChain, Path privateKey, Path caCertificate, boolean selfMade) {

    /** Blocking (may generate keys): call off the event loop. */
    public static ServerTls prepare(TlsConfig config, List<String> hubHostNames, Path dataDir) {
        if (!config.selfMade()) {
            return new ServerTls(config.certificate(), config.privateKey(), null, false);
        }
        // Devices verify the host they connect to: the DPS names and every hosted hub's name.
        Set<String> names = new LinkedHashSet<>(config.hostNames());
        names.addAll(hubHostNames);
        LocalPki.Files files = LocalPki.ensure(dataDir.resolve("tls"), List.copyOf(names), Clock.systemUTC());
        return new ServerTls(files.serverCertificateChain(), files.serverPrivateKey(), files.caCertificate(), true);
    }

    public <T extends NetServerOptions> T apply(T options) {
        options.setClientAuth(ClientAuth.REQUEST).setSsl(true)
                .setKeyCertOptions(new PemKeyCertOptions().setCertPath(certificateChain.toString())
                        .setKeyPath(privateKey.toString()))
                .setTrustOptions(TrustOptions.wrap(ClientCertificatesToTheCore.INSTANCE))
                .setSslEngineOptions(engine())
                .setEnabledSecureTransportProtocols(Set.of("TLSv1.2", "TLSv1.3"));
        return options;
    }

    public HttpServerOptions httpServerOptions(String host, int port) {
        return apply(new HttpServerOptions()).setHost(host).setPort(port).setCompressionSupported(false)
                .setIdleTimeout(240).setDecompressionSupported(false);
    }

    private static SSLEngineOptions engine() {
        return OpenSSLEngineOptions.isAvailable() ? new OpenSSLEngineOptions() : new JdkSSLEngineOptions();
    }

    public static String engineName() {
        return OpenSSLEngineOptions.isAvailable() ? "BoringSSL (netty-tcnative)" : "JDK";
    }
}
