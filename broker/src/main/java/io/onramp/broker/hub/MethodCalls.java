package io.onramp.broker.hub;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Direct methods in flight: each request gets a request id ({@code $rid}, lower-case hex as
 * edgeHub writes it) and waits for the device's answer on that id, or times out. Only the device
 * asked can answer; an unknown or late id is dropped.
 */
final class MethodCalls {

    static final int MAX_PAYLOAD_BYTES = 128 * 1024;

    private final Vertx vertx;
    private final ConnectedDevices connected;
    private final AtomicLong nextRid = new AtomicLong(1);
    private final Map<String, Call> calls = new ConcurrentHashMap<>();

    MethodCalls(Vertx vertx, ConnectedDevices connected) {
        this.vertx = vertx;
        this.connected = connected;
    }

    private record Call(String deviceKey, Promise<MethodResult> promise, long timer) {}

    Future<MethodResult> invoke(String hubHostName, String deviceId, String methodName, String payloadJson, Duration timeout) {
        DeviceSession session = connected.session(hubHostName, deviceId);
        if (session == null || !session.methodsSubscribed()) {
            return Future.failedFuture(new HubException(404, "DeviceNotOnline",
                    "Device " + deviceId + " is not connected or not listening for direct methods."));
        }
        String rid = Long.toHexString(nextRid.getAndIncrement());
        String callKey = session.key() + '#' + rid;
        Promise<MethodResult> promise = Promise.promise();
        long timer = vertx.setTimer(Math.max(1, timeout.toMillis()), id -> {
            Call call = calls.remove(callKey);
            if (call != null) {
                call.promise().tryFail(new HubException(504, "GatewayTimeout",
                        "Device " + deviceId + " did not answer method " + methodName + " in time."));
            }
        });
        calls.put(callKey, new Call(session.key(), promise, timer));
        session.methodRequest(methodName, rid, payloadJson == null ? "null" : payloadJson);
        return promise.future();
    }

    /** The device's answer; an empty body becomes JSON null, a body that is not JSON is passed on as a JSON string. */
    void answered(String deviceKey, String rid, int status, String body) {
        Call call = calls.remove(deviceKey + '#' + rid);
        if (call == null) {
            return;
        }
        vertx.cancelTimer(call.timer());
        call.promise().tryComplete(new MethodResult(status, json(body)));
    }

    /** The device went away: its calls fail now rather than at their timeout. */
    void disconnected(String deviceKey) {
        calls.entrySet().removeIf(entry -> {
            if (!entry.getValue().deviceKey().equals(deviceKey)) {
                return false;
            }
            vertx.cancelTimer(entry.getValue().timer());
            entry.getValue().promise().tryFail(new HubException(404, "DeviceNotOnline",
                    "Device disconnected before answering the method."));
            return true;
        });
    }

    private static String json(String body) {
        if (body == null || body.isBlank()) {
            return "null";
        }
        try {
            Json.decodeValue(body);
            return body;
        } catch (DecodeException e) {
            return Json.encode(body);
        }
    }
}
