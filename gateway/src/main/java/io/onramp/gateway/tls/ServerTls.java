package io.onramp.gateway.tls;

import io.netty.handler.ssl.OpenSsl;
import io.onramp.certs.ca.LocalPki;
import io.onramp.gateway.config.GatewayConfig.TlsConfig;
import io.onramp.gateway.config.GatewayConfig.TlsConfig.Engine;
import io.onramp.gateway.store.OwnerOnly;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.JdkSSLEngineOptions;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.OpenSSLEngineOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.SSLEngineOptions;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.TrustOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's TLS material and settings, shared by every listener. With no certificate configured,
 * a CA and a server certificate are made (and reused) under {@code dataDir/tls}; the CA file is
 * what devices must trust. TLS 1.2 must be offered (Java and Python clients cap at 1.2).
 *
 * <p>The engine is BoringSSL (netty-tcnative) unless {@code tls.engine: jdk}: on the 2-core
 * development machine it completes about four times as many mutual-TLS ECDSA handshakes per
 * core-second as the JDK's, whose ECDSA verification is the slowest part of a handshake. Both
 * engines pass the same client-certificate tests: the device's chain reaches
 * {@link ClientCertificatesToTheCore} (BoringSSL hands it over through Netty's verify callback) and
 * the handshake still checks the device's CertificateVerify signature, its proof of possession.
 */
public record ServerTls(Path certificateChain, Path privateKey, Path caCertificate, boolean selfMade, Engine engine,
        List<String> cipherSuites) {

    private static final Logger LOG = LoggerFactory.getLogger(ServerTls.class);

    public ServerTls {
        cipherSuites = List.copyOf(cipherSuites);
    }

    /** With the default cipher suites. */
    public ServerTls(Path certificateChain, Path privateKey, Path caCertificate, boolean selfMade, Engine engine) {
        this(certificateChain, privateKey, caCertificate, selfMade, engine, TlsConfig.DEFAULT_CIPHER_SUITES);
    }

    /** Blocking (may generate keys): call off the event loop. */
    public static ServerTls prepare(TlsConfig config, List<String> hubHostNames, Path dataDir) {
        Engine engine = engine(config.engine());
        if (!config.selfMade()) {
            return new ServerTls(config.certificate(), config.privateKey(), null, false, engine, config.cipherSuites());
        }
        LocalPki.Files files = ensureSelfMade(config, hubHostNames, dataDir, Clock.systemUTC());
        return new ServerTls(files.serverCertificateChain(), files.serverPrivateKey(), files.caCertificate(), true, engine,
                config.cipherSuites());
    }

    /**
     * The self-made CA and server certificate under {@code dataDir/tls}, made or issued again as needed: for the host
     * names devices verify (the DPS names and every hosted hub's), valid for 30 more days at least. Blocking; one
     * at a time (a hub added and the daily check must not both write the key and its chain).
     */
    static synchronized LocalPki.Files ensureSelfMade(TlsConfig config, List<String> hubHostNames, Path dataDir, Clock clock) {
        Set<String> names = new LinkedHashSet<>(config.hostNames());
        names.addAll(hubHostNames);
        // Its keys are mode 600 already; the directory is made the owner's only, as dataDir is.
        try {
            OwnerOnly.createDirectories(dataDir.resolve("tls"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dataDir.resolve("tls"), e);
        }
        return LocalPki.ensure(dataDir.resolve("tls"), List.copyOf(names), clock);
    }

    /** The configured engine; not configured, OpenSSL when it loads here. A configured one that does not load fails. */
    static Engine engine(Engine configured) {
        if (configured == Engine.JDK) {
            return Engine.JDK;
        }
        if (OpenSSLEngineOptions.isAvailable()) {
            return Engine.OPENSSL;
        }
        String cause = String.valueOf(OpenSsl.unavailabilityCause());
        if (configured == Engine.OPENSSL) {
            throw new IllegalStateException("tls.engine is openssl, but netty-tcnative's BoringSSL does not load here: " + cause);
        }
        LOG.warn("TLS engine: the JDK's, since netty-tcnative's BoringSSL does not load here ({}); set tls.engine: jdk to "
                + "choose it explicitly", cause);
        return Engine.JDK;
    }

    public <T extends NetServerOptions> T apply(T options) {
        options.setClientAuth(ClientAuth.REQUEST).setSsl(true)
                .setKeyCertOptions(keyCertOptions())
                .setTrustOptions(TrustOptions.wrap(ClientCertificatesToTheCore.INSTANCE))
                .setSslEngineOptions(engineOptions())
                .setEnabledSecureTransportProtocols(Set.of("TLSv1.2", "TLSv1.3"));
        // Vert.x keeps the order; the server's preference does not matter among these (all AEAD, all ECDHE).
        cipherSuites.forEach(options::addEnabledCipherSuite);
        return options;
    }

    private KeyCertOptions keyCertOptions() {
        PemKeyCertOptions pem = new PemKeyCertOptions().setCertPath(certificateChain.toString())
                .setKeyPath(privateKey.toString());
        return engine == Engine.OPENSSL ? new CachedKeyMaterial(pem) : pem;
    }

    public HttpServerOptions httpServerOptions(String host, int port) {
        return apply(new HttpServerOptions()).setHost(host).setPort(port).setCompressionSupported(false)
                .setWebSocketSubProtocols(List.of("mqtt", "MQTT", "AMQPWSB10"))
                .setIdleTimeout(240).setDecompressionSupported(false);
    }

    private SSLEngineOptions engineOptions() {
        // Session caches and tickets stay at the engines' defaults: a resumed session keeps the
        // client certificate of the full handshake that created it.
        return engine == Engine.OPENSSL ? new OpenSSLEngineOptions() : new JdkSSLEngineOptions();
    }

    /** What the listeners use, for logs: "BoringSSL (netty-tcnative)" or "JDK". */
    public String engineDescription() {
        return describe(engine);
    }

    /** What a gateway without {@code tls.engine} uses on this machine. */
    public static String engineName() {
        return describe(OpenSSLEngineOptions.isAvailable() ? Engine.OPENSSL : Engine.JDK);
    }

    private static String describe(Engine engine) {
        return engine == Engine.OPENSSL ? "BoringSSL (netty-tcnative " + OpenSsl.versionString() + ")" : "JDK";
    }
}
