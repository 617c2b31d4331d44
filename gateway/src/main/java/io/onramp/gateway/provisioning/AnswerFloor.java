package io.onramp.gateway.provisioning;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.concurrent.TimeUnit;

/**
 * No answer of the MQTT and AMQP heads leaves sooner than {@link #MILLIS} after its request arrived.
 * provisioning-device-client 2.1.3 (Java) sends a request and only then starts waiting for the answer, on MQTT and on
 * AMQP alike ({@code ProvisioningAmqpOperations.sendRegisterMessage}: send, then {@code waitLock}); an answer that comes
 * in between wakes nobody, and the device waits out its timeout. On a LAN (or a busy device) Onramp's answer could come
 * first; Azure's own never does. 20 ms covers the SDK thread's way back from the send, and no device notices it in a
 * registration that takes seconds anyway.
 */
public final class AnswerFloor {

    public static final long MILLIS = 20;

    private AnswerFloor() {}

    /** Runs {@code send} now or once {@link #MILLIS} have passed since {@code receivedNanos}; completes when it ran. */
    public static Future<Void> send(Vertx vertx, long receivedNanos, Runnable send) {
        long waitMillis = MILLIS - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - receivedNanos);
        if (waitMillis <= 0) {
            send.run();
            return Future.succeededFuture();
        }
        Promise<Void> sent = Promise.promise();
        vertx.setTimer(waitMillis, id -> {
            send.run();
            sent.complete();
        });
        return sent.future();
    }
}
