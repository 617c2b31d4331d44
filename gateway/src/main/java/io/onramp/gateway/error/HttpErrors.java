package io.onramp.gateway.error;

import io.onramp.gateway.provisioning.OperationStatus;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The single mapping of a failure to the HTTP wire: status, Azure error body, tracking id. */
public final class HttpErrors {

    private static final Logger LOG = LoggerFactory.getLogger(HttpErrors.class);

    private HttpErrors() {}

    public static ProvisioningException classify(Throwable failure) {
        if (failure instanceof ProvisioningException pe) {
            return pe;
        }
        return new ProvisioningException(ErrorCode.INTERNAL, "Internal error", String.valueOf(failure));
    }

    /**
     * The Azure error body every protocol head sends (dps-device-protocol.md 2.5); for a TPM challenge the
     * challenge body of 6.6 instead, which must not have a {@code status} (C tells a challenge by its absence) and
     * must name the key ({@code keyName}, C signs with it as {@code skn}).
     */
    public static JsonObject body(ProvisioningException error, String trackingId) {
        if (error.tpmAuthenticationKey() != null) {
            return new JsonObject()
                    .put("authenticationKey", error.tpmAuthenticationKey())
                    .put("keyName", "registration")
                    .put("message", error.publicMessage());
        }
        return new JsonObject()
                .put("errorCode", error.errorCode())
                .put("trackingId", trackingId)
                .put("message", error.publicMessage())
                .put("timestampUtc", Instant.now().truncatedTo(ChronoUnit.MILLIS).toString())
                .put("info", new JsonObject());
    }

    public static void send(HttpServerResponse response, String requestLine, Throwable failure) {
        ProvisioningException error = classify(failure);
        String trackingId = UUID.randomUUID().toString();
        ProvisioningException.log(LOG, requestLine, error, trackingId, failure);
        if (response.ended() || response.closed()) {
            return;
        }
        String body = body(error, trackingId).encode();
        if (error.status() == 429) {
            // Spec 6.3: throttled answers say when to come back (C and Python wait that long).
            response.putHeader("Retry-After", Integer.toString(OperationStatus.RETRY_AFTER_SECONDS));
        }
        response.setStatusCode(error.status())
                .putHeader("Content-Type", "application/json; charset=utf-8")
                .putHeader("x-ms-request-id", trackingId)
                .putHeader("x-ms-error-code", Integer.toString(error.errorCode()))
                .end(body);
    }
}
