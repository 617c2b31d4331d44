package io.onramp.gateway.tls;

import io.netty.handler.ssl.OpenSslCachingX509KeyManagerFactory;
import io.vertx.core.Vertx;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.PemKeyCertOptions;
import java.util.function.Function;
import javax.net.ssl.KeyManagerFactory;

/**
 * The server's PEM certificate and key, handed to BoringSSL so that it converts them once. Given
 * the plain KeyManagerFactory Vert.x makes of PEM files, Netty's OpenSSL context writes the chain and
 * the key out as PEM and parses them again in every handshake, in case they changed (10 % of the
 * broker's CPU per TLS connection in a profile); wrapped in Netty's caching factory it does so once
 * per TLS context. The files are read when the listener starts, as before: replacing them on disk
 * takes a restart.
 */
final class CachedKeyMaterial implements KeyCertOptions {

    private final PemKeyCertOptions pem;

    CachedKeyMaterial(PemKeyCertOptions pem) {
        this.pem = pem;
    }

    @Override
    public KeyCertOptions copy() {
        return new CachedKeyMaterial(pem.copy());
    }

    @Override
    public KeyManagerFactory getKeyManagerFactory(Vertx vertx) throws Exception {
        return cached(pem.getKeyManagerFactory(vertx));
    }

    @Override
    public Function<String, KeyManagerFactory> keyManagerFactoryMapper(Vertx vertx) throws Exception {
        Function<String, KeyManagerFactory> byServerName = pem.keyManagerFactoryMapper(vertx);
        return byServerName == null ? null : name -> cached(byServerName.apply(name));
    }

    private static KeyManagerFactory cached(KeyManagerFactory factory) {
        return factory == null ? null : new OpenSslCachingX509KeyManagerFactory(factory);
    }

    /** Vert.x keys its prepared TLS configurations by the options: the same files are the same options. */
    @Override
    public boolean equals(Object other) {
        return other instanceof CachedKeyMaterial that && pem.equals(that.pem);
    }

    @Override
    public int hashCode() {
        return pem.hashCode();
    }
}
