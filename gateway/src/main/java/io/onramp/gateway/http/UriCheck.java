package io.onramp.gateway.http;

import io.onramp.gateway.error.ProvisioningException;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/**
 * The first route: refuses a path or query whose {@code %} escapes do not decode ({@code /%zz}, {@code ?%zz}) with
 * the API's own 400. Left to vertx-web, the path failed where a handler first asked for it normalized (a 500 and an
 * ERROR with its stack trace), and the query while a route with path parameters was matched, outside every handler
 * (a bare {@code Bad Request}, and the ERROR).
 */
final class UriCheck implements Handler<RoutingContext> {

    @Override
    public void handle(RoutingContext ctx) {
        try {
            ctx.normalizedPath(); // computed once for the request: every route matches on it
        } catch (IllegalArgumentException e) {
            ctx.fail(ProvisioningException.badRequest("The path is malformed: a '%' escape does not decode."));
            return;
        }
        String query = ctx.request().query();
        if (query != null && query.indexOf('%') >= 0) { // only an escape can fail to decode
            try {
                ctx.request().params();
            } catch (IllegalArgumentException e) {
                ctx.fail(ProvisioningException.badRequest(
                        "The query string is malformed: a '%' escape does not decode."));
                return;
            }
        }
        ctx.next();
    }
}
