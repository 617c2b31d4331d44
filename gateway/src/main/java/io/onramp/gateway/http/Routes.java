package io.onramp.gateway.http;

import io.onramp.gateway.error.HubHttpErrors;
import io.onramp.gateway.service.CaCertificateEndpoint;
import io.onramp.gateway.service.ServiceApiEndpoint;
import io.onramp.gateway.service.ServiceOperation;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

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
    private static final String HUB_PATHS = "^/(devices|twins)(/.*)?$";

    private Routes() {}

    public static Router create(Vertx vertx, DpsHttpEndpoint dps, HubRegistryHttpEndpoint hubRegistry) {
        return create(vertx, dps, hubRegistry, null);
    }

    public static Router create(Vertx vertx, DpsHttpEndpoint dps, HubRegistryHttpEndpoint hubRegistry,
            ServiceApiEndpoint service) {
        return create(vertx, dps, hubRegistry, service, null);
    }

    /**
     * @param service      the DPS service API, or null for none
     * @param certificates the admin API for CA certificates, or null for none
     */
    public static Router create(Vertx vertx, DpsHttpEndpoint dps, HubRegistryHttpEndpoint hubRegistry,
            ServiceApiEndpoint service, CaCertificateEndpoint certificates) {
        Router router = Router.router(vertx);
        // The first body handler a request meets reads its body; later ones pass it on. Bodies are bytes whatever
        // their Content-Type: a form type (curl's default) must not send them through a form decoder.
        router.routeWithRegex(HUB_PATHS).handler(new OpaqueBodyHandler(MAX_HUB_BODY_BYTES));
        router.routeWithRegex(ServiceOperation.PATHS).handler(new OpaqueBodyHandler(ServiceApiEndpoint.MAX_BODY_BYTES));
        router.route().handler(new OpaqueBodyHandler(MAX_BODY_BYTES));
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
        dps.mountStatusRead(router);
        router.routeWithRegex(HUB_PATHS).failureHandler(Routes::hubFailure);
        router.route().failureHandler(DpsHttpEndpoint::failureHandler);
        // Unmatched paths and methods get the error body of the API they aimed at.
        router.errorHandler(404, Routes::unmatched);
        router.errorHandler(405, Routes::unmatched);
        return router;
    }

    private static void hubFailure(RoutingContext ctx) {
        Throwable failure = ctx.failure();
        if (failure == null) {
            failure = HttpStatusErrors.forStatus(ctx.statusCode(), null);
        } else if (failure instanceof io.vertx.ext.web.handler.HttpException http) {
            failure = HttpStatusErrors.forStatus(http.getStatusCode(), failure);
        }
        HubHttpErrors.send(ctx.response(), ctx.request().method() + " " + ctx.request().path(), failure);
    }

    private static void unmatched(RoutingContext ctx) {
        if (ctx.request().path() != null && ctx.request().path().matches(HUB_PATHS)) {
            hubFailure(ctx);
        } else {
            DpsHttpEndpoint.failureHandler(ctx);
        }
    }
}
