package io.onramp.gateway.http;

import io.onramp.broker.hub.HubException;
import io.onramp.gateway.config.GatewayConfig.HubConfig;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** What every hub registry request needs: the hub (by Host, after the SAS check), a JSON body, If-Match, a JSON answer. */
final class HubRequests {

    static final String JSON = "application/json; charset=utf-8";

    private final HubServiceAuthenticator authenticator;

    HubRequests(HubServiceAuthenticator authenticator) {
        this.authenticator = authenticator;
    }

    HubConfig hub(RoutingContext ctx) {
        return authenticator.authenticate(host(ctx), ctx.request().getHeader(HttpHeaders.AUTHORIZATION), ctx.request().path());
    }

    /** Whether the request was sent to a hub hosted here (by Host), authenticated or not. */
    boolean toHostedHub(RoutingContext ctx) {
        return authenticator.hosts(host(ctx));
    }

    private static String host(RoutingContext ctx) {
        return ctx.request().authority() == null ? null : ctx.request().authority().host();
    }

    static JsonObject jsonBody(RoutingContext ctx) {
        Buffer body = ctx.body().buffer();
        if (body == null || body.length() == 0) {
            throw badRequest("The request body must be a JSON object.");
        }
        try {
            return new JsonObject(body);
        } catch (DecodeException | ClassCastException e) {
            throw badRequest("The request body is not a valid JSON object.");
        }
    }

    static String ifMatch(RoutingContext ctx) {
        return ctx.request().getHeader(HttpHeaders.IF_MATCH);
    }

    static void json(RoutingContext ctx, Object json) {
        String text = json instanceof JsonObject o ? o.encode() : ((io.vertx.core.json.JsonArray) json).encode();
        ctx.response().setStatusCode(200).putHeader(HttpHeaders.CONTENT_TYPE, JSON).end(text);
    }

    static HubException badRequest(String message) {
        return new HubException(400, "ArgumentInvalid", message);
    }
}
