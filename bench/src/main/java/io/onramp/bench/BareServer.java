package io.onramp.bench;

import io.onramp.gateway.tls.ServerTls;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServerOptions;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The baseline server: {@link BareSasHandler} behind the gateway's own TLS material and server
 * options, one listener instance per core as the gateway deploys them, in a Vert.x of its own.
 */
final class BareServer implements AutoCloseable {

    private final Vertx vertx;
    private final int port;

    private BareServer(Vertx vertx, int port) {
        this.vertx = vertx;
        this.port = port;
    }

    static BareServer start(ServerTls tls, String address, String idScope, List<String> groupKeys) throws Exception {
        Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
        int port = BenchGateway.freePort(address);
        HttpServerOptions options = tls.httpServerOptions(address, port);
        int instances = Math.max(1, Runtime.getRuntime().availableProcessors());
        vertx.deployVerticle(() -> new Listener(options, new BareSasHandler(idScope, groupKeys)),
                        new DeploymentOptions().setInstances(instances))
                .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        return new BareServer(vertx, port);
    }

    int port() {
        return port;
    }

    @Override
    public void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }

    private static final class Listener extends VerticleBase {
        private final HttpServerOptions options;
        private final BareSasHandler handler;

        Listener(HttpServerOptions options, BareSasHandler handler) {
            this.options = options;
            this.handler = handler;
        }

        @Override
        public Future<?> start() {
            // Named apart from the gateway's event loops, for top -H, jstack and profiles.
            Thread.currentThread().setName("bench-bare-" + Thread.currentThread().getId());
            return vertx.createHttpServer(options).requestHandler(handler).listen();
        }
    }
}
