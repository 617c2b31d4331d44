package io.onramp.gateway.http;

import io.onramp.gateway.error.ProvisioningException;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/**
 * Refuses a query string whose escapes do not decode ({@code ?%zz}) with the API's own 400. Left to vertx-web, the
 * first route with path parameters fails while it is matched, outside every handler: a bare {@code Bad Request} and an
 * ERROR with its stack trace in the log for each such request.
 */
final class QueryCheck implements Handler<RoutingContext> {

    @Override
    public void handle(RoutingContext ctx) {
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
