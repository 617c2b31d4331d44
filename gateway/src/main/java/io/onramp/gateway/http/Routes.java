package io.onramp.gateway.http;

import io.onramp.gateway.error.HubHttpErrors;
import io.onramp.gateway.service.BackupEndpoint;
import io.onramp.gateway.service.CaCertificateEndpoint;
import io.onramp.gateway.service.ServiceApiEndpoint;
import io.onramp.gateway.service.ServiceOperation;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Locale;
import java.util.Set;

/**
 * The HTTPS listener's routes: the DPS device API, the DPS service API (enrollments, by path) and
 * the hub registry API, each with its body
 * limit and its error body (DPS and IoT Hub errors look different on the wire).
 */
public final class Routes {

    /** Registration bodies are small; anything larger is refused with 413 before it is parsed. */
    public static final long MAX_BODY_BYTES = 32 * 1024;
    /** Hub requests carry twins (8 + 32 KiB of JSON), method payloads (128 KiB) and messages (64 KiB). */
    public static final long MAX_HUB_BODY_BYTES = 256 * 1024;
    static final String HUB_PATHS = "^/(devices|twins|statistics)(/.*)?$";
    /** The first path segments of {@link ServiceOperation#PATHS}, which matches them in any case. */
    private static final Set<String> SERVICE_SEGMENTS = Set.of("enrollments", "enrollmentgroups", "registrations");
    /** The DPS device API's paths, {@code /{idScope}/registrations/...}: DPS answers them on any host. */
    private static final String DPS_DEVICE_PATHS = "^/[^/]+/registrations(/.*)?$";

    private Routes() {}

    public static Router create(Vertx vertx, DpsHttpEndpoint dps, HubRegistryHttpEndpoint hubRegistry) {
        return create(vertx, dps, hubRegistry, null);
    }

    public static Router create(Vertx vertx, DpsHttpEndpoint dps, HubRegistryHttpEndpoint hubRegistry,
            ServiceApiEndpoint service) {
        return create(vertx, dps, hubRegistry, service, null);
    }

    public static Router create(Vertx vertx, DpsHttpEndpoint dps, HubRegistryHttpEndpoint hubRegistry,
            ServiceApiEndpoint service, CaCertificateEndpoint certificates) {
        return create(vertx, dps, hubRegistry, service, certificates, null, null);
    }

    /**
     * @param service      the DPS service API, or null for none
     * @param certificates the admin API for CA certificates, or null for none
     * @param ops          /health and /metrics, or null for none
     * @param backup       the admin API's store backup, or null for none
     */
    public static Router create(Vertx vertx, DpsHttpEndpoint dps, HubRegistryHttpEndpoint hubRegistry,
            ServiceApiEndpoint service, CaCertificateEndpoint certificates, OpsEndpoint ops, BackupEndpoint backup) {
        Router router = Router.router(vertx);
        // Bodies are bytes whatever their Content-Type: a form type (curl's default) must not send them through a
        // form decoder.
        router.route().handler(new UriCheck());
        router.route().handler(new OpaqueBodyHandler(Routes::bodyLimit));
        // Devices' registrations and polls, the bulk of the traffic, before the routes of the other APIs:
        // matching a request against every route was a tenth of the event loops' work.
        dps.mountDeviceRequests(router);
        hubRegistry.mount(router);
        // Before the device API: /registrations/{group}/query must not be read as /{idScope}/registrations/{id}.
        if (service != null) {
            service.mount(router);
        }
        if (certificates != null) {
            certificates.mount(router);
        }
        if (backup != null) {
            backup.mount(router);
        }
        dps.mountStatusRead(router);
        if (ops != null) {
            ops.mount(router);
        }
        // Failures, unmatched paths and methods included, get the error body of the API they aimed at.
        Handler<RoutingContext> failure = ctx -> {
            if (aimsAtHub(ctx, hubRegistry)) {
                hubFailure(ctx);
            } else {
                DpsHttpEndpoint.failureHandler(ctx);
            }
        };
        router.route().failureHandler(failure);
        router.errorHandler(404, failure);
        router.errorHandler(405, failure);
        return router;
    }

    /**
     * The body limit of a request by its path: a hub API's ({@link #HUB_PATHS}), the service API's ({@link
     * ServiceOperation#PATHS}) or any other's. By the path's first segment, as those patterns match: one route
     * with one body handler, not a regular expression per API tried on every device request.
     */
    static long bodyLimit(String path) {
        if (path == null || path.isEmpty()) {
            return MAX_BODY_BYTES;
        }
        int end = path.indexOf('/', 1);
        String first = end < 0 ? path.substring(1) : path.substring(1, end);
        return switch (first) {
            case "devices", "twins", "statistics" -> MAX_HUB_BODY_BYTES;
            default -> SERVICE_SEGMENTS.contains(first.toLowerCase(Locale.ROOT)) ? ServiceApiEndpoint.MAX_BODY_BYTES
                    : MAX_BODY_BYTES;
        };
    }

    /**
     * A hub path, or any path but the DPS APIs' on a hub's host name: a service SDK pointed at a hub must be able to
     * parse every error it gets (IoT Hub's {@code {"Message":"ErrorCode:..."}}), not DPS's.
     */
    private static boolean aimsAtHub(RoutingContext ctx, HubRegistryHttpEndpoint hubRegistry) {
        String path = ctx.request().path();
        if (path == null) {
            return false;
        }
        if (path.matches(HUB_PATHS)) {
            return true;
        }
        boolean dpsPath = path.matches(ServiceOperation.PATHS) || path.matches(CaCertificateEndpoint.PATHS)
                || path.matches(BackupEndpoint.PATHS) || path.matches(DPS_DEVICE_PATHS);
        return !dpsPath && hubRegistry.servesHost(ctx);
    }

    private static void hubFailure(RoutingContext ctx) {
        Throwable failure = ctx.failure();
        if (failure == null) {
            failure = HttpStatusErrors.forStatus(ctx.statusCode(), null);
        } else if (failure instanceof io.vertx.ext.web.handler.HttpException http) {
            failure = HttpStatusErrors.forStatus(http.getStatusCode(), failure);
        }
        HubHttpErrors.send(ctx.response(), ctx.request().method() + " " + ctx.request().path() + " from "
                + ctx.request().remoteAddress(), failure);
    }
}
