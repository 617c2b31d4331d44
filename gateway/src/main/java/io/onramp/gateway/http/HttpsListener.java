package io.onramp.gateway.http;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import java.util.function.Function;
import io.vertx.core.Vertx;

/**
 * One instance of the HTTPS listener. Several instances share the port, one per event loop, so
 * that TLS and request handling use every core.
 */
public final class HttpsListener extends VerticleBase {

    private final HttpServerOptions options;
    private final Function<Vertx, Router> routerFactory;
    private HttpServer server;

    public HttpsListener(HttpServerOptions options, Function<Vertx, Router> routerFactory) {
        this.options = options;
        this.routerFactory = routerFactory;
    }

    @Override
    public Future<?> start() {
        server = vertx.createHttpServer(options).requestHandler(routerFactory.apply(vertx));
        return server.listen();
    }

    /** Re-reads the certificate and key files the options name: for new connections; open ones keep theirs. */
    public Future<Boolean> reloadTls() {
        return server.updateSSLOptions(options.getSslOptions(), true);
    }

    public int actualPort() {
        return server.actualPort();
    }
}
