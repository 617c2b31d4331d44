package io.onramp.gateway.http;

import io.onramp.gateway.error.ErrorCode;
import io.onramp.gateway.error.ProvisioningException;

/** Failures raised by vertx-web itself (no route, body too large) turned into our error family. */
final class HttpStatusErrors {

    private HttpStatusErrors() {}

    static Throwable forStatus(int status, Throwable cause) {
        return switch (status) {
            case 400 -> new ProvisioningException(ErrorCode.ARGUMENT_INVALID, "Bad request.", String.valueOf(cause));
            case 404 -> new ProvisioningException(ErrorCode.NOT_FOUND, "Not found.");
            case 405 -> new ProvisioningException(ErrorCode.METHOD_NOT_ALLOWED, "Method not allowed.");
            case 413 -> new ProvisioningException(ErrorCode.MESSAGE_TOO_LARGE, "The request body is too large.");
            case 415 -> new ProvisioningException(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "Unsupported media type.");
            default -> cause != null ? cause
                    : new ProvisioningException(ErrorCode.INTERNAL, "Internal error", "HTTP status " + status);
        };
    }
}
