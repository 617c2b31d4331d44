package io.onramp.gateway.app;

import io.onramp.broker.mqtt.MqttConnectHandler;
import io.onramp.broker.mqtt.MqttLimits;
import io.onramp.broker.mqtt.MqttListener;
import io.onramp.broker.mqtt.MqttWebSockets;
import io.onramp.gateway.amqp.AmqpListener;
import io.onramp.gateway.amqp.AmqpRealms;
import io.onramp.gateway.config.GatewayConfig.ListenConfig;
import io.onramp.gateway.http.HttpsListener;
import io.onramp.gateway.tls.ServerTls;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.proton.ProtonServerOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's listeners on every listen address: HTTPS (with MQTT over WebSockets), MQTT over TLS and plaintext,
 * AMQP over TLS. Each is deployed once per event loop (the instances share the port and Vert.x spreads connections
 * over them), and a port in use fails the start naming the config field.
 */
final class Listeners {

    private static final Logger LOG = LoggerFactory.getLogger(Listeners.class);

    private final Vertx vertx;
    private final ListenConfig listen;
    private final ServerTls tls;
    private final List<String> deployments = new ArrayList<>();
    /** One per TLS listener (its instances share one TLS context): re-reads the certificate files. */
    private final List<Supplier<Future<Boolean>>> tlsReloads = new CopyOnWriteArrayList<>();
    private int httpsPort = -1;
    private int mqttsPort = -1;
    private int mqttPort = -1;
    private int amqpsPort = -1;

    Listeners(Vertx vertx, ListenConfig listen, ServerTls tls) {
        this.vertx = vertx;
        this.listen = listen;
        this.tls = tls;
    }

    /** What a listen step names in the log and in a failed start: "MQTT over TLS", 127.0.0.2, 8883, "mqtts". */
    private record Endpoint(String protocol, String address, int port, String field) {}

    Future<Void> startHttps(Function<Vertx, Router> routes, MqttConnectHandler mqttRealms, AmqpRealms amqpRealms) {
        Future<Void> all = Future.succeededFuture();
        if (listen.https() < 0) {
            return all;
        }
        for (String address : listen.addresses()) {
            // MQTT over WebSockets: a frame carries a whole packet, up to the size the MQTT listener takes.
            var options = tls.httpServerOptions(address, listen.https())
                    .setMaxWebSocketFrameSize(MqttWebSockets.maxFrameBytes(MqttLimits.DEFAULTS));
            all = all.compose(v -> deploy(new Endpoint("HTTPS", address, listen.https(), "https"), true,
                    () -> new HttpsListener(options, routes, mqttRealms, amqpRealms), HttpsListener::actualPort, HttpsListener::reloadTls))
                    .map(port -> {
                        httpsPort = httpsPort < 0 ? port : httpsPort;
                        LOG.info("HTTPS listening on {}:{} ({} event loops, TLS engine {})", address, port, eventLoops(),
                                tls.engineDescription());
                        return null;
                    });
        }
        return all;
    }

    /** MQTT over TLS on {@code mqtts}, and plaintext on {@code mqtt} when asked for. */
    Future<Void> startMqtt(MqttConnectHandler realms) {
        Future<Void> all = Future.succeededFuture();
        for (String address : listen.addresses()) {
            if (listen.mqtts() >= 0) {
                all = all.compose(v -> deployMqtt(tls.apply(new NetServerOptions()),
                        new Endpoint("MQTT over TLS", address, listen.mqtts(), "mqtts"), realms)).map(port -> {
                            mqttsPort = mqttsPort < 0 ? port : mqttsPort;
                            return null;
                        });
            }
            if (listen.mqtt() >= 0) {
                all = all.compose(v -> deployMqtt(new NetServerOptions(),
                        new Endpoint("MQTT (plaintext)", address, listen.mqtt(), "mqtt"), realms)).map(port -> {
                            mqttPort = mqttPort < 0 ? port : mqttPort;
                            return null;
                        });
            }
        }
        return all;
    }

    private Future<Integer> deployMqtt(NetServerOptions options, Endpoint endpoint, MqttConnectHandler realms) {
        options.setHost(endpoint.address()).setPort(endpoint.port()).setTcpNoDelay(true);
        return deploy(endpoint, options.isSsl(), () -> new MqttListener(options, MqttLimits.DEFAULTS, realms),
                MqttListener::actualPort, MqttListener::reloadTls)
                .onSuccess(port -> LOG.info("{} listening on {}:{}", endpoint.protocol(), endpoint.address(), port));
    }

    /** The DPS device API and IoT hub devices over AMQP 1.0 with TLS on {@code amqps} ({@code -1}: off). */
    Future<Void> startAmqp(AmqpRealms realms) {
        Future<Void> all = Future.succeededFuture();
        if (listen.amqps() < 0) {
            return all;
        }
        for (String address : listen.addresses()) {
            ProtonServerOptions options = tls.apply(new ProtonServerOptions());
            options.setHost(address).setPort(listen.amqps()).setTcpNoDelay(true);
            all = all.compose(v -> deploy(new Endpoint("AMQP over TLS", address, listen.amqps(), "amqps"), true,
                    () -> new AmqpListener(options, realms), AmqpListener::actualPort, AmqpListener::reloadTls))
                    .map(port -> {
                        amqpsPort = amqpsPort < 0 ? port : amqpsPort;
                        LOG.info("AMQP over TLS listening on {}:{} (DPS device API and hub devices)", address, port);
                        return null;
                    });
        }
        return all;
    }

    /** Deploys one instance per event loop; answers the port they share (the one Vert.x picked, for port 0). */
    private <L extends VerticleBase> Future<Integer> deploy(Endpoint endpoint, boolean withTls, Supplier<L> create,
            ToIntFunction<L> actualPort, Function<L, Future<Boolean>> reloadTls) {
        List<L> instances = new CopyOnWriteArrayList<>();
        return vertx.deployVerticle(() -> {
                    L listener = create.get();
                    instances.add(listener);
                    return listener;
                }, new DeploymentOptions().setInstances(eventLoops()))
                .recover(failure -> Future.failedFuture(new ListenException(endpoint.protocol(), endpoint.address(),
                        endpoint.port(), endpoint.field(), failure)))
                .map(id -> {
                    deployments.add(id);
                    L first = instances.get(0);
                    if (withTls) {
                        tlsReloads.add(() -> reloadTls.apply(first));
                    }
                    return actualPort.applyAsInt(first);
                });
    }

    /** Re-reads the server certificate and key files for every TLS listener; open connections keep theirs. */
    Future<Void> reloadTls() {
        return Future.all(tlsReloads.stream().map(Supplier::get).toList()).mapEmpty();
    }

    /** Stops every listener deployed so far. */
    Future<Void> stop() {
        return Future.join(deployments.stream().map(vertx::undeploy).toList()).mapEmpty();
    }

    /** One listener instance per core: they share the port and Vert.x spreads connections over them. */
    static int eventLoops() {
        return Math.max(1, Runtime.getRuntime().availableProcessors());
    }

    int httpsPort() {
        return httpsPort;
    }

    int mqttsPort() {
        return mqttsPort;
    }

    int mqttPort() {
        return mqttPort;
    }

    int amqpsPort() {
        return amqpsPort;
    }
}
