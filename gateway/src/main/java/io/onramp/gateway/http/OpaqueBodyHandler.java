package io.onramp.gateway.http;

import io.onramp.gateway.error.ErrorCode;
import io.onramp.gateway.error.ProvisioningException;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.impl.RoutingContextInternal;
import java.io.IOException;
import java.util.function.ToLongFunction;

/**
 * Reads a request body as the bytes sent, up to its path's limit (413 beyond), whatever its Content-Type.
 * vertx-web's BodyHandler runs form bodies ({@code application/x-www-form-urlencoded}, which curl
 * sends by default, and multipart) through Netty's form decoder, which fails with a 500 on a field
 * over a few KiB; no API here takes forms, so a body is always the message or JSON it carries and
 * each route answers a wrong type as it answers any bad body. One route of every request carries it
 * ({@link Routes}); it marks the request with vertx-web's own flag, as BodyHandler does, so that
 * {@code ctx.body()} is available as usual.
 */
final class OpaqueBodyHandler implements Handler<RoutingContext> {

    private final ToLongFunction<String> limitByPath;

    /** {@code limitByPath} gives the limit of a request by its normalized path. */
    OpaqueBodyHandler(ToLongFunction<String> limitByPath) {
        this.limitByPath = limitByPath;
    }

    @Override
    public void handle(RoutingContext ctx) {
        RoutingContextInternal context = (RoutingContextInternal) ctx;
        context.visitHandler(RoutingContextInternal.BODY_HANDLER);
        HttpServerRequest request = ctx.request();
        long limit = limitByPath.applyAsLong(ctx.normalizedPath());
        if (declaredLength(request) > limit) {
            ctx.fail(413);
            return;
        }
        if (request.isEnded()) {
            ctx.next();
            return;
        }
        if ("100-continue".equalsIgnoreCase(request.getHeader(HttpHeaders.EXPECT)) && request.version() != HttpVersion.HTTP_1_0) {
            ctx.response().writeContinue();
        }
        Buffer body = Buffer.buffer();
        boolean[] tooLarge = {false};
        request.handler(chunk -> {
            if (tooLarge[0]) {
                return;
            }
            if (body.length() + (long) chunk.length() > limit) {
                tooLarge[0] = true;
                ctx.fail(413);
            } else {
                body.appendBuffer(chunk);
            }
        });
        request.exceptionHandler(e -> {
            // A client gone before its body arrived has no one to answer; anything else is its body's framing (a
            // chunk size that is no number, say), which Vert.x reports here and then closes the connection.
            if (!(e instanceof HttpClosedException || e instanceof IOException)) {
                ctx.fail(new ProvisioningException(ErrorCode.ARGUMENT_INVALID,
                        "The request body is not well-formed HTTP/1.1.", String.valueOf(e)));
            }
        });
        request.endHandler(v -> {
            if (!tooLarge[0] && !ctx.failed()) {
                context.setBody(body);
                ctx.next();
            }
        });
        request.resume();
    }

    /** The Content-Length header, or -1 when there is none (chunked) or it is not a number. */
    private static long declaredLength(HttpServerRequest request) {
        String value = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (value == null) {
            return -1;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
