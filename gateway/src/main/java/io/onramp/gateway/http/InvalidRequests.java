package io.onramp.gateway.http;

import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.onramp.gateway.error.ErrorCode;
import io.onramp.gateway.error.HttpErrors;
import io.onramp.gateway.error.HubHttpErrors;
import io.onramp.gateway.error.ProvisioningException;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;

/**
 * Requests Netty could not decode (a request line or headers over their limits, a line that is no HTTP) answered like
 * any other refusal: the status and the error body of the API the path aims at, then the connection closed, since
 * nothing after a broken request can be framed. Vert.x's own handler answers them with an empty body.
 */
final class InvalidRequests implements Handler<HttpServerRequest> {

    private final int maxLineBytes;
    private final int maxHeaderBytes;

    InvalidRequests(HttpServerOptions options) {
        this.maxLineBytes = options.getMaxInitialLineLength();
        this.maxHeaderBytes = options.getMaxHeaderSize();
    }

    @Override
    public void handle(HttpServerRequest request) {
        ProvisioningException refusal = refusal(request.decoderResult().cause());
        String what = "undecodable request from " + request.remoteAddress();
        request.response().endHandler(v -> request.connection().close());
        String path = request.path();
        if (path != null && path.matches(Routes.HUB_PATHS)) {
            HubHttpErrors.send(request.response(), what, refusal);
        } else {
            HttpErrors.send(request.response(), what, refusal);
        }
    }

    private ProvisioningException refusal(Throwable cause) {
        if (cause instanceof TooLongHttpLineException) {
            return new ProvisioningException(ErrorCode.URI_TOO_LONG,
                    "The request line is longer than " + maxLineBytes + " bytes.", String.valueOf(cause));
        }
        if (cause instanceof TooLongHttpHeaderException) {
            return new ProvisioningException(ErrorCode.HEADERS_TOO_LARGE,
                    "The request's headers are larger than " + maxHeaderBytes + " bytes.", String.valueOf(cause));
        }
        return new ProvisioningException(ErrorCode.ARGUMENT_INVALID, "The request is not well-formed HTTP/1.1.",
                String.valueOf(cause));
    }
}
