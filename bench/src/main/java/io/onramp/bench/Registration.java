package io.onramp.bench;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

/**
 * One device's registration: register, then poll (1 ms apart, ignoring Retry-After) until the
 * answer is 200 "assigned". Completes with null on success or a short error kind.
 */
final class Registration {

    /** Polls of one registration stop after this long: the device counts as failed. */
    private static final long DEADLINE_NANOS = 30_000_000_000L;
    private static final long POLL_DELAY_MS = 1;

    private final Vertx vertx;
    private final DpsClient client;
    private final DeviceBatch devices;
    private final int index;
    private final long startNanos;
    private final Promise<String> outcome = Promise.promise();
    private int requests;
    private long registerAnsweredNanos;
    private String detail;

    Registration(Vertx vertx, DpsClient client, DeviceBatch devices, int index, long startNanos) {
        this.vertx = vertx;
        this.client = client;
        this.devices = devices;
        this.index = index;
        this.startNanos = startNanos;
    }

    Future<String> run() {
        requests++;
        client.register(devices, index).onSuccess(reply -> {
            registerAnsweredNanos = System.nanoTime();
            guarded(() -> registered(reply));
        });
        return outcome.future();
    }

    /** When the register request was answered (its 202), on the {@link System#nanoTime} scale. */
    long registerAnsweredNanos() {
        return registerAnsweredNanos;
    }

    /** HTTP exchanges this registration made, answered or not. */
    int requests() {
        return requests;
    }

    /** What went wrong, for the first error of each kind; null on success. */
    String detail() {
        return detail;
    }

    private void registered(DpsClient.Reply reply) {
        JsonObject body = parse("PUT", reply, 202);
        if (body == null) {
            return;
        }
        String operationId = body.getString("operationId");
        if (operationId == null || !"assigning".equals(body.getString("status"))) {
            fail("PUT unexpected body", body.encode());
            return;
        }
        poll(operationId);
    }

    private void poll(String operationId) {
        requests++;
        client.poll(devices, index, operationId).onSuccess(reply -> guarded(() -> polled(operationId, reply)));
    }

    private void polled(String operationId, DpsClient.Reply reply) {
        if (reply.status() == 202) {
            if (System.nanoTime() - startNanos > DEADLINE_NANOS) {
                fail("GET still assigning after 30 s", operationId);
            } else {
                vertx.setTimer(POLL_DELAY_MS, t -> poll(operationId));
            }
            return;
        }
        JsonObject body = parse("GET", reply, 200);
        if (body == null) {
            return;
        }
        JsonObject state = body.getJsonObject("registrationState");
        if (!"assigned".equals(body.getString("status")) || state == null || state.getString("assignedHub") == null
                || !devices.id(index).equals(state.getString("deviceId"))) {
            fail("GET 200 not assigned", body.encode());
            return;
        }
        outcome.complete(null);
    }

    /** The JSON body of an answer with the expected status, or null after failing the registration. */
    private JsonObject parse(String method, DpsClient.Reply reply, int expected) {
        if (reply.failure() != null) {
            fail(method + " " + reply.failure().getClass().getSimpleName(), String.valueOf(reply.failure().getMessage()));
            return null;
        }
        if (reply.status() != expected) {
            fail(method + " " + reply.status(), reply.body().toString());
            return null;
        }
        try {
            return new JsonObject(reply.body());
        } catch (DecodeException | ClassCastException e) {
            fail(method + " body not JSON", reply.body().toString());
            return null;
        }
    }

    // An unexpected exception must still end the registration, or its lane would wait forever.
    private void guarded(Runnable step) {
        try {
            step.run();
        } catch (RuntimeException e) {
            fail("client exception " + e.getClass().getSimpleName(), String.valueOf(e.getMessage()));
        }
    }

    private void fail(String kind, String why) {
        detail = devices.id(index) + ": " + why;
        outcome.tryComplete(kind);
    }
}
