package io.onramp.gateway.error;

import io.onramp.broker.hub.HubException;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single mapping of a failure to the wire of the hub registry REST API: the status and the
 * IoT Hub error body the service SDKs parse (hub-device-protocol.md 6.3),
 * {@code {"Message":"ErrorCode:DeviceNotFound;…","ExceptionMessage":"Tracking ID:…-TimeStamp:…"}}.
 * Node splits {@code Message} at ';' and reads the code after {@code ErrorCode:}; Java goes by the status.
 */
public final class HubHttpErrors {

    private static final Logger LOG = LoggerFactory.getLogger(HubHttpErrors.class);
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("MM/dd/yyyy HH:mm:ss")
            .withZone(ZoneOffset.UTC);

    private HubHttpErrors() {}

    /** Any failure as a hub error: ours keep their status, code and public message; others are a 500. */
    public static HubException classify(Throwable failure) {
        if (failure instanceof HubException hub) {
            return hub;
        }
        if (failure instanceof ProvisioningException pe) {
            return new HubException(pe.status(), codeName(pe.errorCode()), pe.publicMessage());
        }
        return new HubException(500, "ServerError", "The hub could not process the request.");
    }

    public static JsonObject body(HubException error, String trackingId, Instant now) {
        return new JsonObject()
                .put("Message", "ErrorCode:" + error.errorCode() + ";" + error.getMessage())
                .put("ExceptionMessage", "Tracking ID:" + trackingId + "-TimeStamp:" + TIMESTAMP.format(now));
    }

    public static void send(HttpServerResponse response, String requestLine, Throwable failure) {
        HubException error = classify(failure);
        String trackingId = UUID.randomUUID().toString().replace("-", "");
        String message = failure instanceof ProvisioningException pe ? pe.getMessage() : error.getMessage();
        // A HubException is an answer the hub chose (504: the device did not answer a method in time), logged as a line
        // like a 4xx; any other failure is a fault, logged with its stack trace.
        if (error.status() >= 500 && !(failure instanceof HubException)) {
            LOG.error("{} -> {} {} [{}]", requestLine, error.status(), error.errorCode(), trackingId, failure);
        } else if (error.status() == 404) {
            // Asking whether a device exists is ordinary REST use (the CLI asks every hub for one device): not an event.
            LOG.debug("{} -> {} {}: {} [{}]", requestLine, error.status(), error.errorCode(), message, trackingId);
        } else {
            LOG.info("{} -> {} {}: {} [{}]", requestLine, error.status(), error.errorCode(), message, trackingId);
        }
        if (response.ended() || response.closed()) {
            return;
        }
        response.setStatusCode(error.status())
                .putHeader("Content-Type", "application/json; charset=utf-8")
                .putHeader("iothub-errorcode", error.errorCode())
                .putHeader("x-ms-request-id", trackingId)
                .end(body(error, trackingId, Instant.now().truncatedTo(ChronoUnit.MILLIS)).encode());
    }

    /** IoT Hub's names for our numeric codes. */
    static String codeName(int errorCode) {
        return switch (errorCode / 1000) {
            case 400 -> "ArgumentInvalid";
            case 401 -> "IotHubUnauthorizedAccess";
            case 404 -> errorCode == ErrorCode.DEVICE_NOT_FOUND.code() ? "DeviceNotFound" : "NotFound";
            case 405 -> "MethodNotAllowed";
            case 409 -> "Conflict";
            case 412 -> "PreconditionFailed";
            case 413 -> "MessageTooLarge";
            case 414 -> "RequestUriTooLong";
            case 415 -> "UnsupportedMediaType";
            case 429 -> "ThrottlingException";
            case 431 -> "RequestHeaderFieldsTooLarge";
            case 503 -> "ServiceUnavailable";
            default -> "ServerError";
        };
    }
}
