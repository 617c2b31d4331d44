package io.onramp.bench.mqtt;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.proton.ProtonClient;
import io.vertx.proton.ProtonClientOptions;
import io.vertx.proton.ProtonConnection;
import io.vertx.proton.ProtonQoS;
import io.vertx.proton.ProtonSender;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.apache.qpid.proton.Proton;
import org.apache.qpid.proton.amqp.Binary;
import org.apache.qpid.proton.amqp.messaging.Accepted;
import org.apache.qpid.proton.amqp.messaging.AmqpValue;
import org.apache.qpid.proton.amqp.messaging.ApplicationProperties;
import org.apache.qpid.proton.amqp.messaging.Data;
import org.apache.qpid.proton.amqp.messaging.Properties;
import org.apache.qpid.proton.message.Message;

/**
 * Devices that send their telemetry over AMQP, as the SDKs do (hub-device-protocol.md 4): TLS, SASL ANONYMOUS, a CBS
 * put-token with the device's SAS token, then a sender on {@code /devices/{id}/messages/events} whose messages go
 * unsettled, {@code window} at most waiting for the hub's {@code accepted}. The vertx-proton client, on two event loops
 * of its own.
 */
final class AmqpPublishers implements AutoCloseable {

    private final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
    /** Each device's connection, with the event loop it lives on: proton's engine is not thread safe. */
    private final List<Device> devices = new ArrayList<>();
    private final LongAdder refused = new LongAdder();
    private volatile boolean running = true;

    /** Connects and proves every device first, then starts them all sending. */
    static AmqpPublishers start(MqttTarget target, int publishers, int window, byte[] payload, LongAdder published)
            throws Exception {
        AmqpPublishers started = new AmqpPublishers();
        try {
            for (int i = 0; i < publishers; i++) {
                started.connect(target, i).toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
            }
            for (Device device : started.devices) {
                Message message = Proton.message();
                message.setBody(new Data(new Binary(payload)));
                device.context().runOnContext(v -> started.pump(device.sender(), message, window, published));
            }
            return started;
        } catch (Exception e) {
            started.close();
            throw e;
        }
    }

    /** Messages the hub did not accept (it rejects or releases them): none, on a hub that keeps up. */
    long refused() {
        return refused.sum();
    }

    /** Connections that ended before the close. */
    long lost() {
        return devices.stream().filter(d -> d.connection().isDisconnected()).count();
    }

    private record Device(ProtonConnection connection, Context context, ProtonSender sender) {}

    private Future<Void> connect(MqttTarget target, int device) {
        ProtonClientOptions options = new ProtonClientOptions().setSsl(true).addEnabledSaslMechanism("ANONYMOUS")
                .setTrustOptions(new PemTrustOptions().addCertPath(target.caFile().getPath()));
        String id = target.deviceId(device);
        Promise<Void> ready = Promise.promise();
        ProtonClient.create(vertx).connect(options, target.host(), target.amqpPort(), connected -> {
            if (connected.failed()) {
                ready.fail(connected.cause());
                return;
            }
            ProtonConnection connection = connected.result();
            Context context = Vertx.currentContext();
            connection.setHostname(target.host()).open();
            var cbsAnswers = connection.createReceiver("$cbs");
            cbsAnswers.handler((delivery, answer) -> {
                Object status = answer.getApplicationProperties().getValue().get("status-code");
                if (!Integer.valueOf(200).equals(status)) {
                    ready.tryFail(id + ": CBS answered " + status);
                    return;
                }
                ProtonSender sender = connection.createSender("/devices/" + id + "/messages/events");
                sender.setQoS(ProtonQoS.AT_LEAST_ONCE).openHandler(opened -> {
                    if (opened.succeeded()) {
                        synchronized (devices) {
                            devices.add(new Device(connection, context, sender));
                        }
                        ready.tryComplete();
                    } else {
                        ready.tryFail(opened.cause());
                    }
                }).open();
            }).open();
            ProtonSender cbs = connection.createSender("$cbs");
            cbs.openHandler(opened -> cbs.send(putToken(target, device))).open();
        });
        return ready.future();
    }

    /** The token the target signed for the device; its {@code sr}, encoded, is the request's name, as Node sends it. */
    private static Message putToken(MqttTarget target, int device) {
        Message request = Proton.message();
        Properties properties = new Properties();
        properties.setMessageId(UUID.randomUUID());
        properties.setTo("$cbs");
        properties.setReplyTo("cbs");
        request.setProperties(properties);
        request.setApplicationProperties(new ApplicationProperties(Map.of("operation", "put-token",
                "type", "servicebus.windows.net:sastoken",
                "name", target.host() + "%2Fdevices%2F" + target.deviceId(device))));
        request.setBody(new AmqpValue(target.devicePassword(device)));
        return request;
    }

    /** Keeps {@code window} messages waiting for their outcome, on the connection's event loop. */
    private void pump(ProtonSender sender, Message message, int window, LongAdder published) {
        int[] waiting = {0};
        Runnable[] fill = new Runnable[1];
        fill[0] = () -> {
            while (running && waiting[0] < window && !sender.sendQueueFull() && sender.isOpen()) {
                waiting[0]++;
                published.increment();
                sender.send(message, delivery -> {
                    waiting[0]--;
                    if (!(delivery.getRemoteState() instanceof Accepted)) {
                        refused.increment();
                    }
                    fill[0].run();
                });
            }
        };
        sender.sendQueueDrainHandler(s -> fill[0].run());
        fill[0].run();
    }

    void stop() {
        running = false;
    }

    @Override
    public void close() {
        running = false;
        synchronized (devices) {
            for (Device device : devices) {
                device.context().runOnContext(v -> device.connection().close());
            }
        }
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }
}
