package io.onramp.broker.hub;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.UUID;

/**
 * Error bodies on the device's twin channel. Node's twin client ignores the status in the topic
 * and fails a request only when the body has an {@code errorCode}, so every error carries one.
 */
final class TwinErrors {

    private TwinErrors() {}

    static int status(Throwable failure) {
        return failure instanceof HubException e ? e.status() : 500;
    }

    static String body(Throwable failure, Instant now) {
        int status = status(failure);
        String message = failure instanceof HubException ? failure.getMessage() : "The hub could not process the request.";
        return new JsonObject()
                .put("errorCode", status * 1000 + (status == 400 ? 4 : 1))
                .put("trackingId", UUID.randomUUID().toString())
                .put("message", message)
                .put("timestampUtc", now.toString())
                .encode();
    }
}
