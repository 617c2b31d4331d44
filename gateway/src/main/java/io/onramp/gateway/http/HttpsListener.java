package io.onramp.gateway.http;

import io.onramp.broker.mqtt.MqttConnectHandler;
import io.onramp.broker.mqtt.MqttLimits;
import io.onramp.broker.mqtt.MqttWebSockets;
import io.onramp.gateway.amqp.AmqpRealms;
import io.onramp.gateway.amqp.AmqpWebSockets;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import java.util.function.Function;

/**
 * One instance of the HTTPS listener: the routes, MQTT over WebSockets when given its realms, and AMQP over
 * WebSockets (the DPS device API).
 * Several instances share the port, one per event loop, so that TLS and request handling use every core.
 * Each connection must deliver its requests in time ({@link RequestDeadlines}) until it becomes a WebSocket.
 */
public final class HttpsListener extends VerticleBase {

    /** How often the request deadlines are checked: one is kept within this much. */
    private static final long SWEEP_MILLIS = 1000;

    private final HttpServerOptions options;
    private final Function<Vertx, Router> routerFactory;
    private final MqttConnectHandler mqttRealms;
    private final AmqpRealms amqpRealms;
    private final RequestDeadlines deadlines;
    private HttpServer server;
    private MqttWebSockets mqtt;
    private long sweep;

    /**
     * {@code mqttRealms}: who decides on the CONNECTs of MQTT over WebSockets, as on the MQTT listener;
     * {@code amqpRealms}: what AMQP over WebSockets serves, as the AMQP listener.
     */
    public HttpsListener(HttpServerOptions options, Function<Vertx, Router> routerFactory,
            MqttConnectHandler mqttRealms, AmqpRealms amqpRealms) {
        this(options, routerFactory, mqttRealms, amqpRealms, RequestDeadlines.WAIT_NANOS);
    }

    /** {@code requestWaitNanos}: how long a connection may take to deliver a request (tests shorten it). */
    HttpsListener(HttpServerOptions options, Function<Vertx, Router> routerFactory, MqttConnectHandler mqttRealms,
            AmqpRealms amqpRealms, long requestWaitNanos) {
        this.options = options;
        this.routerFactory = routerFactory;
        this.mqttRealms = mqttRealms;
        this.amqpRealms = amqpRealms;
        this.deadlines = new RequestDeadlines(requestWaitNanos);
    }

    @Override
    public Future<?> start() {
        sweep = vertx.setPeriodic(SWEEP_MILLIS, id -> deadlines.sweep(System.nanoTime()));
        mqtt = new MqttWebSockets(vertx, MqttLimits.DEFAULTS, mqttRealms);
        server = vertx.createHttpServer(options).connectionHandler(deadlines::connected)
                .requestHandler(deadlines.tracking(routerFactory.apply(vertx)))
                .invalidRequestHandler(new InvalidRequests(options))
                .webSocketHandshakeHandler(new WebSocketUpgrades(mqtt, new AmqpWebSockets(vertx, amqpRealms),
                        deadlines::upgraded)::handle);
        return server.listen();
    }

    @Override
    public Future<?> stop() {
        vertx.cancelTimer(sweep);
        mqtt.close();
        return server.close();
    }

    /** Re-reads the certificate and key files the options name: for new connections; open ones keep theirs. */
    public Future<Boolean> reloadTls() {
        return server.updateSSLOptions(options.getSslOptions(), true);
    }

    public int actualPort() {
        return server.actualPort();
    }
}
