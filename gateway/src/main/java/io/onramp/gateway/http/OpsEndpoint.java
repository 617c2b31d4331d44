package io.onramp.gateway.http;

import io.onramp.gateway.ops.GatewayHealth;
import io.onramp.gateway.ops.GatewayMetrics;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/**
 * {@code GET /health} and {@code GET /metrics} for the operators' tools: a load balancer's or supervisor's check,
 * and Prometheus's scrape. Neither asks for credentials (those tools rarely carry Azure SAS tokens) and neither
 * tells anything a device could use: no device IDs, no keys, only counts and the configured hubs' names.
 */
public final class OpsEndpoint {

    public static final String HEALTH = "/health";
    public static final String METRICS = "/metrics";

    private final GatewayHealth health;
    private final GatewayMetrics metrics;

    public OpsEndpoint(GatewayHealth health, GatewayMetrics metrics) {
        this.health = health;
        this.metrics = metrics;
    }

    void mount(Router router) {
        router.route(HttpMethod.GET, HEALTH).handler(this::health);
        router.route(HttpMethod.GET, METRICS).handler(this::metrics);
    }

    private void health(RoutingContext ctx) {
        List<String> problems = health.problems();
        JsonObject body = problems.isEmpty() ? new JsonObject().put("status", "up")
                : new JsonObject().put("status", "down").put("problems", new JsonArray(problems));
        ctx.response().setStatusCode(problems.isEmpty() ? 200 : 503)
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json; charset=utf-8")
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
                .end(body.encode());
    }

    /** Rendered on a worker: the hubs' counts come from the cluster's map. */
    private void metrics(RoutingContext ctx) {
        ctx.vertx().executeBlocking(metrics::render, false).onComplete(rendered -> {
            if (rendered.failed()) {
                ctx.fail(rendered.cause());
                return;
            }
            ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, GatewayMetrics.CONTENT_TYPE)
                    .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
                    .end(rendered.result());
        });
    }
}
